"""schemathesis over the API's own OpenAPI document, signed in as each role: whatever the generated
paths, queries and bodies, no 500 (a 4xx says what is wrong; a crash says nothing)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from somevahti.web.api.api import api
from somevahti.web.core.models import Role
from somevahti.web.wsgi import application

from .conftest import verified_login

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = application


def _cookies(client) -> dict:
    cookies = {k: v.value for k, v in client.cookies.items()}
    cookies.setdefault("csrftoken", "a" * 32)
    return cookies


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The app is called as WSGI, not through Django's test client: like the client, keep Django from
    closing the test's database connection at the end of each request (on PostgreSQL that ends the
    test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.parametrize("role", [r.value for r in Role])
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_500_for_any_generated_request(case, role, org, client):
    from django.core.cache import cache

    cache.clear()  # the per-user check rate limit is not what this test is about
    user = org.users[role]
    if role == Role.COMMUNICATIONS_ADMIN:
        verified_login(client, user)
    else:
        client.force_login(user)
    cookies = _cookies(client)
    response = case.call(cookies=cookies, headers={"X-CSRFToken": cookies["csrftoken"]})
    assert response.status_code != 401, "the generated request should be signed in"
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        case.query,
        case.body,
        response.status_code,
        response.text[:500],
    )
