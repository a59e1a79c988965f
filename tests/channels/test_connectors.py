"""Connectors: the registry and capability flags, the file importer, the Mastodon connector against
recorded API responses (never the network), backoff on 429/5xx, token encryption."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from somevahti import channels
from somevahti.channels import file as file_connector
from somevahti.channels import polling, secrets
from somevahti.channels.base import ChannelError, NotSupported
from somevahti.channels.mastodon import MastodonConnector, plain_text
from somevahti.errors import InputError, SomevahtiError

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "mastodon.json").read_text(encoding="utf-8"))
BASE = "https://some.example"


class Server:
    """Answers from the recorded responses; ``fail`` scripts failures before the real answer."""

    def __init__(self, fail: dict | None = None, pages: list | None = None):
        self.calls: list[httpx.Request] = []
        self.fail = {k: list(v) for k, v in (fail or {}).items()}
        self.pages = pages

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        key = f"{request.method} {request.url.path}"
        assert request.headers["Authorization"] == "Bearer tok"
        if self.fail.get(key):
            status, headers = self.fail[key].pop(0)
            return httpx.Response(status, headers=headers, json={"error": "slow down"})
        if key == "GET /api/v1/notifications" and self.pages is not None:
            return httpx.Response(200, json=self.pages.pop(0) if self.pages else [])
        if key not in FIXTURES:
            return httpx.Response(404, json={"error": "Record not found"})
        return httpx.Response(200, json=FIXTURES[key])


def connector(server: Server, **kw) -> tuple[MastodonConnector, list[float]]:
    slept: list[float] = []
    c = MastodonConnector(
        BASE,
        "tok",
        statuses=["110000000000000100"],
        transport=httpx.MockTransport(server),
        sleep=slept.append,
        now=lambda: datetime(2026, 11, 16, 12, 0, tzinfo=UTC),
        **kw,
    )
    return c, slept


def test_registry_and_capabilities():
    assert {"file", "mastodon"} <= set(channels.available())
    mastodon = channels.get("mastodon").capabilities
    assert mastodon.can_fetch_comments and mastodon.can_reply and mastodon.can_retract
    assert (
        not mastodon.can_hide and not mastodon.can_delete
    )  # Mastodon has no hide; others' statuses are theirs
    f = channels.get("file").capabilities
    assert f.can_fetch_comments and not (f.can_reply or f.can_hide or f.can_delete)
    with pytest.raises(ChannelError, match="unknown channel connector"):
        channels.get("myspace")


def test_file_jsonl_and_csv():
    jsonl = (
        '{"id": "c1", "text": "Milloin kirjasto aukeaa?", "post": "p1", "post_author": "a@kirkkonummi.fi", '
        '"created": "2026-11-16T09:00:00+02:00", "language": "fi"}\n'
        '\n{"id": "c2", "text": "Tack!", "kind": "reply"}\n'
    )
    items, errors = file_connector.parse(jsonl.encode())
    assert not errors and [i.external_id for i in items] == ["c1", "c2"]
    assert items[0].post_author == "a@kirkkonummi.fi" and items[0].occurred.utcoffset() == timedelta(hours=2)
    assert items[1].kind == "reply" and items[1].occurred is None
    csv_text = 'id,text,author,created\n1,"Huono palvelu, taas",Maija,2026-11-16T09:00:00Z\n2,Kiitos,,\n'
    items, errors = file_connector.parse(csv_text.encode("utf-8-sig"), channel="facebook")
    assert not errors and items[0].text == "Huono palvelu, taas" and items[0].channel == "facebook"
    assert items[0].author_name == "Maija"


def test_file_bad_lines_are_named_and_good_lines_kept():
    jsonl = (
        '{"id": "1", "text": "ok"}\n{broken\n{"id": "2"}\n{"id": "1", "text": "again"}\n'
        '{"id": "3", "text": "x", "kind": "dm"}\n{"id": "4", "text": "x", "created": "yesterday"}\n'
    )
    items, errors = file_connector.parse(jsonl)
    assert [i.external_id for i in items] == ["1"]
    assert [e.line for e in errors] == [2, 3, 4, 5, 6]
    assert "twice" in str(errors[2]) and "created" in str(errors[4])


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00", b"name;comment\nx;y\n"])
def test_file_unreadable(data):
    with pytest.raises(InputError):
        file_connector.parse(data, "upload.csv")


def test_plain_text_from_status_html():
    assert plain_text("<p>Yksi &amp; kaksi<br>kolme</p><p>neljä</p>") == "Yksi & kaksi\nkolme\n\nneljä"


def test_mastodon_fetch_replies_and_mentions():
    server = Server()
    c, slept = connector(server)
    items = c.fetch()
    by_id = {i.external_id: i for i in items}
    # our own answer (…102) is skipped; …103 came both as a reply and as a mention: once.
    assert list(by_id) == ["110000000000000101", "110000000000000103", "110000000000000200"]
    first = by_id["110000000000000101"]
    assert first.kind == "comment" and first.parent_id == "110000000000000100"
    assert first.text == "@kirkkonummi Miksi kirjasto on taas kiinni lauantaina?"
    assert (
        first.post_text.startswith("Kirjaston aukioloajat") and first.author_handle == "maija@other.example"
    )
    assert (
        by_id["110000000000000103"].kind == "reply"
        and "Samma här & igen.\nDålig service." == by_id["110000000000000103"].text
    )
    assert (
        by_id["110000000000000200"].kind == "mention"
        and by_id["110000000000000200"].raw["id"] == "110000000000000200"
    )
    assert c.since_id == "5002" and not slept
    notif = [r for r in server.calls if r.url.path == "/api/v1/notifications"][0]
    assert notif.url.params["types[]"] == "mention"


def test_mastodon_mentions_page_from_the_last_seen_id():
    full = [
        {
            "id": str(6000 + i),
            "type": "mention",
            "status": {"id": str(9000 + i), "content": "x", "account": {"id": "1"}},
        }
        for i in range(40, 0, -1)
    ]
    server = Server(
        pages=[
            full,
            [
                {
                    "id": "6041",
                    "type": "mention",
                    "status": {"id": "9041", "content": "y", "account": {"id": "1"}},
                }
            ],
        ]
    )
    c, _ = connector(server, since_id="5999")
    c.statuses = []
    items = c.fetch()
    assert len(items) == 41 and c.since_id == "6041"
    cursors = [r.url.params.get("min_id") for r in server.calls if r.url.path == "/api/v1/notifications"]
    assert cursors == ["5999", "6040"]


def test_mastodon_backs_off_on_429_and_5xx():
    reset = "2026-11-16T12:00:30.000Z"  # 30 s after the fake clock
    server = Server(
        fail={
            "GET /api/v1/statuses/110000000000000100/context": [
                (503, {}),
                (429, {"X-RateLimit-Reset": reset}),
                (502, {"Retry-After": "7"}),
            ]
        }
    )
    c, slept = connector(server)
    assert len(c.fetch()) == 3
    assert slept == [1.0, 30.0, 7.0]  # 1 s, then the server's reset time, then max(4 s, Retry-After 7 s)


def test_mastodon_gives_up_after_the_retries():
    server = Server(fail={"GET /api/v1/accounts/verify_credentials": [(500, {})] * 10})
    c, slept = connector(server, max_retries=3)
    with pytest.raises(ChannelError, match="4 attempts"):
        c.fetch()
    assert slept == [1.0, 2.0, 4.0]


def test_mastodon_reply_retract_and_no_hide():
    server = Server()
    c, _ = connector(server)
    assert c.reply("110000000000000101", "Kiitos palautteesta!", "fi") == "110000000000000300"
    post = server.calls[-1]
    assert json.loads(post.content) == {
        "status": "Kiitos palautteesta!",
        "in_reply_to_id": "110000000000000101",
        "visibility": "public",
        "language": "fi",
    }
    assert len(post.headers["Idempotency-Key"]) == 64
    c.retract("110000000000000300")
    assert server.calls[-1].method == "DELETE"
    with pytest.raises(NotSupported):
        c.hide("110000000000000101")
    with pytest.raises(NotSupported):
        c.delete("110000000000000101")
    with pytest.raises(ChannelError, match="404"):
        c.retract("1")


def test_polling_doubles_the_wait_after_failures():
    class Flaky:
        name = "flaky"

        def __init__(self):
            self.results = [ChannelError("down"), ChannelError("down"), ["a"], ChannelError("down")]

        def fetch(self):
            r = self.results.pop(0)
            if isinstance(r, Exception):
                raise r
            return r

    got: list = []
    waits = polling.poll(Flaky(), got.extend, interval=60, rounds=4, sleep=lambda s: None)
    assert got == ["a"] and waits == [120, 240, 60]


def test_tokens_are_encrypted_with_the_key_from_the_environment(monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv(secrets.KEY_ENV, key)
    sealed = secrets.encrypt("tok-123")
    assert "tok-123" not in sealed and secrets.decrypt(sealed) == "tok-123"
    monkeypatch.setenv(
        secrets.KEY_ENV, Fernet.generate_key().decode() + "," + key
    )  # rotated: old still reads
    assert secrets.decrypt(sealed) == "tok-123"
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(SomevahtiError, match="cannot be decrypted"):
        secrets.decrypt(sealed)
    monkeypatch.delenv(secrets.KEY_ENV)
    with pytest.raises(SomevahtiError, match=secrets.KEY_ENV):
        secrets.encrypt("x")
