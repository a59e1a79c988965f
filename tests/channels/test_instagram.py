"""Instagram connector against recorded Graph API exchanges (fixtures/instagram/responses.json)."""

from __future__ import annotations

import httpx
import pytest
import respx

from somevahti import channels
from somevahti.channels import graph
from somevahti.channels.instagram import InstagramConnector
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, PublishError
from tests.channels.recorded import HTML, NOW, PNG, Sleeper, fixtures, form

R = fixtures("instagram")
IG = "17841400000000001"
G = graph.GRAPH_URL
CAPTION = "Syksyn ensimmäinen lumi Kirkkonummella.\n\nHösten första snö i Kyrkslätt."


@pytest.fixture
def api():
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{G}/{IG}/content_publishing_limit").respond(200, json=R["quota_ok"])
        router.get(f"{G}/17920238422030506").respond(200, json=R["permalink"])
        yield router


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "lumi.jpg"
    path.write_bytes(PNG)
    return MediaFile("image", path, "image/jpeg", alt="Lumiset kuuset kirkon edessä")


def urls(media: MediaFile) -> str:
    return f"https://somevahti.example/media/{media.path.name}"


def connector(**kw) -> InstagramConnector:
    kw.setdefault("media_url", urls)
    kw.setdefault("sleep", Sleeper())
    kw.setdefault("state", {})
    return InstagramConnector.from_credentials(
        {"ig_user_id": IG, "access_token": "EAApagetoken", "username": "kirkkonummi"}, now=lambda: NOW, **kw
    )


def part(*media) -> Part:
    return Part(key="pub-7:0", text=CAPTION, languages=("fi", "sv"), media=list(media))


def test_registered_and_needs_media():
    cls = channels.get("instagram")
    assert cls.publish_capabilities.needs_media and cls.publish_capabilities.languages_in_one
    assert cls.limits.image_types == ("image/jpeg",) and cls.limits.max_text == 2200
    assert cls.capabilities.can_hide and cls.capabilities.can_delete


def test_image_post_is_a_container_then_one_publish_call(api, photo):
    create = api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    status = api.get(f"{G}/17889455560051444").respond(200, json=R["status_finished"])
    publish = api.post(f"{G}/{IG}/media_publish").respond(200, json=R["media_publish"])
    published = connector().publish_part(part(photo))
    assert published.external_id == "17920238422030506"
    assert published.url == "https://www.instagram.com/p/DCabc123XyZ/"
    assert form(create.calls.last.request) == {
        "image_url": "https://somevahti.example/media/lumi.jpg",
        "alt_text": "Lumiset kuuset kirkon edessä",
        "caption": CAPTION,
    }
    assert status.calls.last.request.url.params["fields"] == "status_code,status"
    assert form(publish.calls.last.request) == {"creation_id": "17889455560051444"}
    assert publish.call_count == 1


def test_carousel_is_children_then_a_carousel_container(api, photo, tmp_path):
    second = MediaFile("image", tmp_path / "b.jpg", "image/jpeg")
    create = api.post(f"{G}/{IG}/media").mock(
        side_effect=[
            httpx.Response(200, json=R["child_1"]),
            httpx.Response(200, json=R["child_2"]),
            httpx.Response(200, json=R["carousel"]),
        ]
    )
    for cid in ("17889455560051401", "17889455560051402", "17889455560051499"):
        api.get(f"{G}/{cid}").respond(200, json={"status_code": "FINISHED", "id": cid})
    publish = api.post(f"{G}/{IG}/media_publish").respond(200, json=R["media_publish"])
    connector().publish_part(part(photo, second))
    bodies = [form(c.request) for c in create.calls]
    assert bodies[0]["is_carousel_item"] == "true" and "caption" not in bodies[0]
    assert bodies[1] == {"image_url": "https://somevahti.example/media/b.jpg", "is_carousel_item": "true"}
    assert bodies[2] == {
        "media_type": "CAROUSEL",
        "children": "17889455560051401,17889455560051402",
        "caption": CAPTION,
    }
    assert form(publish.calls.last.request) == {"creation_id": "17889455560051499"}


