"""Walk every URL and API endpoint with every role and assert allow or deny."""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from somevahti.web.audits.models import Finding
from somevahti.web.audits.service import run_and_store

ALL = {"communications_admin", "unit_editor", "author", "supervisor", "it_security", "auditor"}
AUDIT = ALL - {"author"}
COMMS = {"communications_admin"}
HISTORY = {"communications_admin", "auditor", "it_security"}


# name: (method, url builder, roles allowed)
def _import_job(o):
    from somevahti.web.registry.models import ImportJob

    return ImportJob.objects.create(
        kind="people", text="email,name\n", requested_by=o.users["communications_admin"]
    )


PAGES = {
    "home": ("get", lambda o: reverse("home"), ALL),
    "registry:units": ("get", lambda o: reverse("registry:units"), ALL),
    "registry:unit-new": ("get", lambda o: reverse("registry:unit-new"), COMMS),
    "registry:unit-edit": ("get", lambda o: reverse("registry:unit-edit", args=[o.unit_a.pk]), COMMS),
    "registry:people": ("get", lambda o: reverse("registry:people"), ALL),
    "registry:person-new": ("get", lambda o: reverse("registry:person-new"), COMMS | {"unit_editor"}),
    "registry:person": ("get", lambda o: reverse("registry:person", args=[o.leaver.pk]), ALL),
    "registry:person-edit": (
        "get",
        lambda o: reverse("registry:person-edit", args=[o.leaver.pk]),
        COMMS | {"unit_editor", "supervisor"},
    ),
    "registry:accounts": ("get", lambda o: reverse("registry:accounts"), ALL),
    "registry:account-new": ("get", lambda o: reverse("registry:account-new"), COMMS),
    "registry:account": ("get", lambda o: reverse("registry:account", args=[o.account_b.pk]), ALL),
    "registry:account-edit": (
        "get",
        lambda o: reverse("registry:account-edit", args=[o.account_a.pk]),
        COMMS | {"unit_editor"},
    ),
    "registry:grant-add": (
        "post",
        lambda o: reverse("registry:grant-add", args=[o.account_a.pk]),
        COMMS | {"unit_editor"},
    ),
    "registry:attest": (
        "get",
        lambda o: reverse("registry:attest", args=[o.account_b.pk]),
        COMMS | {"it_security"},
    ),
    "registry:grant-revoke": (
        "post",
        lambda o: reverse("registry:grant-revoke", args=[o.leaver_grant.pk]),
        COMMS | {"unit_editor", "supervisor", "it_security"},
    ),
    "registry:history": ("get", lambda o: reverse("registry:history"), HISTORY),
    "registry:history-kind": ("get", lambda o: reverse("registry:history-kind", args=["grants"]), HISTORY),
    "registry:import": ("get", lambda o: reverse("registry:import"), COMMS),
    "registry:import-job": ("get", lambda o: reverse("registry:import-job", args=[_import_job(o).pk]), COMMS),
    "registry:export": ("get", lambda o: reverse("registry:export", args=["accounts"]), HISTORY),
    "requests:list": ("get", lambda o: reverse("requests:list"), ALL),
    "requests:new": ("get", lambda o: reverse("requests:new"), ALL - {"auditor"}),
    "requests:detail": (
        "get",
        lambda o: reverse("requests:detail", args=[o.request.pk]),
        COMMS | {"auditor", "author", "unit_editor"},
    ),
    "requests:decide": ("post", lambda o: reverse("requests:decide", args=[o.request.pk]), COMMS),
    "requests:expert-new": ("get", lambda o: reverse("requests:expert-new"), ALL - {"auditor"}),
    "requests:expert": (
        "get",
        lambda o: reverse("requests:expert", args=[o.expert_request.pk]),
        COMMS | {"auditor", "author", "supervisor"},
    ),
    "requests:expert-decide": (
        "post",
        lambda o: reverse("requests:expert-decide", args=[o.expert_request.pk]),
        {"supervisor"},
    ),
    "account": ("get", lambda o: reverse("account"), ALL),
    "users": ("get", lambda o: reverse("users"), COMMS),
    "user-new": ("get", lambda o: reverse("user-new"), COMMS),
    "user-edit": ("get", lambda o: reverse("user-edit", args=[o.users["author"].pk]), COMMS),
    "user-active": ("post", lambda o: reverse("user-active", args=[o.users["author"].pk]), COMMS),
    "audits:list": ("get", lambda o: reverse("audits:list"), AUDIT),
    "audits:run": ("post", lambda o: reverse("audits:run"), COMMS | {"it_security"}),
    "audits:resolve": (
        "post",
        lambda o: reverse("audits:resolve", args=[o.finding.pk]),
        COMMS | {"unit_editor", "supervisor"},
    ),
    "audits:accept": (
        "post",
        lambda o: reverse("audits:accept", args=[o.finding.pk]),
        COMMS | {"unit_editor", "supervisor"},
    ),
}

