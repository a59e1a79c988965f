"""``{% inbox_nav %}``: the same inbox sub-navigation on every inbox page, each link shown only to
the roles the policy lets follow it."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from somevahti.web.core import policy

register = template.Library()


@register.inclusion_tag("inbox/_nav.html", takes_context=True)
def inbox_nav(context):
    request = context.get("request")
    user = request.user
    here = request.path
    links = []
    if policy.can_view_inbox(user):
        links += [(reverse("inbox:list"), _("Queues")), (reverse("inbox:incidents"), _("Incidents"))]
    if policy.can_import_items(user):
        links.append((reverse("inbox:import"), _("Import comments")))
    if policy.can_manage_connections(user):
        links.append((reverse("inbox:connections"), _("API connections")))
    if policy.can_view_inbox_reports(user):
        links.append((reverse("inbox:reports"), _("Reports")))
    return {
        "links": [
            {
                "url": url,
                "label": label,
                "current": here == url or (url != reverse("inbox:list") and here.startswith(url)),
            }
            for url, label in links
        ]
    }
