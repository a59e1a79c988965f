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