def test_video_waits_for_processing_before_publishing(api, tmp_path):
    video = MediaFile("video", tmp_path / "v.mp4", "video/mp4")
    create = api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").mock(
        side_effect=[
            httpx.Response(200, json=R["status_in_progress"]),
            httpx.Response(200, json=R["status_finished"]),
        ]
    )
    api.post(f"{G}/{IG}/media_publish").respond(200, json=R["media_publish"])
    sleeper = Sleeper()
    c = connector(sleep=sleeper, poll_seconds=5)
    c.publish_part(part(video))
    assert form(create.calls.last.request)["media_type"] == "REELS"
    assert sleeper.waits == [5]


def test_processing_error_is_the_platforms_reason_and_nothing_is_published(api, tmp_path):
    api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").respond(200, json=R["status_error"])
    publish = api.post(f"{G}/{IG}/media_publish").respond(200, json=R["media_publish"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(MediaFile("video", tmp_path / "v.avi", "video/mp4")))
    assert e.value.kind is ErrorKind.FIX_CONTENT and "2207026" in e.value.platform_reason
    assert publish.call_count == 0


def test_a_post_without_media_is_refused_before_sending(api):
    with pytest.raises(PublishError) as e:
        connector().publish_part(part())
    assert e.value.kind is ErrorKind.FIX_CONTENT
    assert not api.calls


def test_without_a_public_media_address_nothing_is_sent(api, photo):
    with pytest.raises(PublishError) as e:
        connector(media_url=graph.no_media_url).publish_part(part(photo))
    assert e.value.kind is ErrorKind.FIX_CONTENT and "public address" in e.value.platform_reason
    assert not api.calls


def test_publishing_limit_used_up_waits(api, photo):
    api.get(f"{G}/{IG}/content_publishing_limit").respond(200, json=R["quota_used_up"])
    create = api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(photo))
    assert e.value.kind is ErrorKind.RETRY_LATER and e.value.retry_after == 3600
    assert "50 of 50" in e.value.platform_reason
    assert create.call_count == 0


def test_expired_token(api, photo):
    api.post(f"{G}/{IG}/media").respond(400, json=R["error_expired_token"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(photo))
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_rate_limit_with_its_header(api, photo):
    api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").respond(200, json=R["status_finished"])
    api.post(f"{G}/{IG}/media_publish").respond(
        400, json=R["error_rate_limit"], headers={"X-Business-Use-Case-Usage": R["rate_limit_usage_header"]}
    )
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(photo))
    assert e.value.kind is ErrorKind.RETRY_LATER and e.value.retry_after == 30 * 60


def test_rejected_image(api, photo):
    api.post(f"{G}/{IG}/media").respond(400, json=R["error_media_rejected"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(photo))
    assert e.value.kind is ErrorKind.FIX_CONTENT and "aspect ratio" in e.value.platform_reason


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json=R["error_server"]),
        httpx.Response(200, text=HTML, headers={"content-type": "text/html"}),
    ],
    ids=["server-error", "html"],
)
def test_server_error_and_html_on_publish(api, photo, answer):
    api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").respond(200, json=R["status_finished"])
    publish = api.post(f"{G}/{IG}/media_publish").mock(return_value=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(part(photo))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN and publish.call_count == 1


def test_timeout_on_publish_then_the_container_tells_it_went_out(api, photo):
    """Instagram has no duplicate check: the same caption may go out twice. What keeps a part from
    going out twice is the container: after a lost answer it says PUBLISHED."""
    api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").mock(
        side_effect=[
            httpx.Response(200, json=R["status_finished"]),
            httpx.Response(200, json=R["status_published"]),
        ]
    )
    publish = api.post(f"{G}/{IG}/media_publish").mock(side_effect=httpx.ReadTimeout("timed out"))
    api.get(f"{G}/{IG}/media").respond(200, json=R["recent_media"])
    state: dict = {}
    with pytest.raises(PublishError) as e:
        connector(state=state).publish_part(part(photo))
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME and publish.call_count == 1
    found = connector(state=state).find_published(part(photo))  # the worker's next connector
    assert (
        found.external_id == "17920238422030506" and found.url == "https://www.instagram.com/p/DCabc123XyZ/"
    )
    assert publish.call_count == 1


