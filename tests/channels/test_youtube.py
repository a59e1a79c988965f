"""YouTube connector against recorded Data API v3 exchanges (fixtures/youtube/responses.json): the
resumable upload with an interrupted chunk that resumes from the byte the session reports."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
import respx

from somevahti import channels
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, Published, PublishError
from somevahti.channels.youtube import API_URL, YouTubeConnector
from tests.channels.recorded import HTML, NOW, Sleeper, fixtures, form

R = fixtures("youtube")
SESSION = R["session_location"]
KIB256 = 256 * 1024
SIZE = 2 * KIB256 + 1000
TEXT = "Kunnanvaltuuston kokous 16.11.\n\nKommunfullmäktiges möte 16.11."
VTT = "WEBVTT\n\n00:00.000 --> 00:04.000\nHyvää iltaa ja tervetuloa kokoukseen.\n".encode()


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "valtuusto.mp4"
    path.write_bytes(bytes(i % 251 for i in range(SIZE)))
    captions = tmp_path / "valtuusto.fi.vtt"
    captions.write_bytes(VTT)
    return MediaFile("video", path, "video/mp4", captions_path=captions)


@pytest.fixture
def api():
    with respx.mock(assert_all_called=False) as router:
        yield router


def connector(**kw) -> YouTubeConnector:
    kw.setdefault("sleep", Sleeper())
    kw.setdefault("state", {})
    return YouTubeConnector.from_credentials(
        {"access_token": "ya29.token", "channel_id": "UCkirkkonummi0000000000"},
        now=lambda: NOW,
        chunk_size=KIB256,
        **kw,
    )


def part(video, **kw) -> Part:
    return Part(key="pub-9:0", text=TEXT, languages=("fi", "sv"), media=[video], **kw)


def session(api):
    return api.post(f"{API_URL}/upload/youtube/v3/videos").respond(200, headers={"Location": SESSION})


class Session:
    """The upload session's side: keeps the bytes it got; ``drop`` names chunk starts whose
    connection breaks after the session has stored ``keep`` bytes of them."""

    def __init__(self, *, drop: dict[int, int] | None = None, final: dict | None = None):
        self.data = bytearray()
        self.drop = dict(drop or {})
        self.final = final or R["video"]
        self.ranges: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        spec = request.headers["Content-Range"]
        self.ranges.append(spec)
        assert request.headers["Authorization"] == "Bearer ya29.token"
        if spec.startswith("bytes */"):
            assert request.content == b""
            return httpx.Response(
                308, headers={"Range": f"bytes=0-{len(self.data) - 1}"} if self.data else {}
            )
        first, rest = spec.removeprefix("bytes ").split("-")
        last, total = (int(x) for x in rest.split("/"))
        assert int(first) == len(self.data) and last - int(first) + 1 == len(request.content)
        if int(first) in self.drop:
            self.data += request.content[: self.drop.pop(int(first))]
            raise httpx.ReadError("connection reset by peer")
        self.data += request.content
        if len(self.data) == total:
            return httpx.Response(200, json=self.final)
        return httpx.Response(308, headers={"Range": f"bytes=0-{len(self.data) - 1}"})


def test_registered():
    cls = channels.get("youtube")
    assert cls.publish_capabilities.needs_media and cls.limits.video and cls.limits.max_images == 0
    assert cls.capabilities.can_hide and cls.capabilities.can_delete


def test_resumable_upload_resumes_after_an_interrupted_chunk_and_adds_captions(api, video):
    start = session(api)
    server = Session(drop={KIB256: 100_000})  # the second chunk breaks after 100,000 bytes arrived
    api.put(SESSION).mock(side_effect=server)
    captions = api.post(f"{API_URL}/upload/youtube/v3/captions").respond(200, json=R["caption"])
    sleeper = Sleeper()
    c = connector(sleep=sleeper)
    published = c.publish_part(part(video, title="Kunnanvaltuuston kokous 16.11."))
    assert (
        published.external_id == "dQw4sv3ahti"
        and published.url == "https://www.youtube.com/watch?v=dQw4sv3ahti"
    )
    assert bytes(server.data) == video.path.read_bytes()  # every byte once, in order
    assert server.ranges == [
        f"bytes 0-{KIB256 - 1}/{SIZE}",
        f"bytes {KIB256}-{2 * KIB256 - 1}/{SIZE}",
        f"bytes */{SIZE}",
        f"bytes {KIB256 + 100_000}-{SIZE - 1}/{SIZE}",
    ]
    assert c.resumes == [KIB256 + 100_000] and sleeper.waits == [2.0]
    request = start.calls.last.request
    assert request.url.params["uploadType"] == "resumable" and request.url.params["part"] == "snippet,status"
    assert request.headers["X-Upload-Content-Length"] == str(SIZE)
    assert request.headers["X-Upload-Content-Type"] == "video/mp4"
    resource = json.loads(request.content)
    assert resource["snippet"]["title"] == "Kunnanvaltuuston kokous 16.11."
    assert resource["snippet"]["description"] == TEXT  # both language versions
    assert resource["snippet"]["defaultLanguage"] == "fi" and resource["status"]["privacyStatus"] == "public"
    sent = captions.calls.last.request
    assert sent.url.params["part"] == "snippet" and sent.headers["content-type"].startswith(
        "multipart/related"
    )
    assert VTT in sent.content
    assert b'"videoId": "dQw4sv3ahti"' in sent.content and b'"language": "fi"' in sent.content
    assert published.raw["captions"]["id"] == "AUieDaZcaption1"


def test_a_lost_final_answer_is_settled_by_asking_the_session(api, video):
    session(api)
    server = Session(drop={2 * KIB256: 1000})  # all bytes arrive, the answer is lost
    api.put(SESSION).mock(
        side_effect=lambda r: (
            httpx.Response(200, json=R["video"])
            if r.headers["Content-Range"].startswith("bytes */")
            else server(r)
        )
    )
    published = connector().publish_part(
        Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")])
    )
    assert published.external_id == "dQw4sv3ahti"
    assert bytes(server.data) == video.path.read_bytes()


def test_the_final_chunk_lost_and_the_session_unreachable_is_unknown(api, video):
    session(api)
    calls = []

    def answer(request):
        calls.append(request.headers["Content-Range"])
        if (
            request.headers["Content-Range"].startswith(f"bytes {2 * KIB256}")
            or "*" in request.headers["Content-Range"]
        ):
            raise httpx.ReadTimeout("timed out")
        return httpx.Response(
            308,
            headers={"Range": f"bytes=0-{int(request.headers['Content-Range'].split('-')[1].split('/')[0])}"},
        )

    api.put(SESSION).mock(side_effect=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(
            Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")])
        )
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME
    assert (
        calls.count(f"bytes {2 * KIB256}-{SIZE - 1}/{SIZE}") == 1
    )  # the final chunk was not sent again blindly


def test_find_published_asks_the_open_session_then_the_uploads(api, video):
    session(api)
    # chunk 0 arrives, chunk 1 times out, asking the session times out too; later it answers
    api.put(SESSION).mock(
        side_effect=[
            httpx.Response(308, headers={"Range": f"bytes=0-{KIB256 - 1}"}),
            httpx.ReadTimeout("t"),
            httpx.ReadTimeout("t"),
            httpx.Response(308, headers={"Range": f"bytes=0-{KIB256 - 1}"}),
        ]
    )
    c = connector()
    with pytest.raises(PublishError) as e:
        c.publish_part(Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")]))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN  # not the final chunk: no video can exist
    assert c.find_published(Part(key="k:0", text=TEXT)) is None  # the session says incomplete
    api.get(f"{API_URL}/youtube/v3/channels").respond(200, json=R["channels_content"])
    items = api.get(f"{API_URL}/youtube/v3/playlistItems").respond(200, json=R["uploads"])
    found = connector().find_published(Part(key="other", text=TEXT))
    assert found.external_id == "dQw4sv3ahti"
    assert items.calls.last.request.url.params["playlistId"] == "UUkirkkonummi0000000000"


def test_duplicate_upload_is_content_to_fix(api, video):
    session(api)
    api.put(SESSION).mock(side_effect=Session(final=R["video_duplicate"]))
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.FIX_CONTENT and e.value.platform_reason == "duplicate"


def test_expired_token(api, video):
    session(api).respond(401, json=R["error_auth"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_quota_exceeded_waits_until_pacific_midnight(api, video):
    session(api).respond(403, json=R["error_quota"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.RETRY_LATER
    assert (
        e.value.retry_after == timedelta(hours=20).total_seconds()
    )  # 12:00 UTC is 04:00 in California (PST)
    assert "<a" not in e.value.platform_reason  # the plain message, not the HTML one


def test_rate_limit_with_429(api, video):
    session(api).respond(
        429,
        json={
            "error": {
                "code": 429,
                "message": "Too many requests",
                "errors": [{"reason": "rateLimitExceeded"}],
            }
        },
    )
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.RETRY_LATER and e.value.retry_after == 60


def test_invalid_title_is_content_to_fix(api, video):
    session(api).respond(400, json=R["error_invalid_title"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.FIX_CONTENT and "invalid video title" in e.value.platform_reason


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(503, json=R["error_backend"]),
        httpx.Response(200, text=HTML, headers={"content-type": "text/html"}),
    ],
    ids=["503", "html"],
)
def test_server_error_and_html_when_opening_the_session(api, video, answer):
    route = session(api).mock(return_value=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN and route.call_count == 1


def test_timeout_while_opening_the_session_is_safe(api, video):
    session(api).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(video))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN  # a session without bytes is no video


def test_a_captions_failure_does_not_fail_a_published_video(api, video):
    session(api)
    api.put(SESSION).mock(side_effect=Session())
    api.post(f"{API_URL}/upload/youtube/v3/captions").respond(
        400,
        json={
            "error": {
                "code": 400,
                "message": "The caption track is malformed.",
                "errors": [{"reason": "invalidValue"}],
            }
        },
    )
    published = connector().publish_part(part(video))
    assert published.external_id == "dQw4sv3ahti"
    assert published.raw["captions_error"] == {
        "kind": "fix_content",
        "reason": "The caption track is malformed.",
    }


def test_a_post_without_video_is_refused(api):
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x"))
    assert e.value.kind is ErrorKind.FIX_CONTENT and not api.calls


def test_comments_moderation(api):
    api.get(f"{API_URL}/youtube/v3/commentThreads").respond(200, json=R["comment_threads"])
    moderate = api.post(f"{API_URL}/youtube/v3/comments/setModerationStatus").respond(204)
    insert = api.post(f"{API_URL}/youtube/v3/comments").respond(200, json=R["comment_inserted"])
    c = connector(posts=["dQw4sv3ahti"])
    items = c.fetch()
    assert [(i.external_id, i.kind, i.parent_id) for i in items] == [
        ("UgzThread1", "comment", "dQw4sv3ahti"),
        ("UgzThread1.reply2", "reply", "UgzThread1"),
    ]
    c.hide("UgzThread1.reply2")
    c.delete("UgzThread1.reply2")
    assert [dict(call.request.url.params) for call in moderate.calls] == [
        {"id": "UgzThread1.reply2", "moderationStatus": "heldForReview"},
        {"id": "UgzThread1.reply2", "moderationStatus": "rejected"},
    ]
    assert c.reply(items[1], "Kiitos kysymyksestä") == "UgzThread1.reply3"
    assert json.loads(insert.calls.last.request.content) == {
        "snippet": {"parentId": "UgzThread1", "textOriginal": "Kiitos kysymyksestä"}
    }


def test_edit_and_delete(api):
    edit = api.put(f"{API_URL}/youtube/v3/videos").respond(200, json=R["video"])
    delete = api.delete(f"{API_URL}/youtube/v3/videos").respond(204)
    c = connector()
    c.edit_part(Published("dQw4sv3ahti", ""), Part(key="k:0", text="Uusi kuvaus", title="Uusi otsikko"))
    assert json.loads(edit.calls.last.request.content)["snippet"]["title"] == "Uusi otsikko"
    c.delete_part(Published("dQw4sv3ahti", ""))
    assert delete.calls.last.request.url.params["id"] == "dQw4sv3ahti"


def test_google_refresh_keeps_the_refresh_token(api):
    creds = {
        "access_token": "ya29.old",
        "refresh_token": "1//refresh",
        "client_id": "g-client",
        "client_secret": "g-secret",
        "expires_at": (NOW + timedelta(minutes=5)).isoformat(),
    }
    token = api.post("https://oauth2.googleapis.com/token").respond(200, json=R["token"])
    new = YouTubeConnector.from_credentials(creds, now=lambda: NOW).refresh_credentials()
    assert form(token.calls.last.request)["grant_type"] == "refresh_token"
    assert (
        new["access_token"] == "ya29.a0new" and new["refresh_token"] == "1//refresh"
    )  # Google does not rotate it
    assert new["expires_at"] == (NOW + timedelta(seconds=3599)).isoformat()


def test_check_connection(api):
    api.get(f"{API_URL}/youtube/v3/channels").respond(200, json=R["channels_snippet"])
    assert connector().check_connection() == "@kirkkonummi"


def test_a_later_attempt_finishes_the_earlier_session_instead_of_uploading_a_second_video(api, video):
    """The worker builds a new connector for the retry: the shared session map lets it go on."""
    start = session(api)
    server = Session(drop={KIB256: 5000})
    put = api.put(SESSION)
    state: dict = {}
    put.mock(
        side_effect=lambda r: (
            (_ for _ in ()).throw(httpx.ReadTimeout("t"))
            if r.headers["Content-Range"].startswith("bytes */")
            else server(r)
        )
    )
    with pytest.raises(PublishError) as e:
        connector(state=state).publish_part(
            Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")])
        )
    assert e.value.kind is ErrorKind.PLATFORM_DOWN  # chunk 1 broke and the session could not be asked
    put.mock(side_effect=server)
    later = connector(state=state)
    assert later.find_published(Part(key="k:0", text=TEXT)) is None  # incomplete: no video yet
    published = later.publish_part(
        Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")])
    )
    assert published.external_id == "dQw4sv3ahti"
    assert start.call_count == 1  # one session, one video
    assert bytes(server.data) == video.path.read_bytes()
    assert later.resumes == [KIB256 + 5000]


def test_an_expired_session_is_replaced_by_a_new_one(api, video):
    start = session(api)
    state = {"k:0": f"{SIZE} https://www.googleapis.com/upload/youtube/v3/videos?upload_id=old"}
    api.put("https://www.googleapis.com/upload/youtube/v3/videos?upload_id=old").respond(
        404, json={"error": {"code": 404, "message": "Not Found", "errors": [{"reason": "notFound"}]}}
    )
    api.put(SESSION).mock(side_effect=Session())
    published = connector(state=state).publish_part(
        Part(key="k:0", text=TEXT, media=[MediaFile("video", video.path, "video/mp4")])
    )
    assert published.external_id == "dQw4sv3ahti" and start.call_count == 1
    assert state["k:0"] == f"{SIZE} {SESSION}"
