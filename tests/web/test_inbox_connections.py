"""A Mastodon-connected account: polled (recorded API responses, never the network), answered
through the API, no hiding; the token is stored encrypted."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import httpx
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from somevahti.channels import secrets
from somevahti.channels.base import NotSupported
from somevahti.channels.mastodon import MastodonConnector
from somevahti.web.inbox import services
from somevahti.web.inbox.models import Connection, Item
from somevahti.web.registry.models import Account
from tests.channels.test_connectors import Server
from tests.web.test_inbox import fresh_archive  # noqa: F401 - the fixture is used by name


@pytest.fixture
def mastodon(org, monkeypatch):
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())
    account = Account.objects.create(platform="mastodon", handle="kirkkonummi", unit=org.unit_a)
    conn = services.connect(account, "mastodon", "tok", base_url="https://some.example",
                            statuses=["110000000000000100"])
    server = Server()

    def connector_for(acc):
        c = acc.connection
        return MastodonConnector(c.base_url, secrets.decrypt(c.token_sealed), statuses=c.statuses,
                                 since_id=c.since_id or None, transport=httpx.MockTransport(server),
                                 sleep=lambda s: None, now=lambda: datetime(2026, 11, 16, 12, tzinfo=UTC))

    monkeypatch.setattr(services, "connector_for", connector_for)
    return conn, server


def test_the_token_is_encrypted_at_rest(mastodon):
    conn, _ = mastodon
    stored = Connection.objects.get(pk=conn.pk).token_sealed
    assert "tok" != stored and secrets.decrypt(stored) == "tok"


def test_poll_takes_replies_and_mentions_in(mastodon):
    conn, _ = mastodon
    report = services.poll(conn)
    by_id = {i.external_id: i for i in report.created}
    assert set(by_id) == {"110000000000000101", "110000000000000103", "110000000000000200"}
    assert by_id["110000000000000200"].kind == "mention" and by_id["110000000000000200"].category == "escalate_misuse"
    assert by_id["110000000000000103"].language == "sv"
    conn.refresh_from_db()
    assert conn.since_id == "5002" and conn.last_polled and not conn.last_error
    assert not services.poll(conn).created  # the same answers again: nothing new


def test_answer_goes_through_the_api_and_hide_is_not_offered(mastodon, org):
    conn, server = mastodon
    services.poll(conn)
    item = Item.objects.get(external_id="110000000000000101")
    action, problems = services.send_reply(item, org.users["author"], "Kiitos palautteesta!\n/Author Person", "fi")
    assert action is not None and not action.by_hand and action.external_id == "110000000000000300"
    assert server.calls[-1].method == "POST" and server.calls[-1].url.path == "/api/v1/statuses"
    caps, api = services.capabilities(item.account)
    assert api and not caps.can_hide and not caps.can_delete
    with pytest.raises(NotSupported):
        services.moderate(item, org.users["author"], "hidden", "x")


def test_poll_command_reports_each_account(mastodon):
    out = io.StringIO()
    call_command("inbox_poll", "--once", stdout=out)
    assert "mastodon: kirkkonummi" in out.getvalue().lower() and "3 new" in out.getvalue()
