"""Connecting an account with the platform's own sign-in (OAuth): the account page's button starts
the flow, the platform sends the browser back to the callback. Communications admins only; what is
stored is :func:`connections.connect_oauth`'s, and a token is never shown back."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from somevahti.channels import oauth as core
from somevahti.channels.base import ChannelError
from somevahti.channels.publishing import PublishError
from somevahti.errors import SomevahtiError
from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.inbox.models import Connection
from somevahti.web.publishing import connections, oauth
from somevahti.web.publishing.services import Refused
from somevahti.web.registry.models import Account

log = logging.getLogger("somevahti.publishing")


@require_POST
def oauth_start(request, pk):
    require(policy.can_manage_connections(request.user))
    account = get_object_or_404(Account, pk=pk)
    platform = account.platform
    if not oauth.has_flow(platform):
        messages.error(
            request, _("%(platform)s accounts are connected with the form below.") % {"platform": platform}
        )
        return redirect("publishing:account", account.pk)
    problem = oauth.setup_problem(request, platform)
    if problem:
        messages.error(request, problem)
        return redirect("publishing:account", account.pk)
    extra = {}
    if wanted := oauth.ID_FIELDS.get(platform):
        conn = Connection.objects.filter(account=account).first()
        value = (request.POST.get(wanted) or "").strip() or (conn.credential_value(wanted) if conn else "")
        if not value.isdigit():
            messages.error(
                request,
                _("Give the %(field)s (digits only) before connecting.")
                % {"field": _(oauth.ID_LABELS[wanted])},
            )
            return redirect("publishing:account", account.pk)
        extra[wanted] = value
    store = oauth.SessionStateStore(request.session, extra)
    session_id = oauth.session_key(request)
    started = oauth.flow_for(request, platform, store).start(
        session_id=session_id, account=f"{platform}:{account.handle}"
    )
    request.session[oauth.LAST_ACCOUNT_KEY] = account.pk
    return redirect(started.url)


def _back(request, state: str):
    """The account page of the flow (read from a state signed here), else of the last flow started."""
    platform, _sep, handle = oauth.account_in_state(state).partition(":")
    account = Account.objects.filter(platform=platform, handle=handle).first() if handle else None
    pk = account.pk if account else request.session.get(oauth.LAST_ACCOUNT_KEY)
    if pk and Account.objects.filter(pk=pk).exists():
        return redirect("publishing:account", pk)
    return redirect("registry:accounts")


@require_GET
def oauth_callback(request, platform):
    require(policy.can_manage_connections(request.user))
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not oauth.has_flow(platform):
        messages.error(request, _("%(platform)s has no sign-in to connect with.") % {"platform": platform})
        return redirect("registry:accounts")
    name = oauth.label(platform)
    if error := request.GET.get("error"):
        if error == "access_denied":
            messages.error(
                request, _("Access was not given on %(platform)s: nothing was changed.") % {"platform": name}
            )
        else:
            messages.error(
                request,
                _("%(platform)s did not connect the account (%(error)s): nothing was changed.")
                % {"platform": name, "error": error[:100]},
            )
        return _back(request, state)
    store = oauth.SessionStateStore(request.session)
    try:
        app = oauth.app_for(request, platform)
        flow = oauth.flow_for(request, platform, store)
        tokens = flow.finish(code=code, state=state, session_id=request.session.session_key or "")
        platform_, _sep, handle = str(tokens.raw.get("account", "")).partition(":")
        account = get_object_or_404(Account, platform=platform_, handle=handle)
        conn = Connection.objects.filter(account=account).first()
        stored = (conn.settings or {}) if conn and conn.connector == platform else {}
        values, who = oauth.credentials_for(platform, app, tokens, stored, store.popped or {})
        connections.connect_oauth(request.user, account, platform, values, connected_as=who)
    except core.StateError as e:
        log.warning("OAuth callback for %s refused: %s", platform, e)
        messages.error(
            request,
            _(
                "The connect link was not valid (expired, used already or started in another "
                "session): nothing was stored. Press the connect button again."
            ),
        )
        return _back(request, state)
    except PublishError as e:
        log.warning("OAuth token exchange for %s failed: %s", platform, e)
        messages.error(
            request,
            _("%(platform)s refused the connection (%(reason)s): nothing was stored.")
            % {"platform": name, "reason": e.platform_reason or e},
        )
        return _back(request, state)
    except Refused as e:
        messages.error(request, e.message)
        return _back(request, state)
    except (ChannelError, SomevahtiError) as e:
        messages.error(request, _("The account was not connected: %(reason)s") % {"reason": e})
        return _back(request, state)
    messages.success(
        request, _("%(account)s is connected with %(platform)s.") % {"account": account, "platform": name}
    )
    return redirect("publishing:account", account.pk)
