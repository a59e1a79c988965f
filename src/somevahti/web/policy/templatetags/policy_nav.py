"""``{% policy_nav_link %}``: the navigation links to the policy document (everyone signed in) and the
results (those who may see them)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from somevahti.web.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_nav_link(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_read_policy_document(user):
        return ""
    link = format_html('<li><a href="{}">{}</a></li>', reverse("policy:document"), _("Policy"))
    if policy.can_view_results(user):
        link += format_html('<li><a href="{}">{}</a></li>', reverse("policy:results"), _("Results"))
    return link
