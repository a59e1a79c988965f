"""The home page's cards, per role of the demo organisation: every count equals the number of rows
its target page lists, also right after a change made elsewhere (a grant revoked, a comment
answered, a request decided), and the queries per home page do not grow with the organisation."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from somevahti.web.archive import access

CARD = re.compile(r'data-card="([^"]+)" data-count="(\d+)"><a href="([^"]+)"')
COUNT = re.compile(r'id="result-count" data-count="(\d+)"')
ROLES = {
    "communications_admin": "viestinta",
    "unit_editor": "yksikko",
    "author": "kirjoittaja",
    "supervisor": "esihenkilo",
    "it_security": "tietoturva",
    "auditor": "tarkastaja",
}


@pytest.fixture
def demo(db, monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_DB", f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_MEDIA", str(tmp_path / "media"))
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("SOMEVAHTI_ORG", "kirkkonummi")
    access.close()
    from somevahti.web.core.demo import load_demo
    from somevahti.web.publishing import demo as publishing_demo

    monkeypatch.setattr(publishing_demo, "channel_directory", lambda: tmp_path / "channels")

    with django_capture_on_commit_callbacks(execute=True):  # the publications go out as they would
        load_demo()
    yield
    access.close()


def _as(login, username):
    from django.contrib.auth import get_user_model

    return login(get_user_model().objects.get(username=username))


def cards(client) -> dict[str, tuple[int, str]]:
    page = client.get(reverse("home"))
    assert page.status_code == 200
    return {key: (int(n), html.unescape(url)) for key, n, url in CARD.findall(page.content.decode())}


def listed(client, url) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    found = COUNT.search(page.content.decode())
    assert found, f"{url} shows no result count"
    return int(found.group(1))


def assert_counts_match(client) -> dict[str, int]:
    shown = cards(client)
    assert shown, "no cards"
    for key, (n, url) in shown.items():
        if key.startswith("core.worker"):  # the worker's health is a status (JSON for monitoring), not a list
            continue
        assert listed(client, url) == n, key
    return {k: n for k, (n, _) in shown.items()}


def test_every_count_is_what_its_page_lists_for_every_role(demo, login):
    seen = {}
    for role, username in ROLES.items():
        seen[role] = assert_counts_match(_as(login, username))
    # each role has work waiting on the demo's first day
    assert seen["communications_admin"]["inbox.overdue"] > 0
    assert seen["communications_admin"]["inbox.threats"] >= 1
    assert seen["communications_admin"]["inbox.incidents"] == 2
    assert seen["communications_admin"]["audits.mine"] >= 8
    assert seen["communications_admin"]["requests.to-decide"] == 1
    assert seen["unit_editor"]["audits.mine"] >= 1 and seen["unit_editor"]["inbox.open"] > 0
    assert seen["author"]["requests.mine"] == 2 and seen["author"]["inbox.open"] > 0
    assert seen["supervisor"]["requests.to-decide"] == 1 and seen["supervisor"]["audits.mine"] >= 1
    assert seen["it_security"]["audits.mine"] >= 1 and seen["it_security"]["inbox.incidents"] >= 1
    # publishing: drafts in review for each approver, one sent back to its author, one failed, posts today
    assert seen["communications_admin"]["publishing.awaiting-my-approval"] >= 2
    assert seen["unit_editor"]["publishing.awaiting-my-approval"] >= 1
    assert seen["author"]["publishing.sent-back"] == 1
    assert seen["communications_admin"]["publishing.failed"] == 1
    assert seen["communications_admin"]["publishing.today"] >= 1
    # the library's Facebook page must be connected again within a week; only admins connect accounts
    assert seen["communications_admin"]["inbox.tokens-expiring"] == 1
    assert "inbox.tokens-expiring" not in seen["unit_editor"]
    assert seen["auditor"]["audits.open"] == seen["communications_admin"]["audits.mine"]
    assert "inbox.open" not in seen["auditor"] and "audits.mine" not in seen["auditor"]


def test_counts_follow_a_change_made_elsewhere(demo, login, client):
    from django.contrib.auth import get_user_model

    from somevahti.web.inbox import services
    from somevahti.web.inbox.models import Item
    from somevahti.web.registry.models import AccessGrant
    from somevahti.web.requests.models import AccountRequest

    supervisor = _as(login, "esihenkilo")
    before = assert_counts_match(supervisor)
    admin = get_user_model().objects.get(username="viestinta")
    # the communications admin revokes the leaver's grant: the supervisor's finding goes at once
    grant = AccessGrant.objects.get(person__name="Ville Virtanen", revoked__isnull=True)
    admin_client = _as(login, "viestinta")
    admin_before = assert_counts_match(admin_client)
    assert admin_client.post(reverse("registry:grant-revoke", args=[grant.pk])).status_code == 302
    # a late question is answered, the pending account request rejected (an approval registers a new
    # account, whose own findings would follow)
    late = Item.objects.filter(status="open", due_at__isnull=False).order_by("due_at").first()
    assert late.is_overdue(late.due_at.__class__.now(late.due_at.tzinfo))
    action, problems = services.send_reply(
        late,
        admin,
        "Kiitos kysymyksestä! Uimahalli on auki arkisin kello 21 asti. /Sanna Lehtinen, viestintä",
        "fi",
    )
    assert action is not None, [p.message for p in problems]
    pending = AccountRequest.objects.get(status="pending")
    response = admin_client.post(
        reverse("requests:decide", args=[pending.pk]),
        {"decision": "reject", "reason": "Kirjaston videot julkaistaan kunnan kanavalla."},
    )
    assert response.status_code == 302
    after = assert_counts_match(admin_client)
    assert after["inbox.overdue"] == admin_before["inbox.overdue"] - 1
    assert after["inbox.open"] == admin_before["inbox.open"] - 1
    assert after["audits.mine"] == admin_before["audits.mine"] - 1
    assert after["requests.to-decide"] == admin_before["requests.to-decide"] - 1
    supervisor = _as(login, "esihenkilo")
    assert assert_counts_match(supervisor)["audits.mine"] == before["audits.mine"] - 1


def test_the_home_page_queries_do_not_grow_with_the_organisation(demo, login):
    from somevahti.web.audits.service import run_and_store
    from somevahti.web.registry.models import Account, Unit

    client = _as(login, "viestinta")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    unit = Unit.objects.first()
    Account.objects.bulk_create(
        [Account(platform="facebook", handle=f"extra{i}", unit=unit) for i in range(200)]
    )
    run_and_store(notify=False)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("home"))
    assert len(large) == len(small)


def test_the_page_walks_list_every_page(demo):
    from .pages import NOT_PAGES, demo_pages, named_urls

    assert named_urls() - NOT_PAGES == set(demo_pages())


SHORTCUTS = re.compile(r'<ul id="shortcuts">(.*?)</ul>', re.S)


def test_the_shortcuts_offer_writing_to_those_who_write_and_every_one_opens(demo, login):
    offered = {}
    for role, username in ROLES.items():
        client = _as(login, username)
        block = SHORTCUTS.search(client.get(reverse("home")).content.decode()).group(1)
        offered[role] = [html.unescape(u) for u in re.findall(r'href="([^"]+)"', block)]
        for url in offered[role]:
            assert client.get(url).status_code == 200, (role, url)
    new_post = reverse("publishing:new")
    assert new_post in offered["author"] and new_post in offered["unit_editor"]
    assert new_post not in offered["auditor"] and new_post not in offered["it_security"]
    assert reverse("inbox:list") in offered["author"] and reverse("inbox:list") not in offered["auditor"]
