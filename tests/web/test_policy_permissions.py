"""Who may do what in the policy app: every named URL, every role (the core matrix leaves policy: to
this module)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from somevahti.web.policy.models import PackVersion

ALL = {"communications_admin", "unit_editor", "author", "supervisor", "it_security", "auditor"}
VERSIONS = {"communications_admin", "auditor", "it_security"}

PAGES = {
    "policy:document": ("get", lambda v: reverse("policy:document"), ALL),
    "policy:pdf": ("get", lambda v: reverse("policy:pdf", args=["sv"]), ALL),
    "policy:versions": ("get", lambda v: reverse("policy:versions"), VERSIONS),
    "policy:version": ("get", lambda v: reverse("policy:version", args=[v.pk]), VERSIONS),
    "policy:diff": ("get", lambda v: f"{reverse('policy:diff')}?a={v.pk}&b={v.pk}", VERSIONS),
    "policy:put-in-force": ("post", lambda v: reverse("policy:put-in-force"), {"communications_admin"}),
    "policy:results": (
        "get",
        lambda v: reverse("policy:results"),
        {"communications_admin", "auditor", "unit_editor"},
    ),
    "policy:results-csv": (
        "get",
        lambda v: reverse("policy:results-csv") + "?section=posts",
        {"communications_admin", "auditor", "unit_editor"},
    ),
}


def test_the_matrix_covers_every_policy_url():
    names = {
        f"policy:{n}" for n in get_resolver().namespace_dict["policy"][1].reverse_dict if isinstance(n, str)
    }
    assert names == set(PAGES)


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_policy_permissions(org, login, role, name):
    from django.utils import timezone

    version = PackVersion.objects.create(
        pack="generic",
        version="1",
        digest="0" * 64,
        source="pack: {}\nclauses: {}\n",
        approved_by=org.users["communications_admin"],
        approved_at=timezone.now(),
    )
    method, url, allowed = PAGES[name]
    client = login(org.users[role])
    response = client.get(url(version)) if method == "get" else client.post(url(version))
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)
