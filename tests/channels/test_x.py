"""X connector against recorded X API v2 exchanges (fixtures/x/responses.json)."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
import respx

from somevahti import channels
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, Published, PublishError
from somevahti.channels.x import API_URL, XConnector
from tests.channels.recorded import HTML, NOW, PNG, Sleeper, fixtures, multipart_fields

R = fixtures("x")
A = API_URL


@pytest.fixture
def api():
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{A}/2/users/me").respond(200, json=R["me"])
        yield router


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "lukusali.png"
    path.write_bytes(PNG)
    return MediaFile("image", path, "image/png", alt="Kirjaston uusi lukusali")


def connector(**kw) -> XConnector:
    kw.setdefault("sleep", Sleeper())
    return XConnector.from_credentials(
        {"access_token": "xtoken", "username": "kirkkonummi"}, now=lambda: NOW, **kw
    )


FI = Part(key="pub-3:0", text="Kirjasto avaa uuden lukusalin maanantaina. 1/2", languages=("fi",))
SV = Part(key="pub-3:1", text="Biblioteket öppnar en ny läsesal på måndag. 2/2", languages=("sv",))


def test_registered_as_a_threaded_weighted_platform():
    cls = channels.get("x")
    assert cls.publish_capabilities.threads and cls.publish_capabilities.oauth
    assert cls.limits.counting == "x-weighted" and cls.limits.max_text == 280
    assert cls.capabilities.can_hide and not cls.capabilities.can_delete  # X cannot delete others' replies


def test_a_thread_with_an_image_and_alt_text(api, photo):
    upload = api.post(f"{A}/2/media/upload").respond(200, json=R["media_image_1"])
    metadata = api.post(f"{A}/2/media/metadata").respond(200, json=R["metadata"])
    tweets = api.post(f"{A}/2/tweets").mock(
        side_effect=[httpx.Response(201, json=R["tweet_1"]), httpx.Response(201, json=R["tweet_2"])]
    )
    c = connector()
    first = c.publish_part(Part(key=FI.key, text=FI.text, media=[photo]))
    second = c.publish_part(SV, reply_to=first, root=first)
    assert (first.external_id, first.url) == (
        "1861234567890000001",
        "https://x.com/kirkkonummi/status/1861234567890000001",
    )
    assert second.external_id == "1861234567890000002"
    fields = multipart_fields(upload.calls.last.request)
    assert fields["media"] == PNG and fields["media_category"] == b"tweet_image"
    assert json.loads(metadata.calls.last.request.content) == {
        "id": "1880028106020515840",
        "metadata": {"alt_text": {"text": "Kirjaston uusi lukusali"}},
    }
    bodies = [json.loads(c.request.content) for c in tweets.calls]
    assert bodies[0] == {"text": FI.text, "media": {"media_ids": ["1880028106020515840"]}}
    assert bodies[1] == {"text": SV.text, "reply": {"in_reply_to_tweet_id": "1861234567890000001"}}
    assert tweets.calls[0].request.headers["Authorization"] == "Bearer xtoken"


def test_video_goes_up_in_chunks_and_waits_for_processing(api, tmp_path, monkeypatch):
    monkeypatch.setattr("somevahti.channels.x.CHUNK", 1000)
    path = tmp_path / "v.mp4"
    path.write_bytes(bytes(range(256)) * 10)  # 2,560 bytes: three chunks of at most 1,000
    init = api.post(f"{A}/2/media/upload/initialize").respond(200, json=R["video_init"])
    append = api.post(f"{A}/2/media/upload/1880028106020515900/append").respond(200)
    api.post(f"{A}/2/media/upload/1880028106020515900/finalize").respond(200, json=R["video_finalize"])
    status = api.get(f"{A}/2/media/upload").respond(200, json=R["video_status"])
    tweets = api.post(f"{A}/2/tweets").respond(201, json=R["tweet_1"])
    sleeper = Sleeper()
    connector(sleep=sleeper).publish_part(
        Part(key="k:0", text="Video", media=[MediaFile("video", path, "video/mp4")])
    )
    assert json.loads(init.calls.last.request.content) == {
        "media_type": "video/mp4",
        "total_bytes": 2560,
        "media_category": "tweet_video",
    }
    chunks = [multipart_fields(c.request) for c in append.calls]
    assert [c["segment_index"] for c in chunks] == [b"0", b"1", b"2"]
    assert b"".join(c["media"] for c in chunks) == path.read_bytes()
    assert status.calls.last.request.url.params["command"] == "STATUS"
    assert sleeper.waits == [5.0]
    assert json.loads(tweets.calls.last.request.content)["media"] == {"media_ids": ["1880028106020515900"]}


def test_over_280_weighted_characters_is_refused_before_sending(api):
    route = api.post(f"{A}/2/tweets").respond(201, json=R["tweet_1"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="日本語" * 50))  # 150 characters, 300 as X counts
    assert e.value.kind is ErrorKind.FIX_CONTENT and "300" in str(e.value)
    assert route.call_count == 0


def test_expired_token(api):
    api.post(f"{A}/2/tweets").respond(401, json=R["error_unauthorized"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_rate_limit_waits_until_the_reset_header(api):
    reset = int((NOW + timedelta(minutes=12)).timestamp())
    route = api.post(f"{A}/2/tweets").respond(
        429,
        json=R["error_rate_limit"],
        headers={
            "x-rate-limit-limit": "200",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
    )
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.kind is ErrorKind.RETRY_LATER and e.value.retry_after == 12 * 60
    assert route.call_count == 1


def test_daily_post_cap_takes_the_later_reset(api):
    soon, tomorrow = (
        int((NOW + timedelta(minutes=1)).timestamp()),
        int((NOW + timedelta(hours=9)).timestamp()),
    )
    api.post(f"{A}/2/tweets").respond(
        429,
        json=R["error_rate_limit"],
        headers={
            "x-rate-limit-remaining": "150",
            "x-rate-limit-reset": str(soon),
            "x-user-limit-24hour-remaining": "0",
            "x-user-limit-24hour-reset": str(tomorrow),
        },
    )
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.retry_after == 9 * 3600


def test_rejected_media_gives_the_reason(api, photo):
    api.post(f"{A}/2/media/upload").respond(400, json=R["error_media_rejected"])
    tweets = api.post(f"{A}/2/tweets").respond(201, json=R["tweet_1"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x", media=[photo]))
    assert e.value.kind is ErrorKind.FIX_CONTENT and "media type unrecognized" in e.value.platform_reason
    assert tweets.call_count == 0


def test_duplicate_content_is_content_to_fix_not_already_published(api):
    api.post(f"{A}/2/tweets").respond(403, json=R["error_duplicate"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.kind is ErrorKind.FIX_CONTENT and "duplicate content" in e.value.platform_reason


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(503, json=R["error_server"]),
        httpx.Response(502, text=HTML, headers={"content-type": "text/html"}),
        httpx.Response(201, text=HTML, headers={"content-type": "text/html"}),
    ],
    ids=["503", "html-502", "html-201"],
)
def test_server_errors_and_html(api, answer):
    route = api.post(f"{A}/2/tweets").mock(return_value=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.kind is ErrorKind.PLATFORM_DOWN and route.call_count == 1


def test_gateway_timeout_on_the_publish_call_is_unknown(api):
    api.post(f"{A}/2/tweets").respond(504, text="Gateway Timeout")
    with pytest.raises(PublishError) as e:
        connector().publish_part(FI)
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME


def test_timeout_on_the_publish_call_then_find_published(api):
    tweets = api.post(f"{A}/2/tweets").mock(side_effect=httpx.ReadTimeout("timed out"))
    timeline = api.get(f"{A}/2/users/1450000000000000001/tweets").respond(200, json=R["timeline"])
    c = connector()
    with pytest.raises(PublishError) as e:
        c.publish_part(FI)
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME and tweets.call_count == 1
    found = c.find_published(FI)
    assert found.external_id == "1861234567890000001"
    assert timeline.calls.last.request.url.params["start_time"] == "2026-11-14T12:00:00Z"
    # X shortens links to t.co and escapes &: the text still matches with URLs masked
    linked = Part(key="k:9", text="Lue lisää: https://www.kirkkonummi.fi/kysely & kerro mielipiteesi")
    assert c.find_published(linked).external_id == "1861234567890000003"
    assert c.find_published(SV) is None
    assert tweets.call_count == 1


def test_find_published_without_read_access_cannot_tell(api):
    api.get(f"{A}/2/users/1450000000000000001/tweets").respond(403, json=R["error_read_forbidden"])
    with pytest.raises(PublishError) as e:
        connector().find_published(FI)
    # client-forbidden: the app is not enrolled for this access; a person must fix the connection
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_find_published_when_reading_is_refused_as_content(api):
    api.get(f"{A}/2/users/1450000000000000001/tweets").respond(
        403, json={"title": "Forbidden", "detail": "Forbidden"}
    )
    with pytest.raises(PublishError) as e:
        connector().find_published(FI)
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME


def test_replies_hide_and_delete(api):
    search = api.get(f"{A}/2/tweets/search/recent").respond(200, json=R["search"])
    hide = api.put(f"{A}/2/tweets/1861234567890000101/hidden").respond(200, json=R["hidden"])
    delete = api.delete(f"{A}/2/tweets/1861234567890000001").respond(200, json=R["deleted"])
    c = connector(posts=["1861234567890000001"])
    items = c.fetch()
    assert [(i.external_id, i.kind, i.author_handle) for i in items] == [
        ("1861234567890000101", "comment", "maijam")
    ]
    assert search.calls.last.request.url.params["query"] == "conversation_id:1861234567890000001"
    assert "since_id" not in search.calls.last.request.url.params
    assert c.since_id == "1861234567890000101"  # the next fetch asks only for newer replies
    c.fetch()
    assert search.calls.last.request.url.params["since_id"] == "1861234567890000101"
    c.hide(items[0].external_id)
    assert json.loads(hide.calls.last.request.content) == {"hidden": True}
    c.delete_part(Published("1861234567890000001", ""))
    assert delete.call_count == 1


def test_check_connection(api):
    assert connector().check_connection() == "kirkkonummi"


def test_an_animated_gif_goes_through_the_chunked_upload(api, tmp_path):
    path = tmp_path / "a.gif"
    path.write_bytes(b"GIF89a" + bytes(100))
    init = api.post(f"{A}/2/media/upload/initialize").respond(200, json=R["video_init"])
    api.post(f"{A}/2/media/upload/1880028106020515900/append").respond(200)
    api.post(f"{A}/2/media/upload/1880028106020515900/finalize").respond(200, json=R["video_status"])
    simple = api.post(f"{A}/2/media/upload").respond(200, json=R["media_image_1"])
    api.post(f"{A}/2/tweets").respond(201, json=R["tweet_1"])
    connector().publish_part(Part(key="k:0", text="GIF", media=[MediaFile("image", path, "image/gif")]))
    assert json.loads(init.calls.last.request.content)["media_category"] == "tweet_gif"
    assert simple.call_count == 0
