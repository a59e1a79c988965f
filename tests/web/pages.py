"""Every page of the web app, as URLs built from the demo organisation's objects (shared by the
browser walk and the demo test). Downloads and POST-only actions are left out; an app's new page
without a row here makes test_every_page_is_listed fail."""

from __future__ import annotations

from django.urls import reverse

# named URLs that are no page to look at: POST-only actions and file downloads
NOT_PAGES = {
    "logout",
    "set_language",
    "otp-verify",
    "registry:grant-add",
    "registry:grant-revoke",
    "registry:export",
    "requests:decide",
    "requests:expert-decide",
    "audits:run",
    "audits:resolve",
    "audits:accept",
    "inbox:reply",
    "inbox:moderate",
    "inbox:assign",
    "inbox:bulk",
    "inbox:export",
    "inbox:report-csv",
    "inbox:connection-delete",
    "inbox:incident-update",
    "inbox:incident-pin",
    "archive:export-download",
    "archive:hold-release",
    "user-active",
    "policy:pdf",
    "policy:put-in-force",
    "policy:results-csv",
    # pages that need an object the demo does not have (an API connection, an export job)
    "inbox:connection",
    "archive:export",
    "registry:import-job",
    "login",
    "otp-setup",
    "policy:version",
    "policy:diff",
    "publishing:check",
    "publishing:approve",
    "publishing:request-changes",
    "publishing:schedule",
    "publishing:cancel",
    "publishing:retry",
    "publishing:cross-post",
    "publishing:correct",
    "publishing:media-add",
    "publishing:oauth-start",
    "publishing:oauth-callback",  # a POST, and the platform's return with a state
    "onboarding:step-done",
    "wizard:export",
}


def demo_pages() -> dict[str, str]:
    """name → URL, built from the objects the demo loaded."""
    from django.contrib.auth import get_user_model

    from somevahti.web.inbox.models import ImportItemsJob, Incident, Item
    from somevahti.web.registry.models import Account, Person
    from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest

    account = Account.objects.get(platform="facebook", handle="visitkirkkonummi")
    person = Person.objects.get(name="Ville Virtanen")
    item = Item.objects.filter(account=account).order_by("pk").first()
    pages = {
        "home": reverse("home"),
        "account": reverse("account"),
        "users": reverse("users"),
        "user-new": reverse("user-new"),
        "user-edit": reverse("user-edit", args=[get_user_model().objects.get(username="kirjoittaja").pk]),
        "registry:units": reverse("registry:units"),
        "registry:unit-new": reverse("registry:unit-new"),
        "registry:unit-edit": reverse("registry:unit-edit", args=[account.unit_id]),
        "registry:people": reverse("registry:people"),
        "registry:person-new": reverse("registry:person-new"),
        "registry:person": reverse("registry:person", args=[person.pk]),
        "registry:person-edit": reverse("registry:person-edit", args=[person.pk]),
        "registry:accounts": reverse("registry:accounts"),
        "registry:account-new": reverse("registry:account-new"),
        "registry:account": reverse("registry:account", args=[account.pk]),
        "registry:account-edit": reverse("registry:account-edit", args=[account.pk]),
        "registry:attest": reverse("registry:attest", args=[account.pk]),
        "registry:history": reverse("registry:history"),
        "registry:history-kind": reverse("registry:history-kind", args=["grants"]),
        "registry:import": reverse("registry:import"),
        "requests:list": reverse("requests:list"),
        "requests:new": reverse("requests:new"),
        "requests:detail": reverse(
            "requests:detail", args=[AccountRequest.objects.filter(status="pending").first().pk]
        ),
        "requests:expert-new": reverse("requests:expert-new"),
        "audits:list": reverse("audits:list"),
        "inbox:list": reverse("inbox:list"),
        "inbox:item": reverse("inbox:item", args=[item.pk]),
        "inbox:import": reverse("inbox:import"),
        "inbox:import-job": reverse(
            "inbox:import-job", args=[ImportItemsJob.objects.order_by("pk").first().pk]
        ),
        "inbox:connections": reverse("inbox:connections"),
        "inbox:incidents": reverse("inbox:incidents"),
        "inbox:incident-new": reverse("inbox:incident-new"),
        "inbox:incident": reverse("inbox:incident", args=[Incident.objects.order_by("pk").first().pk]),
        "inbox:reports": reverse("inbox:reports"),
        "archive:search": reverse("archive:search") + "?kind=post",
        "archive:exports": reverse("archive:exports"),
        "archive:retention": reverse("archive:retention"),
        "archive:holds": reverse("archive:holds"),
        "archive:record": reverse("archive:record", args=[item.archive_seq]),
        "policy:document": reverse("policy:document"),
        "policy:versions": reverse("policy:versions"),
        "policy:results": reverse("policy:results"),
    }
    pages["requests:expert"] = reverse("requests:expert", args=[ExpertProfileRequest.objects.first().pk])
    from somevahti.web.publishing.models import Draft, State

    review = Draft.objects.filter(state=State.IN_REVIEW).order_by("pk").first()
    pages.update(
        {
            "publishing:drafts": reverse("publishing:drafts"),
            "publishing:new": reverse("publishing:new"),
            "publishing:draft": reverse("publishing:draft", args=[review.pk]),
            "publishing:queue": reverse("publishing:queue"),
            "publishing:failed": reverse("publishing:failed"),
            "publishing:calendar": reverse("publishing:calendar"),
            "publishing:crisis": reverse("publishing:crisis"),
            "publishing:feed": reverse("publishing:feed"),
            "publishing:account": reverse("publishing:account", args=[account.pk]),
        }
    )
    pages.update(
        {
            "onboarding:path": reverse("onboarding:path"),
            "onboarding:quiz": reverse("onboarding:quiz"),
            "onboarding:progress": reverse("onboarding:progress"),
            "onboarding:person": reverse(
                "onboarding:person", args=[get_user_model().objects.get(username="kirjoittaja").pk]
            ),
        }
    )
    from somevahti.web.wizard.models import Draft as WizardDraft
    from somevahti.web.wizard.views import SLUGS

    wizard = WizardDraft.objects.order_by("pk").first()
    pages.update(
        {
            "wizard:list": reverse("wizard:list"),
            "wizard:new": reverse("wizard:new"),
            "wizard:import": reverse("wizard:import", args=[wizard.pk]),
            **{f"wizard:{slug}": reverse(f"wizard:{slug}", args=[wizard.pk]) for slug in SLUGS},
        }
    )
    return pages


def named_urls() -> set[str]:
    """Every named URL of the app except the API's."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "api":
                    yield from walk(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + p.name

    return set(walk(get_resolver()))
