"""A Mastodon-connected account: polled (recorded API responses, never the network), answered
through the API, no hiding; the token is stored encrypted."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import httpx
import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

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
    conn = services.connect(
        account, "mastodon", "tok", base_url="https://some.example", statuses=["110000000000000100"]
    )
    server = Server()

    def connector_for(acc):
        c = acc.connection
        return MastodonConnector(
            c.base_url,
            c.secrets()["access_token"],
            statuses=c.statuses,
            since_id=c.since_id or None,
            transport=httpx.MockTransport(server),
            sleep=lambda s: None,
            now=lambda: datetime(2026, 11, 16, 12, tzinfo=UTC),
        )

    monkeypatch.setattr(services, "connector_for", connector_for)
    return conn, server


def test_the_token_is_encrypted_at_rest(mastodon):
    conn, _ = mastodon
    stored = Connection.objects.get(pk=conn.pk).secrets_sealed
    assert "tok" not in stored and json.loads(secrets.decrypt(stored)) == {"access_token": "tok"}


def test_a_connection_stored_before_credential_fields_still_reads_its_token(mastodon):
    conn, _ = mastodon
    Connection.objects.filter(pk=conn.pk).update(secrets_sealed=secrets.encrypt("old-bare-token"))
    assert Connection.objects.get(pk=conn.pk).credentials() == {
        "server": "https://some.example",
        "access_token": "old-bare-token",
    }


def test_poll_takes_replies_and_mentions_in(mastodon):
    conn, _ = mastodon
    report = services.poll(conn)
    by_id = {i.external_id: i for i in report.created}
    assert set(by_id) == {"110000000000000101", "110000000000000103", "110000000000000200"}
    assert (
        by_id["110000000000000200"].kind == "mention"
        and by_id["110000000000000200"].category == "escalate_misuse"
    )
    assert by_id["110000000000000103"].language == "sv"
    conn.refresh_from_db()
    assert conn.since_id == "5002" and conn.last_polled and not conn.last_error
    assert not services.poll(conn).created  # the same answers again: nothing new


def test_answer_goes_through_the_api_and_hide_is_not_offered(mastodon, org):
    conn, server = mastodon
    services.poll(conn)
    item = Item.objects.get(external_id="110000000000000101")
    action, problems = services.send_reply(
        item, org.users["author"], "Kiitos palautteesta!\n/Author Person", "fi"
    )
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


# -- managed in the web application ------------------------------------------------------------------

TOKEN = "s3cret-mastodon-token-0123456789"


@pytest.fixture
def channel_key(monkeypatch):
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())


@pytest.fixture
def admin(org, login):
    return login(org.users["communications_admin"])


def _add(client, account, **extra):
    return client.post(
        reverse("inbox:connections"),
        {
            "account": account.pk,
            "connector": "mastodon",
            "base_url": "https://some.example",
            "token": TOKEN,
            "statuses": "110000000000000100\n110000000000000100\n110000000000000150",
            **extra,
        },
    )


def test_a_communications_admin_connects_an_account_and_the_token_is_never_shown(org, admin, channel_key):
    response = _add(admin, org.account_a)
    assert response.status_code == 302
    conn = Connection.objects.get(account=org.account_a)
    assert conn.connector == "mastodon" and conn.statuses == ["110000000000000100", "110000000000000150"]
    assert TOKEN not in conn.secrets_sealed and conn.secrets()["access_token"] == TOKEN
    listing = admin.get(reverse("inbox:connections")).content.decode()
    edit = admin.get(reverse("inbox:connection", args=[conn.pk])).content.decode()
    assert "visitkirkkonummi" in listing and TOKEN not in listing and TOKEN not in edit
    assert conn.secrets_sealed not in listing + edit
    history = listing.split('id="connection-history"')[1]
    assert "communications_admin" in history and "lisätty" in history


def test_a_change_keeps_the_stored_token_unless_the_server_moves(org, admin, channel_key):
    _add(admin, org.account_a)
    conn = Connection.objects.get(account=org.account_a)
    url = reverse("inbox:connection", args=[conn.pk])
    kept = admin.post(
        url,
        {
            "connector": "mastodon",
            "base_url": "https://some.example",
            "token": "",
            "statuses": "110000000000000999",
        },
    )
    assert kept.status_code == 302
    conn.refresh_from_db()
    assert conn.statuses == ["110000000000000999"] and conn.secrets()["access_token"] == TOKEN
    moved = admin.post(
        url, {"connector": "mastodon", "base_url": "https://other.example", "token": "", "statuses": ""}
    )
    assert (
        moved.status_code == 200
        and "Uusi palvelimen osoite vaatii tunnisteen uudelleen" in moved.content.decode()
    )
    conn.refresh_from_db()
    assert conn.base_url == "https://some.example"
    admin.post(
        url,
        {"connector": "mastodon", "base_url": "https://other.example", "token": "new-token", "statuses": ""},
    )
    conn.refresh_from_db()
    assert conn.base_url == "https://other.example" and conn.secrets()["access_token"] == "new-token"
    history = admin.get(reverse("inbox:connections")).content.decode().split('id="connection-history"')[1]
    assert "palvelimen osoite" in history and "tunniste" in history and "new-token" not in history


def test_removing_a_connection_is_recorded_with_who_did_it(org, admin, channel_key):
    _add(admin, org.account_a)
    conn = Connection.objects.get(account=org.account_a)
    assert admin.post(reverse("inbox:connection-delete", args=[conn.pk])).status_code == 302
    assert not Connection.objects.filter(pk=conn.pk).exists()
    assert services.capabilities(org.account_a)[1] is False  # answered by hand from now on
    removed = Connection.history.filter(id=conn.pk, history_type="-").get()
    assert removed.history_user == org.users["communications_admin"]


def test_http_addresses_and_the_file_connector_are_refused(org, admin, channel_key):
    plain = _add(admin, org.account_a, base_url="http://some.example")
    assert plain.status_code == 200 and "https://" in plain.content.decode()
    assert _add(admin, org.account_a, connector="file").status_code == 200
    assert _add(admin, org.account_a, token="").status_code == 200
    assert not Connection.objects.exists()


def test_without_the_channel_key_nothing_is_stored_and_the_reader_is_told_in_their_language(
    org, admin, monkeypatch
):
    monkeypatch.delenv(secrets.KEY_ENV, raising=False)
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")  # the server's language: the page still follows the reader
    page = admin.post(
        reverse("inbox:connections"),
        {
            "account": org.account_a.pk,
            "connector": "mastodon",
            "base_url": "https://some.example",
            "token": TOKEN,
        },
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert page.status_code == 200 and "sätt somevahti_channel_key" in page.content.decode().lower()
    assert not Connection.objects.exists()


def test_a_connection_form_without_the_csrf_token_is_refused(org, channel_key):
    from django.test import Client

    from tests.web.conftest import verified_login

    client = Client(enforce_csrf_checks=True)
    verified_login(client, org.users["communications_admin"])
    assert _add(client, org.account_a).status_code == 403
    assert not Connection.objects.exists()
    client.get(reverse("inbox:connections"))  # the form page sets the CSRF cookie
    assert (
        _add(client, org.account_a, csrfmiddlewaretoken=client.cookies["csrftoken"].value).status_code == 302
    )
    assert Connection.objects.filter(account=org.account_a).exists()


def test_polling_is_not_an_entry_in_the_connection_history(mastodon):
    conn, _ = mastodon
    before = conn.history.count()
    services.poll(conn)
    services.poll(conn)
    assert conn.history.count() == before == 1
