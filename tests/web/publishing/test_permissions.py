"""Every publishing page, action and API operation with every role: allowed or denied, exactly."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from somevahti.web.publishing import services
from somevahti.web.publishing.models import Draft, State
from tests.web.publishing.helpers import draft_for, needs_unit_editor
from tests.web.test_permissions import ALL, _names

COMMS = {"communications_admin"}
VIEW = ALL - {"it_security"}  # the publishing pages (each list filtered to what the role may see)
COMPOSE = COMMS | {"unit_editor", "author", "supervisor"}
EDIT = COMMS | {"unit_editor", "author"}  # the author's draft on unit A's account
REVIEW = {"unit_editor"}  # unit A's account needs its unit editor's approval (registry override)

PAGES = {
    "publishing:drafts": ("get", lambda o: reverse("publishing:drafts"), VIEW),
    "publishing:new": ("get", lambda o: reverse("publishing:new"), COMPOSE),
    "publishing:check": ("post", lambda o: reverse("publishing:check"), COMPOSE),
    "publishing:draft": ("get", lambda o: reverse("publishing:draft", args=[o.draft.pk]), VIEW),
    "publishing:approve": ("post", lambda o: reverse("publishing:approve", args=[o.review.pk]), REVIEW),
    "publishing:request-changes": (
        "post",
        lambda o: reverse("publishing:request-changes", args=[o.review.pk]),
        REVIEW,
    ),
    "publishing:schedule": ("post", lambda o: reverse("publishing:schedule", args=[o.approved.pk]), EDIT),
    "publishing:cancel": ("post", lambda o: reverse("publishing:cancel", args=[o.draft.pk]), EDIT),
    "publishing:retry": ("post", lambda o: reverse("publishing:retry", args=[o.failed.pk]), EDIT),
    "publishing:cross-post": (
        "post",
        lambda o: reverse("publishing:cross-post", args=[o.published.pk]),
        COMMS | {"unit_editor"},
    ),
    "publishing:correct": ("post", lambda o: reverse("publishing:correct", args=[o.published.pk]), EDIT),
    "publishing:media-add": ("post", lambda o: reverse("publishing:media-add", args=[o.draft.pk]), EDIT),
    "publishing:queue": ("get", lambda o: reverse("publishing:queue"), VIEW),
    "publishing:failed": ("get", lambda o: reverse("publishing:failed"), COMMS | {"unit_editor"}),
    "publishing:calendar": ("get", lambda o: reverse("publishing:calendar"), VIEW),
    "publishing:crisis": ("get", lambda o: reverse("publishing:crisis"), COMMS),
    "publishing:feed": ("get", lambda o: reverse("publishing:feed"), COMPOSE),
    "publishing:account": ("get", lambda o: reverse("publishing:account", args=[o.account_a.pk]), COMMS),
    "publishing:oauth-start": (
        "post",
        lambda o: reverse("publishing:oauth-start", args=[o.account_a.pk]),
        COMMS,
    ),
    "publishing:oauth-callback": (
        "get",
        lambda o: reverse("publishing:oauth-callback", args=["facebook"]),
        COMMS,
    ),
}
# Object-level rows: a draft of the other unit is not seen by unit A's editor, nor by the author.
OBJECTS = {
    "other unit's draft": (
        "get",
        lambda o: reverse("publishing:draft", args=[o.other.pk]),
        COMMS | {"auditor"},
    ),
}

TEXT = {"fi": "Kirjasto on avoinna lauantaina.", "sv": "Biblioteket är öppet på lördag."}
API = {
    "create": (
        "post",
        lambda o: "/api/publishing/drafts",
        lambda o: {"texts": TEXT, "accounts": [o.account_a.pk]},
        COMPOSE,
    ),
    "get": ("get", lambda o: f"/api/publishing/drafts/{o.draft.pk}", None, VIEW),
    "edit": (
        "put",
        lambda o: f"/api/publishing/drafts/{o.draft.pk}",
        lambda o: {"texts": TEXT, "accounts": [o.account_a.pk]},
        EDIT,
    ),
    "check": ("post", lambda o: f"/api/publishing/drafts/{o.draft.pk}/check", lambda o: {}, VIEW),
    "submit": ("post", lambda o: f"/api/publishing/drafts/{o.draft.pk}/submit", lambda o: {}, EDIT),
    "approve": ("post", lambda o: f"/api/publishing/drafts/{o.review.pk}/approve", lambda o: {}, REVIEW),
    "request-changes": (
        "post",
        lambda o: f"/api/publishing/drafts/{o.review.pk}/request-changes",
        lambda o: {"reason": "Lisää linkki."},
        REVIEW,
    ),
    "schedule": (
        "post",
        lambda o: f"/api/publishing/drafts/{o.approved.pk}/schedule",
        lambda o: {"at": (timezone.now() + timedelta(days=1)).isoformat()},
        EDIT,
    ),
    "cancel": ("post", lambda o: f"/api/publishing/drafts/{o.draft.pk}/cancel", lambda o: {}, EDIT),
    "status": ("get", lambda o: f"/api/publishing/drafts/{o.draft.pk}/status", None, VIEW),
    "calendar": ("get", lambda o: "/api/publishing/calendar", None, VIEW),
}
API_OPERATIONS = {
    ("post", "/api/publishing/drafts"),
    ("get", "/api/publishing/drafts/{draft_id}"),
    ("put", "/api/publishing/drafts/{draft_id}"),
    ("post", "/api/publishing/drafts/{draft_id}/check"),
    ("post", "/api/publishing/drafts/{draft_id}/submit"),
    ("post", "/api/publishing/drafts/{draft_id}/approve"),
    ("post", "/api/publishing/drafts/{draft_id}/request-changes"),
    ("post", "/api/publishing/drafts/{draft_id}/schedule"),
    ("post", "/api/publishing/drafts/{draft_id}/cancel"),
    ("get", "/api/publishing/drafts/{draft_id}/status"),
    ("get", "/api/publishing/calendar"),
}


def test_the_matrix_covers_every_publishing_url():
    assert {n for n in _names() if n.startswith("publishing:")} == set(PAGES)


def test_the_matrix_covers_every_publishing_api_operation():
    from somevahti.web.api.api import api

    schema = api.get_openapi_schema()
    operations = {
        (m, path) for path, ops in schema["paths"].items() for m in ops if path.startswith("/api/publishing")
    }
    assert operations == API_OPERATIONS


@pytest.fixture
def pub(org):
    needs_unit_editor(org.account_a)
    author = org.users["author"]
    org.draft = draft_for(org)
    org.review = draft_for(org)
    services.submit(author, org.review)
    org.approved = draft_for(org)
    services.submit(author, org.approved)
    services.approve(org.users["unit_editor"], org.approved.pk)
    org.published = draft_for(org)
    org.failed = draft_for(org)
    Draft.objects.filter(pk=org.published.pk).update(
        state=State.PUBLISHED
    )  # as the engine would have left them
    Draft.objects.filter(pk=org.failed.pk).update(state=State.FAILED)
    org.other = services.create_draft(
        org.users["communications_admin"], services.DraftInput(texts=TEXT, accounts=[org.account_b])
    )
    return org


def _call(client, method, url):
    if method == "get":
        return client.get(url)
    return client.post(url, data={"reason": "ok", "text_fi": "Hei", "accounts": []})


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES) + sorted(OBJECTS))
def test_page_permissions(pub, login, role, name):
    method, url, allowed = PAGES.get(name) or OBJECTS[name]
    client = login(pub.users[role])
    response = _call(client, method, url(pub))
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code in (403, 404), (name, role, response.status_code)


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(API))
def test_api_permissions(pub, login, role, name):
    method, url, body, allowed = API[name]
    client = login(pub.users[role])
    kwargs = {} if body is None else {"data": json.dumps(body(pub)), "content_type": "application/json"}
    response = getattr(client, method)(url(pub), **kwargs)
    if role in allowed:
        assert response.status_code == 200, (name, role, response.status_code, response.content[:300])
    else:
        assert response.status_code in (403, 404), (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_is_sent_to_sign_in(pub, client, name):
    method, url, _ = PAGES[name]
    response = _call(client, method, url(pub))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_author_cannot_approve_their_own_post_on_the_page(pub, login):
    client = login(pub.users["author"])
    page = client.get(reverse("publishing:draft", args=[pub.review.pk])).content.decode()
    assert 'id="approve"' not in page and 'id="cannot-approve"' in page
    assert client.post(reverse("publishing:approve", args=[pub.review.pk])).status_code == 403
    assert Draft.objects.get(pk=pub.review.pk).state == State.IN_REVIEW
