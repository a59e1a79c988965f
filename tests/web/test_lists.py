"""Long lists: the pager keeps the filters, and a page costs the same number of SQL queries whether the
registry is small or large (no query per row)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from somevahti.web.audits.service import run_and_store
from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation


def _next_link(response) -> dict[str, list[str]]:
    links = re.findall(r'<a href="(\?[^"]*)">[^<]*›', response.content.decode())
    assert len(links) == 1, "one link to the next page"
    return parse_qs(html.unescape(links[0])[1:])


def _accounts(org, platform: str, n: int, **fields) -> list[Account]:
    return Account.objects.bulk_create(
        [Account(platform=platform, handle=f"{platform}{i:03d}", unit=org.unit_b, **fields) for i in range(n)]
    )


def test_account_pages_keep_platform_status_and_search(org, login):
    _accounts(org, "instagram", 60)
    _accounts(org, "x", 60)
    client = login(org.users["auditor"])
    url = reverse("registry:accounts")
    first = client.get(url, {"platform": "instagram", "status": "active", "q": "insta"})
    assert _next_link(first) == {
        "platform": ["instagram"],
        "status": ["active"],
        "q": ["insta"],
        "page": ["2"],
    }
    second = client.get(url, {"platform": "instagram", "status": "active", "q": "insta", "page": "2"})
    shown = list(second.context["page"])
    assert len(shown) == 10 and {a.platform for a in shown} == {"instagram"}
    # The htmx table (filters changed in place) links on with the same filters.
    partial = client.get(
        url, {"platform": "x", "status": "active"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert b"<html" not in partial.content
    assert _next_link(partial) == {"platform": ["x"], "status": ["active"], "page": ["2"]}
    # Near miss: without filters the next page mixes platforms.
    assert _next_link(client.get(url)) == {"page": ["2"]}
    assert len({a.platform for a in client.get(url, {"page": "2"}).context["page"]}) > 1


def test_people_pages_keep_the_status_filter(org, login):
    Person.objects.bulk_create(
        [Person(name=f"Entinen {i:02d}", status="left", unit=org.unit_b) for i in range(55)]
    )
    client = login(org.users["auditor"])
    url = reverse("registry:people")
    assert _next_link(client.get(url, {"status": "left"})) == {"status": ["left"], "page": ["2"]}
    shown = list(client.get(url, {"status": "left", "page": "2"}).context["page"])
    assert shown and {p.status for p in shown} == {"left"}


def test_audit_pages_keep_the_status_and_rule_filters(org, login):
    _accounts(
        org,
        "youtube",
        55,
        names_maintainer=True,
        links_website=True,
        contact_email="somevahti@kirkkonummi.fi",
    )
    client = login(org.users["auditor"])
    url = reverse("audits:list")
    first = client.get(url, {"status": "open", "rule": "privacy-notice"})
    assert _next_link(first) == {"status": ["open"], "rule": ["privacy-notice"], "page": ["2"]}
    shown = list(client.get(url, {"status": "open", "rule": "privacy-notice", "page": "2"}).context["page"])
    assert shown and {f.rule for f in shown} == {"privacy-notice"}


def _queries(client, url) -> int:
    client.get(url)  # caches warm (pack, audit state)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def _grow(org, today) -> Account:
    """Many more rows of every kind, and one account with many grants and findings."""
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"Henkilö {i:03d}",
                unit=org.unit_b,
                supervisor=org.other,
                email=f"h{i}@kirkkonummi.fi",
                status="left" if i % 3 else "active",
            )
            for i in range(120)
        ]
    )
    accounts = _accounts(org, "linkedin", 80, owner=org.other)
    busy = accounts[0]
    AccessGrant.objects.bulk_create(
        [AccessGrant(person=p, account=busy, role="editor", granted=today) for p in people[:40]]
    )
    AccessGrant.objects.bulk_create(
        [
            AccessGrant(person=people[i], account=a, role="admin", granted=today)
            for i, a in enumerate(accounts[1:], start=40)
        ]
    )
    SecurityAttestation.objects.bulk_create(
        [SecurityAttestation(account=a, two_factor=False) for a in accounts]
    )
    run_and_store(notify=False)
    return busy


@pytest.mark.parametrize("role", ["auditor", "communications_admin"])
def test_queries_per_page_do_not_grow_with_the_registry(org, login, role):
    client = login(org.users[role])
    pages = ["registry:accounts", "registry:people", "registry:units", "audits:list", "registry:history"]
    small = {name: _queries(client, reverse(name)) for name in pages}
    small["account"] = _queries(client, reverse("registry:account", args=[org.account_a.pk]))
    small["person"] = _queries(client, reverse("registry:person", args=[org.leaver.pk]))
    busy = _grow(org, org.today - timedelta(days=1))
    large = {name: _queries(client, reverse(name)) for name in pages}
    large["account"] = _queries(client, reverse("registry:account", args=[busy.pk]))
    large["person"] = _queries(client, reverse("registry:person", args=[org.other.pk]))
    assert large == small


def test_a_filter_that_matches_nothing_and_a_page_past_the_end(org, login):
    client = login(org.users["auditor"])
    empty = client.get(reverse("registry:accounts"), {"q": "ei-tällaista-tiliä"})
    assert empty.status_code == 200 and list(empty.context["page"]) == []
    assert client.get(reverse("audits:list"), {"status": "accepted"}).context["page"].object_list == []
    # A page number past the end shows the last page, a word the first.
    last = client.get(reverse("registry:people"), {"page": "999"}).context["page"]
    assert last.number == last.paginator.num_pages and len(last.object_list) > 0
    assert client.get(reverse("registry:people"), {"page": "x"}).context["page"].number == 1
