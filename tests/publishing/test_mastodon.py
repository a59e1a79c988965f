"""Mastodon publishing against mastodon-mock (a stateful implementation of Mastodon's client API on
loopback), and recorded exchanges (respx) for what the mock cannot answer: an HTML error page."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from somevahti.channels.mastodon import MastodonConnector, plain_text
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, PublishError
from somevahti.publishing import Engine
from tests.publishing.conftest import account, doc, png

mastodon_mock = pytest.importorskip("mastodon_mock.testing")


@pytest.fixture(scope="module")
def server():
    with mastodon_mock.MockServer() as s:
        yield s


@pytest.fixture
def base(server):
    httpx.post(f"{server.base_url}/api/v1/_mock/reset").raise_for_status()
    return server.base_url


def own_statuses(base, token="alice_token"):
    h = {"Authorization": f"Bearer {token}"}
    me = httpx.get(f"{base}/api/v1/accounts/verify_credentials", headers=h).json()["id"]
    return httpx.get(f"{base}/api/v1/accounts/{me}/statuses", headers=h, params={"limit": 40}).json()


def connector(base, transport=None, token="alice_token"):
    return MastodonConnector.from_credentials({"server": base, "access_token": token}, transport=transport)


def engine_for(queue, archive, conn):
    return Engine(queue, {"mastodon:kirkkonummi": conn}, archive, use_ner=False)


def test_a_bilingual_thread_with_an_image_and_its_description(base, queue, archive, tmp_path):
    (tmp_path / "sali.png").write_bytes(png())
    engine = engine_for(queue, archive, connector(base))
    d = doc(
        media=[
            {
                "type": "image",
                "file": "sali.png",
                "alt": {"fi": "Kirjaston sali", "sv": "Bibliotekets sal"},
                "rights": {"holder": "Kirkkonummen kunta", "licence": "own"},
            }
        ]
    )
    pub = engine.send(engine.submit(d, account(), base_dir=tmp_path).key)
    assert pub.status == "published"
    statuses = {s["id"]: s for s in own_statuses(base)}
    first, second = (statuses[p.external_id] for p in pub.parts)
    assert plain_text(first["content"]) == "Kirjasto on auki tänään kello 10–18."
    assert first["language"] == "fi" and second["language"] == "sv"
    assert second["in_reply_to_id"] == first["id"]
    assert [m["description"] for m in first["media_attachments"]] == ["Kirjaston sali"]
    assert [m["description"] for m in second["media_attachments"]] == ["Bibliotekets sal"]
    assert first["visibility"] == "public"
    assert pub.parts[0].url == first["url"]


def test_idempotency_key_makes_a_resend_return_the_same_status(base):
    conn = connector(base)
    part = Part(key="tiedote-7:0", text="Uimahalli on kiinni huomenna.", languages=("fi",))
    a = conn.publish_part(part)
    b = conn.publish_part(part)  # what a blind retry would do: Mastodon answers with the first status
    assert a.external_id == b.external_id
    assert len(own_statuses(base)) == 1


class AcceptThenDrop(httpx.BaseTransport):
    """Forwards the request to the server, which handles it, then loses the answer."""

    def __init__(self, drop_path="/api/v1/statuses", times=1):
        self.inner = httpx.HTTPTransport()
        self.drop_path, self.times = drop_path, times

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path == self.drop_path and self.times:
            self.times -= 1
            response.read()
            raise httpx.ReadTimeout("the answer never came", request=request)
        return response


def test_an_answer_lost_after_the_server_accepted_is_found_not_posted_again(base, queue, archive):
    conn = connector(base, transport=AcceptThenDrop())
    engine = engine_for(queue, archive, conn)
    pub = engine.send(engine.submit(doc(), account()).key)
    assert pub.status == "queued" and pub.parts[0].state == "unknown" and pub.error_kind == "unknown_outcome"
    assert len(own_statuses(base)) == 1  # it is on the server
    pub = engine.run_due(datetime.now(UTC) + timedelta(minutes=10), "w2")
    pub = engine.status(engine.list()[0].key)
    assert pub.status == "published"
    statuses = own_statuses(base)
    assert len(statuses) == 2  # the Finnish once, the Swedish once
    assert {plain_text(s["content"]) for s in statuses} == {p.text for p in pub.parts}


def test_edit_and_delete(base, queue, archive):
    engine = engine_for(queue, archive, connector(base))
    pub = engine.send(
        engine.submit(doc(text={"fi": "Kirjasto on auki kello 10."}), account(pack="generic")).key
    )
    sid = pub.parts[0].external_id
    engine.edit(
        pub.key, doc(text={"fi": "Kirjasto on auki kello 11."}), account(pack="generic"), edited_by="maija"
    )
    status = httpx.get(
        f"{base}/api/v1/statuses/{sid}", headers={"Authorization": "Bearer alice_token"}
    ).json()
    assert plain_text(status["content"]) == "Kirjasto on auki kello 11." and status["edited_at"]
    engine.delete(pub.key, deleted_by="maija")
    assert (
        httpx.get(
            f"{base}/api/v1/statuses/{sid}", headers={"Authorization": "Bearer alice_token"}
        ).status_code
        == 404
    )
    events = [r.payload["event"] for r in archive.records("kirkkonummi", kinds=["post"])]
    assert events == ["published", "edited", "deleted"]


def test_a_revoked_token_asks_for_reconnecting_and_sends_nothing(base, queue, archive):
    httpx.post(f"{base}/oauth/revoke", data={"token": "bob_token"}).raise_for_status()
    engine = engine_for(queue, archive, connector(base, token="bob_token"))
    pub = engine.send(engine.submit(doc(), account()).key)
    assert pub.status == "failed" and pub.error_kind == ErrorKind.REAUTHORIZE
    assert pub.parts[0].state == "failed" and pub.parts[1].state == "pending"


def test_a_rate_limit_from_the_server_sets_the_next_try(base, queue, archive):
    rule = {
        "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
        "effect": {"type": "ratelimit"},
        "count": 1,
    }
    httpx.post(f"{base}/api/v1/_mock/faults", json=rule).raise_for_status()
    engine = engine_for(queue, archive, connector(base))
    key = engine.submit(doc(), account()).key
    now = datetime.now(UTC)
    pub = engine.send(key, now=now)
    assert pub.status == "queued" and pub.error_kind == "retry_later"
    assert pub.next_try_at >= now + timedelta(seconds=250)  # the mock's reset is 300 s away
    assert own_statuses(base) == []
    engine.run_due(now + timedelta(seconds=400), "w")
    assert engine.status(key).status == "published" and len(own_statuses(base)) == 2


def test_content_the_server_refuses_needs_fixing_with_its_reason(base):
    conn = connector(base)
    with pytest.raises(PublishError) as e:
        conn.publish_part(Part(key="k:0", text="x" * 600, languages=("fi",)))
    assert e.value.kind == ErrorKind.FIX_CONTENT and e.value.platform_reason


@respx.mock
def test_a_server_answering_html_is_down_not_a_success():
    respx.post("https://some.example/api/v1/statuses").mock(
        return_value=httpx.Response(
            502,
            headers={"content-type": "text/html"},
            text="<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
        )
    )
    conn = MastodonConnector("https://some.example", "t")
    with pytest.raises(PublishError) as e:
        conn.publish_part(Part(key="k:0", text="Hei", languages=("fi",)))
    assert e.value.kind == ErrorKind.PLATFORM_DOWN and "web page instead of JSON" in str(e.value)


@respx.mock
def test_media_still_processing_is_waited_for(tmp_path, monkeypatch):
    (tmp_path / "v.png").write_bytes(png())
    monkeypatch.setattr("somevahti.channels.mastodon.time.sleep", lambda s: None)
    respx.post("https://some.example/api/v2/media").mock(
        return_value=httpx.Response(
            202, json={"id": "55", "type": "image", "url": None, "description": "Kuva"}
        )
    )
    polls = respx.get("https://some.example/api/v1/media/55").mock(
        side_effect=[
            httpx.Response(206, json={"id": "55", "url": None}),
            httpx.Response(200, json={"id": "55", "url": "https://some.example/m/55.png"}),
        ]
    )
    post = respx.post("https://some.example/api/v1/statuses").mock(
        return_value=httpx.Response(
            200, json={"id": "9", "url": "https://some.example/@k/9", "content": "<p>Hei</p>"}
        )
    )
    conn = MastodonConnector("https://some.example", "t")
    published = conn.publish_part(
        Part(
            key="k:0",
            text="Hei",
            languages=("fi",),
            media=[MediaFile("image", tmp_path / "v.png", "image/png", "Kuva")],
        )
    )
    assert published.external_id == "9" and polls.call_count == 2
    assert post.calls.last.request.headers["Idempotency-Key"] == "k:0"
    assert b'"media_ids":["55"]' in post.calls.last.request.content


def test_an_older_status_with_the_same_text_is_not_taken_for_the_lost_one(base):
    conn = connector(base)
    old = conn.publish_part(Part(key="joulu-2025:0", text="Hyvää joulua!", languages=("fi",)))
    assert old.external_id
    later = datetime.now(UTC) + timedelta(minutes=5)  # the new attempt was sent after that one
    part = Part(key="joulu-2026:0", text="Hyvää joulua!", languages=("fi",), sent_at=later)
    assert conn.find_published(part) is None
    part.sent_at = datetime.now(UTC)
    assert conn.find_published(part).external_id == old.external_id
