"""``{% publishing_nav_link %}`` and ``{% crisis_banner %}``: the base template's one line each for
publishing (the link for the roles that may open it; the crisis banner on every page, KIRK-5.8)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from somevahti.web.core import policy

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def publishing_nav_link(context) -> str:
    user = _user(context)
    if user is None or not policy.can_view_publishing(user):
        return ""
    return format_html('<li><a href="{}">{}</a></li>', reverse("publishing:drafts"), _("Publishing"))


@register.simple_tag(takes_context=True)
def crisis_banner(context) -> str:
    if _user(context) is None:
        return ""
    from somevahti.web.publishing.services import crisis_now

    crisis = crisis_now()
    if crisis is None:
        return ""
    return format_html('<p class="messages crisis-banner" id="crisis-banner" role="alert"><span class="error">'
                       '<strong>{}</strong> {}</span></p>', _("Crisis mode is on:"), crisis.reason)
