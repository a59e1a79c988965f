"""``{% site_nav %}``: the main navigation (core/_nav.html), rendered once per language, page kind
(the start page marks its link) and set of permission answers, then kept: the HTML is a function of
exactly these (its links are fixed URLs and translated labels), so a kept copy is never another
role's or another language's. The permissions are asked on every request; only the HTML is kept."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from somevahti.web.core import policy

register = template.Library()
_kept: dict[tuple, str] = {}
MAX_KEPT = 512  # languages x permission sets in use: a few dozen


def _key(context) -> tuple:
    """Everything core/_nav.html and its three tags read from the request."""
    from somevahti.web.archive import access

    request = context.get("request")
    user = request.user
    match = getattr(request, "resolver_match", None)
    nav = context.get("nav") or {}
    archive = "search" if access.may(user, "search") else "export" if access.may(user, "export") else ""
    return (
        get_language(),
        match is not None and match.url_name == "home",
        tuple(sorted(nav.items())),
        archive,
        policy.can_view_publishing(user),
        policy.can_read_policy_document(user),
        policy.can_follow_onboarding(user),
        policy.can_view_results(user),
        policy.can_view_pack_versions(user),
        policy.can_use_wizard(user),
    )


def _render(context) -> str:
    return context.template.engine.get_template("core/_nav.html").render(context).strip()


@register.simple_tag(takes_context=True)
def site_nav(context) -> str:
    if getattr(context.get("request"), "user", None) is None:  # drawn without a request: not kept
        return mark_safe(_render(context))  # noqa: S308 - see below
    key = _key(context)
    html = None if settings.DEBUG else _kept.get(key)  # DEBUG: templates may be edited while it runs
    if html is None:
        html = _render(context)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped it
