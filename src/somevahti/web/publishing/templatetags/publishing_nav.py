"""``{% publishing_nav_link %}`` and ``{% crisis_banner %}``: the base template's one line each for
publishing (the link for the roles that may open it; the crisis banner on every page, KIRK-5.8);
``{% publishing_subnav %}``: the publishing pages' own navigation, each link only for the roles
that may open its page."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# url name, label, who may open it
SUBNAV = (
    ("drafts", gettext_lazy("Drafts"), policy.can_view_publishing),
    ("new", gettext_lazy("New post"), policy.can_compose),
    ("queue", gettext_lazy("Queue"), policy.can_view_publishing),
    ("calendar", gettext_lazy("Calendar"), policy.can_view_publishing),
    ("failed", gettext_lazy("Failed"), policy.can_view_failed),
    ("feed", gettext_lazy("News feed"), policy.can_compose),
    ("crisis", gettext_lazy("Crisis mode"), policy.can_manage_crisis),
)


@register.simple_tag(takes_context=True)
def publishing_subnav(context) -> str:
    user = _user(context)
    if user is None:
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    here = match.url_name if match is not None and match.namespace == "publishing" else ""
    links = format_html_join(
        "\n",
        '<a href="{}"{}>{}</a>',
        (
            (reverse(f"publishing:{name}"), mark_safe(' aria-current="page"') if name == here else "", label)
            for name, label, allowed in SUBNAV
            if allowed(user)
        ),
    )
    return format_html('<nav class="subnav filters" aria-label="{}">{}</nav>', _("Publishing"), links)


@register.simple_tag(takes_context=True)
def crisis_banner(context) -> str:
    if _user(context) is None:
        return ""
    from somevahti.web.publishing.services import crisis_reason

    reason = crisis_reason()  # on every page: the one column it shows, not crisis_now()'s object
    if reason is None:
        return ""
    return format_html(
        '<p class="messages crisis-banner" id="crisis-banner" role="alert"><span class="error">'
        "<strong>{}</strong> {}</span></p>",
        _("Crisis mode is on:"),
        reason,
    )