API = {
    "units": ("get", lambda o: "/api/units", ALL),
    "people": ("get", lambda o: "/api/people", ALL),
    "accounts": ("get", lambda o: "/api/accounts", ALL),
    "account": ("get", lambda o: f"/api/accounts/{o.account_b.pk}", ALL),
    "revoke": (
        "post",
        lambda o: f"/api/grants/{o.leaver_grant.pk}/revoke",
        COMMS | {"unit_editor", "supervisor", "it_security"},
    ),
    "revoke-other-unit": ("post", lambda o: f"/api/grants/{o.grant_b.pk}/revoke", COMMS | {"it_security"}),
    "findings": ("get", lambda o: "/api/findings", AUDIT),
    "check": ("post", lambda o: "/api/check", ALL),
    "worker-health": ("get", lambda o: "/api/worker-health", COMMS),
}
API_OPERATIONS = {
    ("get", "/api/units"),
    ("get", "/api/people"),
    ("get", "/api/accounts"),
    ("get", "/api/accounts/{account_id}"),
    ("post", "/api/grants/{grant_id}/revoke"),
    ("get", "/api/findings"),
    ("post", "/api/check"),
    ("get", "/api/worker-health"),
}
PUBLIC = {"login", "logout", "otp-setup", "otp-verify", "set_language"}


def _names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace and p.namespace != "api" else prefix
            if p.namespace != "api":
                yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


# apps whose matrix is in their own test module (test_inbox_permissions.py, test_archive.py,
# test_policy_permissions.py, publishing/test_permissions.py, onboarding/test_permissions.py, test_wizard.py)
OWN_MATRIX = ("inbox:", "archive:", "policy:", "publishing:", "onboarding:", "wizard:")
OWN_API = ("/api/publishing",)


def test_the_matrix_covers_every_named_url():
    assert {n for n in _names() if not n.startswith(OWN_MATRIX)} - PUBLIC == set(PAGES)


def test_the_matrix_covers_every_api_operation():
    from somevahti.web.api.api import api

    schema = api.get_openapi_schema()
    operations = {
        (m, path) for path, ops in schema["paths"].items() for m in ops if not path.startswith(OWN_API)
    }
    assert operations == API_OPERATIONS


@pytest.fixture
def org_with_finding(org):
    run_and_store(notify=False)
    org.finding = Finding.objects.get(rule="leaver-access")
    return org


def _call(client, method, url):
    if method == "get":
        return client.get(url)
    return client.post(
        url,
        data={"reason": "ok", "decision": "reject", "until": "2099-01-01", "person": "", "role": "editor"},
    )


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(org_with_finding, login, role, name):
    method, url, allowed = PAGES[name]
    client = login(org_with_finding.users[role])
    response = _call(client, method, url(org_with_finding))
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(API))
def test_api_permissions(org_with_finding, login, role, name):
    method, url, allowed = API[name]
    client = login(org_with_finding.users[role])
    if method == "get":
        response = client.get(url(org_with_finding))
    else:
        response = client.post(
            url(org_with_finding),
            data=json.dumps({"text": {"fi": "Hei"}, "channel": "facebook"}),
            content_type="application/json",
        )
    if role in allowed:
        assert response.status_code == 200, (name, role, response.status_code, response.content[:300])
    else:
        assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_is_sent_to_sign_in(org_with_finding, client, name):
    method, url, _ = PAGES[name]
    response = _call(client, method, url(org_with_finding))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(API))
def test_anonymous_api_gets_401(org_with_finding, client, name):
    method, url, _ = API[name]
    response = getattr(client, method)(url(org_with_finding))
    assert response.status_code == 401


def test_communications_admin_without_two_step_is_sent_to_set_it_up(org, client):
    client.force_login(org.users["communications_admin"])
    response = client.get(reverse("registry:accounts"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp-setup"))
    assert client.get("/api/accounts").status_code == 403


def test_author_without_two_step_is_let_in(org, client):
    client.force_login(org.users["author"])
    assert client.get(reverse("registry:accounts")).status_code == 200


def test_api_post_without_csrf_token_is_refused(org, login):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users["unit_editor"])
    response = client.post(f"/api/grants/{org.leaver_grant.pk}/revoke")
    assert response.status_code == 403
    org.leaver_grant.refresh_from_db()
    assert org.leaver_grant.revoked is None
