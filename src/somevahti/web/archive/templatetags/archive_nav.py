"""``{% archive_nav_link %}``: the navigation link to the archive, for the roles that may search it
(the base template includes it with one line, so the archive needs nothing from the core context)."""

from datetime import UTC

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
    """'2024-05-02T09:00:00.000000Z' → '2024-05-02 12:00': recorded in UTC, shown in the
    organisation's time zone (settings.TIME_ZONE, Europe/Helsinki) like every other time."""
    if not value:
        return ""
    from datetime import datetime

    from django.utils import timezone

    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)[:16].replace("T", " ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
