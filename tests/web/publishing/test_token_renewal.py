"""Access that runs out: a connector that keeps a session gets it stored (sealed, never in the plain
settings) the first time, so it does not log in again on every run; a failed renewal shows on the
connection at once; the dashboard names the accounts a person must connect again within a week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from somevahti.channels import base, secrets
from somevahti.channels.file import FileConnector
from somevahti.web.inbox.cards import expiring_connections
from somevahti.web.inbox.models import Connection
from somevahti.web.publishing import connections


class SessionFile(FileConnector):
    """A file channel that logs in like Bluesky does: each login makes a new session."""

    name = "sessionfile"
    stores_session = True
    logins = 0
    refuse = False

    def refresh_credentials(self):
        if SessionFile.refuse:
            raise RuntimeError("the app password was revoked")
        SessionFile.logins += 1
        expires = datetime.now(UTC) + timedelta(hours=2)
        return {"session": f"session-{SessionFile.logins}", "expires_at": expires.isoformat()}


@pytest.fixture
def channel_key(monkeypatch):
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())


@pytest.fixture
def session_connector(monkeypatch, channel_key):
    base._load()
    monkeypatch.setitem(base._REGISTRY, "sessionfile", SessionFile)
    monkeypatch.setattr(SessionFile, "logins", 0)
    monkeypatch.setattr(SessionFile, "refuse", False)
    return SessionFile


def _connect(org, connector, tmp_path, account=None):
    account = account or org.account_a
    return connections.connect(
        org.users["communications_admin"],
        account,
        connector,
        {"directory": str(tmp_path / account.handle), "platform": account.platform},
    )


def _id(account) -> str:
    return f"{account.platform}:{account.handle}"


def test_the_first_session_is_stored_sealed_and_used_again(org, session_connector, tmp_path):
    conn = _connect(org, "sessionfile", tmp_path)
    connections.connector_for_account(_id(org.account_a))
    connections.connector_for_account(_id(org.account_a))
    conn.refresh_from_db()
    assert SessionFile.logins == 1  # the second run used the stored session
    assert "session" not in conn.settings and "session-1" not in conn.secrets_sealed
    assert conn.secrets()["session"] == "session-1"
    assert conn.expires_at is not None and conn.reconnect_by is None  # it logs in again by itself


def test_a_session_stored_in_plain_settings_by_an_older_version_is_sealed_at_the_next_change(
    org, session_connector, tmp_path
):
    conn = _connect(org, "sessionfile", tmp_path)
    conn.settings = {**conn.settings, "session": "old-plain-session"}
    conn.set_credentials({"session": "new-session"})
    conn.save()
    conn.refresh_from_db()
    assert "session" not in conn.settings and conn.secrets()["session"] == "new-session"


def test_a_failed_renewal_is_the_connections_last_error_and_a_dashboard_card(
    org, session_connector, tmp_path, login
):
    conn = _connect(org, "sessionfile", tmp_path)
    SessionFile.refuse = True
    connections.connector_for_account(_id(org.account_a))
    conn.refresh_from_db()
    assert "revoked" in conn.last_error
    admin = login(org.users["communications_admin"])
    home = admin.get(reverse("home")).content.decode()
    assert 'data-card="inbox.connections-failed" data-count="1"' in home
    SessionFile.refuse = False
    connections.connector_for_account(_id(org.account_a))
    conn.refresh_from_db()
    assert conn.last_error == "" and SessionFile.logins == 1


def test_accounts_whose_access_runs_out_within_a_week_are_listed_for_the_admin(
    org, channel_key, tmp_path, login
):
    now = datetime.now(UTC)
    page_token = _connect(org, "file", tmp_path)  # a token that only a person can renew, 3 days left
    page_token.settings = {**page_token.settings, "expires_at": (now + timedelta(days=3)).isoformat()}
    page_token.save()
    renewable = _connect(org, "file", tmp_path, account=org.account_b)  # its refresh token lasts a year
    renewable.set_credentials(
        {
            "refresh_token": "r",
            "expires_at": (now + timedelta(hours=1)).isoformat(),
            "refresh_expires_at": (now + timedelta(days=300)).isoformat(),
        }
    )
    renewable.save()
    assert list(expiring_connections()) == [page_token]
    assert renewable.reconnect_by.date() == (now + timedelta(days=300)).date()

    admin = login(org.users["communications_admin"])
    home = admin.get(reverse("home")).content.decode()
    assert 'data-card="inbox.tokens-expiring" data-count="1"' in home
    listing = admin.get(reverse("inbox:connections") + "?expiring=1").content.decode()
    assert 'id="result-count" data-count="1"' in listing
    assert org.account_a.handle in listing and f'data-account="{org.account_b}"' not in listing
    past = now - timedelta(days=1)  # already ran out: still listed
    page_token.settings = {**page_token.settings, "expires_at": past.isoformat()}
    page_token.save()
    assert list(expiring_connections()) == [page_token]


def test_a_unit_editor_is_not_shown_the_expiring_accounts(org, channel_key, tmp_path, login):
    conn = _connect(org, "file", tmp_path)
    conn.settings = {**conn.settings, "expires_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}
    conn.save()
    editor = login(org.users["unit_editor"])
    assert "inbox.tokens-expiring" not in editor.get(reverse("home")).content.decode()
    assert editor.get(reverse("inbox:connections") + "?expiring=1").status_code == 403
    assert Connection.objects.count() == 1


def test_whether_a_person_must_connect_again_is_known_without_decrypting_the_tokens(
    org, channel_key, tmp_path, monkeypatch
):
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    renewable = _connect(org, "file", tmp_path)
    renewable.set_credentials({"refresh_token": "r", "expires_at": soon})
    renewable.save()
    by_hand = _connect(org, "file", tmp_path, account=org.account_b)
    by_hand.set_credentials({"access_token": "t", "expires_at": soon})
    by_hand.save()

    def no_decrypting(self):
        raise AssertionError("the admin's start page decrypted a token")

    monkeypatch.setattr(Connection, "secrets", no_decrypting)
    renewable, by_hand = Connection.objects.get(pk=renewable.pk), Connection.objects.get(pk=by_hand.pk)
    assert renewable.reconnect_by is None  # somevahti renews it with the refresh token
    assert by_hand.reconnect_by == by_hand.expires_at  # only a person can renew it, by then
    assert list(expiring_connections()) == [by_hand]
