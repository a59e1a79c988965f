"""``{% policy_nav_link %}``: the navigation links to the policy document and the onboarding path
(everyone signed in), the results, the pack versions and the policy wizard (those who may see them),
grouped when there are several."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from somevahti.web.core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def policy_nav_link(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_read_policy_document(user):
        return ""
    links = [format_html('<li><a href="{}">{}</a></li>', reverse("policy:document"), _("Policy"))]
    if policy.can_follow_onboarding(user):
        links.append(format_html('<li><a href="{}">{}</a></li>', reverse("onboarding:path"), _("Onboarding")))
    if policy.can_view_results(user):
        links.append(format_html('<li><a href="{}">{}</a></li>', reverse("policy:results"), _("Results")))
    if policy.can_view_pack_versions(user):
        links.append(
            format_html(
                '<li><a href="{}">{}</a></li>', reverse("policy:versions"), _("Pack versions in force")
            )
        )
    if policy.can_use_wizard(user):
        links.append(format_html('<li><a href="{}">{}</a></li>', reverse("wizard:list"), _("Policy wizard")))
    if len(links) == 1:
        return links[0]
    # one group, like the registry's: the navigation stays in one row at 1280 px in every language
    return format_html(
        '<li class="group"><details><summary>{}</summary><ul>{}</ul></details></li>',
        _("Policy"),
        format_html_join("", "{}", ((link,) for link in links)),
    )