def test_after_a_restart_the_caption_is_looked_up_among_recent_media(api):
    api.get(f"{G}/{IG}/media").respond(200, json=R["recent_media"])
    assert connector().find_published(part()).external_id == "17920238422030506"
    assert connector().find_published(Part(key="x:0", text="Kirjaston satutunti")) is None  # older than 48 h


def test_comments_fetch_reply_hide_delete(api):
    api.get(f"{G}/17920238422030506/comments").respond(200, json=R["comments"])
    hide = api.post(f"{G}/17858893269000001").respond(200, json={"success": True})
    delete = api.delete(f"{G}/17858893269000003").respond(200, json={"success": True})
    answer = api.post(f"{G}/17858893269000003/replies").respond(200, json={"id": "17858893269000010"})
    c = connector(posts=["17920238422030506"])
    items = c.fetch()
    assert [(i.external_id, i.kind, i.author_handle, i.parent_id) for i in items] == [
        ("17858893269000001", "comment", "maija.m", "17920238422030506"),
        ("17858893269000003", "reply", "pekka_p", "17858893269000001"),
    ]  # our own reply left out
    c.hide("17858893269000001")
    assert form(hide.calls.last.request) == {"hide": "true"}
    assert c.reply(items[1], "Kirkon edessä.") == "17858893269000010"
    assert form(answer.calls.last.request) == {"message": "Kirkon edessä."}
    c.delete("17858893269000003")
    assert delete.call_count == 1


def test_check_connection(api):
    api.get(f"{G}/{IG}").respond(200, json=R["account"])
    assert connector().check_connection() == "kirkkonummi"


def test_signed_media_urls_verify_and_expire(tmp_path):
    clock = [1_800_000_000.0]
    signer = graph.SignedMediaURLs("https://somevahti.example/m/", "secret", now=lambda: clock[0])
    media = MediaFile("image", tmp_path / "a.jpg", "image/jpeg")
    url = signer.url_for(media)
    assert url.startswith("https://somevahti.example/m/")
    token = url.rsplit("/", 1)[1]
    assert signer.verify(token) == tmp_path / "a.jpg"
    assert signer.verify(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None  # tampered
    assert graph.SignedMediaURLs("https://x", "other").verify(token) is None
    clock[0] += 3 * 3600
    assert signer.verify(token) is None  # expired


def test_a_retry_publishes_the_same_container_instead_of_a_new_one(api, photo):
    """After a lost answer the container may still say FINISHED: the next attempt sends that same
    container to media_publish (Instagram publishes a container once), never a second post."""
    create = api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    api.get(f"{G}/17889455560051444").respond(200, json=R["status_finished"])
    publish = api.post(f"{G}/{IG}/media_publish").mock(
        side_effect=[httpx.ReadTimeout("timed out"), httpx.Response(200, json=R["media_publish"])]
    )
    state: dict = {}
    with pytest.raises(PublishError):
        connector(state=state).publish_part(part(photo))
    later = connector(state=state)
    assert later.find_published(part(photo)) is None
    published = later.publish_part(part(photo))
    assert published.external_id == "17920238422030506"
    assert create.call_count == 1
    assert [form(c.request) for c in publish.calls] == [{"creation_id": "17889455560051444"}] * 2


def test_a_retry_after_the_container_went_out_does_not_post_again(api, photo):
    api.get(f"{G}/17889455560051444").respond(200, json=R["status_published"])
    create = api.post(f"{G}/{IG}/media").respond(200, json=R["container"])
    with pytest.raises(PublishError) as e:
        connector(state={"pub-7:0": "17889455560051444"}).publish_part(part(photo))
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME and create.call_count == 0
