"""The web side of the OAuth connect flow (:mod:`somevahti.channels.oauth` does the protocol).

The flow's state waits in the person's Django session (:class:`SessionStateStore`): sessions are in
the database, so the callback may land on another gunicorn worker than the start. The state is
signed with the installation's SECRET_KEY and bound to the session key and the account.

What the platform gives back becomes the account's connector credentials here
(:func:`credentials_for`); :func:`somevahti.web.publishing.connections.connect_oauth` stores them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from somevahti.channels import graph, oauth
from somevahti.channels.base import ChannelError

SESSION_KEY = "somevahti_oauth_states"
LAST_ACCOUNT_KEY = "somevahti_oauth_account"  # where a callback without a readable state goes back to

# The platform's own id that the connector needs beside the token, asked for before the flow starts
# when the stored connection has none (Facebook and Instagram: which page; LinkedIn: which organisation).
ID_FIELDS = {"facebook": "page_id", "instagram": "page_id", "linkedin": "organization_id"}
ID_LABELS = {"page_id": N_("Facebook page id"), "organization_id": N_("LinkedIn organisation id")}
GRAPH_PLATFORMS = {"facebook", "instagram"}


class SessionStateStore:
    """:class:`~somevahti.channels.oauth.StateStore` in ``request.session``; ``extra`` is kept with
    the state (the page id asked for at the start) and is in ``popped`` after the way back."""

    def __init__(self, session, extra: dict | None = None):
        self.session, self.extra, self.popped = session, dict(extra or {}), None

    def put(self, nonce: str, data: dict, expires_at: datetime) -> None:
        now = datetime.now(UTC).timestamp()
        items = {n: v for n, v in (self.session.get(SESSION_KEY) or {}).items() if v.get("until", 0) > now}
        items[nonce] = {**data, **self.extra, "until": expires_at.timestamp()}
        self.session[SESSION_KEY] = items  # a new dict: the session sees the change and saves it

    def pop(self, nonce: str) -> dict | None:
        items = dict(self.session.get(SESSION_KEY) or {})
        found = items.pop(nonce, None)
        self.session[SESSION_KEY] = items
        self.popped = found
        return found


def has_flow(platform: str) -> bool:
    return platform in oauth.providers()


def label(platform: str) -> str:
    return oauth.provider(platform).label or platform


def callback_url(request, platform: str) -> str:
    return request.build_absolute_uri(reverse("publishing:oauth-callback", args=[platform]))


def app_for(request, platform: str) -> oauth.OAuthApp:
    """The organisation's app from the environment; ChannelError when it is not configured."""
    app = oauth.OAuthApp.from_env(platform)
    if not app.redirect_uri:
        app = dataclasses.replace(app, redirect_uri=callback_url(request, platform))
    return app


def setup_problem(request, platform: str) -> str:
    """Why the connect button cannot work on this server, in plain words ("" when it can)."""
    try:
        app = oauth.OAuthApp.from_env(platform)
    except ChannelError:
        pass
    else:
        if app.client_secret or not oauth.provider(platform).needs_client_secret:
            return ""
    prefix = f"SOMEVAHTI_{platform.upper()}_"
    return _(
        "Connecting with %(platform)s is not set up on this server. The administrator registers an app "
        "with %(platform)s, gives it %(callback)s as the redirect address, and sets %(id)s and %(secret)s "
        "in the server's environment. Until then, enter the credentials in the form below."
    ) % {
        "platform": label(platform),
        "callback": callback_url(request, platform),
        "id": prefix + "CLIENT_ID",
        "secret": prefix + "CLIENT_SECRET",
    }


def session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()  # creates the key the state is bound to
    return request.session.session_key


def flow_for(request, platform: str, store: SessionStateStore) -> oauth.OAuthFlow:
    return oauth.OAuthFlow(
        oauth.provider(platform), app_for(request, platform), secret=settings.SECRET_KEY, store=store
    )


def account_in_state(state: str) -> str:
    """``platform:handle`` of a state this installation signed ("" for any other), to know where to
    send a refused callback back to; nothing is granted on it."""
    try:
        return str(oauth.read_state(state, settings.SECRET_KEY).get("a") or "")
    except ChannelError:
        return ""


def credentials_for(
    platform: str, app: oauth.OAuthApp, tokens: oauth.TokenSet, stored: dict, extra: dict
) -> tuple[dict, str]:
    """The connector's credential fields from the token answer, and who it publishes as ("" when
    only a test of the connection tells). Facebook and Instagram need the page chain first; the
    others keep the id fields the stored connection has (LinkedIn's organisation)."""
    wanted = ID_FIELDS.get(platform)
    given = (extra.get(wanted) or stored.get(wanted) or "") if wanted else ""
    if platform in GRAPH_PLATFORMS:
        out = graph.connect_page(app, tokens.access_token, given, instagram=platform == "instagram")
        name = out.pop("name", "")
        who = f"@{out['username']}" if platform == "instagram" and out.get("username") else name
        return out, who
    out = tokens.credentials()
    for name in ("organization_id", "channel_id", "username"):
        if stored.get(name):
            out.setdefault(name, stored[name])
    if wanted and given:
        out[wanted] = given
    return out, ""


def signin_for(request, account, conn) -> dict | None:
    """What the account page needs for its "Connect with <platform>" button (None: the platform has
    no sign-in flow): the platform's name, why it cannot work here, the id field to ask for."""
    platform = account.platform
    if not has_flow(platform):
        return None
    wanted = ID_FIELDS.get(platform)
    stored = conn.credential_value(wanted) if conn and wanted and conn.connector == platform else ""
    return {
        "platform": platform,
        "label": label(platform),
        "problem": setup_problem(request, platform),
        "field": wanted or "",
        "field_label": _(ID_LABELS[wanted]) if wanted else "",
        "value": stored,
        "again": bool(conn and conn.connector == platform and conn.secrets_sealed),
        "callback": callback_url(request, platform),
        "scopes": oauth.provider(platform).scopes,
    }
