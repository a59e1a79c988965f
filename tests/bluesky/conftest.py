"""The real local AT Protocol network (PLC, PDS, AppView on the session's PostgreSQL), once per
test session, with two accounts: alice (who publishes, through an app password) and bob."""

import os

import httpx
import pytest

from somevahti.devtools import bluesky as devnet


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")


def _require_node():
    reason = devnet.missing_reason()
    if reason is None:
        return
    if os.environ.get("CI") and devnet.node_binary() is not None:
        pytest.fail(f"{reason}; `make test` installs it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def bsky_network(postgres_url):
    _require_node()
    net = devnet.Network(
        [("alice.test", "alice-main-password"), ("bob.test", "bob-main-password")], postgres_url=postgres_url
    )
    net.start()
    yield net
    net.stop()


def app_password(pds_url: str, handle: str, password: str, name: str) -> str:
    """What a person does in the Bluesky app's settings: make an app password for somevahti."""
    session = httpx.post(
        f"{pds_url}/xrpc/com.atproto.server.createSession", json={"identifier": handle, "password": password}
    ).json()
    answer = httpx.post(
        f"{pds_url}/xrpc/com.atproto.server.createAppPassword",
        json={"name": name},
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
    )
    answer.raise_for_status()
    return answer.json()["password"]


@pytest.fixture(scope="session")
def alice_credentials(bsky_network):
    password = app_password(bsky_network.pds_url, "alice.test", "alice-main-password", "somevahti")
    return {"server": bsky_network.pds_url, "identifier": "alice.test", "app_password": password}


@pytest.fixture
def alice(alice_credentials):
    from somevahti.channels.bluesky import BlueskyConnector

    return BlueskyConnector.from_credentials(alice_credentials)


@pytest.fixture
def bob(bsky_network):
    from somevahti.channels.bluesky import BlueskyConnector

    return BlueskyConnector(bsky_network.pds_url, "bob.test", "bob-main-password")


def account(net, handle):
    return next(a for a in net.info["accounts"] if a["handle"] == handle)


def get_record(net, uri: str) -> dict:
    did, collection, rkey = uri.removeprefix("at://").split("/")
    answer = httpx.get(
        f"{net.pds_url}/xrpc/com.atproto.repo.getRecord",
        params={"repo": did, "collection": collection, "rkey": rkey},
    )
    answer.raise_for_status()
    return answer.json()


def list_posts(net, did: str) -> list[dict]:
    records, cursor = [], None
    while True:
        params = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = httpx.get(f"{net.pds_url}/xrpc/com.atproto.repo.listRecords", params=params).json()
        records += page["records"]
        cursor = page.get("cursor")
        if not cursor or not page["records"]:
            return records
