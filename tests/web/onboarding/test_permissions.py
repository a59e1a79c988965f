"""Who may open each onboarding page: everyone their own path and the quiz; only communications
admins everyone's progress and another person's path. The matrix covers every onboarding URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import ROLES
from tests.web.pages import named_urls

ALL, COMMS = set(ROLES), {"communications_admin"}
PAGES = {
    "onboarding:path": ("get", lambda o: reverse("onboarding:path"), ALL),
    "onboarding:quiz": ("get", lambda o: reverse("onboarding:quiz"), ALL),
    "onboarding:step-done": ("post", lambda o: reverse("onboarding:step-done"), ALL),
    "onboarding:progress": ("get", lambda o: reverse("onboarding:progress"), COMMS),
    "onboarding:person": (
        "get",
        lambda o: reverse("onboarding:person", args=[o.users["author"].pk]),
        COMMS | {"author"},
    ),
}


def test_the_matrix_covers_every_onboarding_url(db):
    assert {n for n in named_urls() if n.startswith("onboarding:")} == set(PAGES)


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(org, login, role, name):
    method, url, allowed = PAGES[name]
    client = login(org.users[role])
    response = client.get(url(org)) if method == "get" else client.post(url(org), {"key": "x"})
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("onboarding:path"))
    assert response.status_code == 302 and "/login/" in response["Location"]
