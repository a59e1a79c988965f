"""``{% archive_nav_link %}``: the navigation link to the archive, for the roles that may search it
(the base template includes it with one line, so the archive needs nothing from the core context)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from somevahti.web.archive import access

register = template.Library()


@register.simple_tag(takes_context=True)
def archive_nav_link(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if access.may(user, "search"):
        return format_html('<a href="{}">{}</a>', reverse("archive:search"), _("Archive"))
    if access.may(user, "export"):
        return format_html('<a href="{}">{}</a>', reverse("archive:exports"), _("Archive"))
    return ""


@register.filter
def archive_label(value: str) -> str:
    """A record kind or moderation state in the user's language."""
    from somevahti.web.archive.forms import LABELS

    return LABELS.get(value, value)


@register.filter
def archive_time(value: str) -> str:
    """'2024-05-02T09:00:00.000000Z' → '2024-05-02 09:00' (UTC, as recorded)."""
    return value[:16].replace("T", " ") if value else ""
