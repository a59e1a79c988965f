"""Facebook Pages connector against recorded Graph API exchanges (fixtures/facebook/responses.json)."""

from __future__ import annotations

import json

import httpx
import pytest

from somevahti import channels
from somevahti.channels import graph
from somevahti.channels.facebook import FacebookConnector
from somevahti.channels.oauth import OAuthApp
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, Published, PublishError
from tests.channels.recorded import HTML, NOW, PNG, Sleeper, fixtures, form, multipart_fields

R = fixtures("facebook")
PAGE = "104857600000001"
G = graph.GRAPH_URL


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "uimahalli.png"
    path.write_bytes(PNG)
    return MediaFile("image", path, "image/png", alt="Uimahallin allas aamulla", size=len(PNG))


def connector(**kw) -> FacebookConnector:
    return FacebookConnector.from_credentials(
        {"page_id": PAGE, "access_token": "EAApagetoken"}, now=lambda: NOW, sleep=Sleeper(), **kw
    )


PART = Part(
    key="pub-1:0",
    text="Uimahalli avautuu maanantaina.\n\nSimhallen öppnar på måndag.",
    languages=("fi", "sv"),
)


def test_registered_with_its_fields_and_flags():
    cls = channels.get("facebook")
    assert cls is FacebookConnector
    assert [f.name for f in cls.credential_fields] == ["page_id", "access_token"]
    assert [f.secret for f in cls.credential_fields] == [False, True]
    assert cls.capabilities.can_hide and cls.capabilities.can_delete and cls.capabilities.can_fetch_comments
    assert cls.publish_capabilities.languages_in_one and cls.publish_capabilities.can_edit
    assert not cls.publish_capabilities.threads


def test_text_and_link_go_to_the_feed_with_the_token_in_a_header(api):
    route = api.post(f"{G}/{PAGE}/feed").respond(200, json=R["feed_post"])
    part = Part(key="pub-1:0", text="Lue lisää kunnan sivuilta.", link="https://www.kirkkonummi.fi/uimahalli")
    published = connector().publish_part(part)
    assert published.external_id == "104857600000001_122100000000000042"
    assert published.url == "https://www.facebook.com/104857600000001_122100000000000042"
    assert published.raw == R["feed_post"]
    request = route.calls.last.request
    assert form(request) == {
        "message": "Lue lisää kunnan sivuilta.",
        "link": "https://www.kirkkonummi.fi/uimahalli",
    }
    assert request.headers["Authorization"] == "Bearer EAApagetoken"
    assert "access_token" not in str(request.url)


def test_one_photo_is_a_published_photo_with_caption_and_alt_text(api, image):
    route = api.post(f"{G}/{PAGE}/photos").respond(200, json=R["photo_published"])
    published = connector().publish_part(Part(key="k:0", text=PART.text, media=[image]))
    assert published.external_id == "104857600000001_122100000000000043"  # the post, not the photo
    fields = multipart_fields(route.calls.last.request)
    assert fields["source"] == PNG
    assert fields["caption"].decode() == PART.text
    assert fields["alt_text_custom"].decode() == "Uimahallin allas aamulla"
    assert fields["published"] == b"true"


def test_several_photos_are_uploaded_unpublished_and_attached_to_one_post(api, image, tmp_path):
    second = tmp_path / "b.png"
    second.write_bytes(PNG)
    photos = api.post(f"{G}/{PAGE}/photos").mock(
        side_effect=[
            httpx.Response(200, json=R["photo_unpublished_1"]),
            httpx.Response(200, json=R["photo_unpublished_2"]),
        ]
    )
    feed = api.post(f"{G}/{PAGE}/feed").respond(200, json=R["feed_post"])
    connector().publish_part(
        Part(key="k:0", text="Kaksi kuvaa", media=[image, MediaFile("image", second, "image/png")])
    )
    assert [multipart_fields(c.request)["published"] for c in photos.calls] == [b"false", b"false"]
    assert "alt_text_custom" not in multipart_fields(photos.calls[1].request)
    body = form(feed.calls.last.request)
    assert body["message"] == "Kaksi kuvaa"
    assert json.loads(body["attached_media[0]"]) == {"media_fbid": "122100000000000101"}
    assert json.loads(body["attached_media[1]"]) == {"media_fbid": "122100000000000102"}


def test_expired_token_asks_for_reconnecting(api):
    api.post(f"{G}/{PAGE}/feed").respond(400, json=R["error_expired_token"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.REAUTHORIZE
    assert "Session has expired" in e.value.platform_reason
    assert "Facebook" in str(e.value)


def test_rate_limit_waits_as_long_as_the_usage_header_says(api):
    route = api.post(f"{G}/{PAGE}/feed").respond(
        400, json=R["error_rate_limit"], headers={"X-Business-Use-Case-Usage": R["rate_limit_usage_header"]}
    )
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.RETRY_LATER
    assert e.value.retry_after == 17 * 60
    assert route.call_count == 1


def test_rejected_photo_gives_the_platforms_reason(api, image):
    api.post(f"{G}/{PAGE}/photos").respond(400, json=R["error_media_rejected"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x", media=[image]))
    assert e.value.kind is ErrorKind.FIX_CONTENT
    assert e.value.platform_reason == "The photo could not be processed: the file is not a supported image."


def test_duplicate_post_is_content_to_fix(api):
    api.post(f"{G}/{PAGE}/feed").respond(400, json=R["error_duplicate"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.FIX_CONTENT
    assert "Duplicate" in e.value.platform_reason


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json=R["error_server"]),
        httpx.Response(502, text=HTML, headers={"content-type": "text/html; charset=utf-8"}),
        httpx.Response(200, text=HTML, headers={"content-type": "text/html"}),
    ],
    ids=["transient-500", "html-502", "html-200"],
)
def test_server_errors_and_html_answers_are_platform_down_and_not_resent(api, answer):
    route = api.post(f"{G}/{PAGE}/feed").mock(return_value=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.PLATFORM_DOWN
    assert route.call_count == 1


def test_timeout_on_the_publish_call_is_an_unknown_outcome_sent_once(api):
    route = api.post(f"{G}/{PAGE}/feed").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME
    assert route.call_count == 1


def test_connection_refused_never_reached_the_platform(api):
    api.post(f"{G}/{PAGE}/feed").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(PublishError) as e:
        connector().publish_part(PART)
    assert e.value.kind is ErrorKind.PLATFORM_DOWN


def test_timeout_while_uploading_an_unpublished_photo_is_safe_to_send_again(api, image, tmp_path):
    api.post(f"{G}/{PAGE}/photos").mock(side_effect=httpx.ReadTimeout("timed out"))
    second = MediaFile("image", image.path, "image/png")
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x", media=[image, second]))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN  # nothing public exists yet


def test_find_published_matches_the_text_among_recent_page_posts(api):
    route = api.get(f"{G}/{PAGE}/published_posts").respond(200, json=R["published_posts"])
    found = connector().find_published(PART)
    assert found.external_id == "104857600000001_122100000000000042"
    assert found.url == "https://www.facebook.com/kirkkonummi/posts/pfbid0abc42"
    assert int(route.calls.last.request.url.params["since"]) == int(NOW.timestamp()) - 48 * 3600
    assert connector().find_published(Part(key="k:1", text="Ei julkaistu")) is None


def test_lookup_retries_a_failing_read(api):
    route = api.get(f"{G}/{PAGE}/published_posts").mock(
        side_effect=[httpx.Response(503, text="busy"), httpx.Response(200, json=R["published_posts"])]
    )
    c = connector()
    assert c.find_published(PART) is not None
    assert route.call_count == 2 and c.api.waits == [1.0]


def test_edit_and_delete(api):
    edit = api.post(f"{G}/104857600000001_122100000000000042").respond(200, json=R["edit_success"])
    delete = api.delete(f"{G}/104857600000001_122100000000000042").respond(200, json=R["delete_success"])
    published = Published("104857600000001_122100000000000042", "https://www.facebook.com/x")
    c = connector()
    c.edit_part(published, Part(key="k:0", text="Korjattu teksti"))
    assert form(edit.calls.last.request) == {"message": "Korjattu teksti"}
    c.delete_part(published)
    assert delete.call_count == 1


def test_comments_are_fetched_and_moderated(api):
    api.get(f"{G}/122100000000000042/comments").respond(200, json=R["comments"])
    hide = api.post(f"{G}/122100000000000042_900000000000001").respond(200, json={"success": True})
    delete = api.delete(f"{G}/122100000000000042_900000000000003").respond(200, json={"success": True})
    answer = api.post(f"{G}/122100000000000042_900000000000001/comments").respond(
        200, json={"id": "122100000000000042_900000000000009"}
    )
    c = connector(posts=["122100000000000042"])
    items = c.fetch()
    assert [(i.external_id, i.kind, i.author_name) for i in items] == [
        ("122100000000000042_900000000000001", "comment", "Maija Meikäläinen"),
        ("122100000000000042_900000000000003", "reply", "Maija Meikäläinen"),
    ]  # the page's own answer left out
    assert items[1].parent_id == "122100000000000042_900000000000001"
    assert items[0].occurred.isoformat() == "2026-11-16T11:05:00+00:00"
    c.hide(items[0].external_id)
    assert form(hide.calls.last.request) == {"is_hidden": "true"}
    c.delete(items[1].external_id)
    assert delete.call_count == 1
    assert c.reply(items[0], "Klo 6 alkaen.") == "122100000000000042_900000000000009"
    assert form(answer.calls.last.request) == {"message": "Klo 6 alkaen."}


def test_check_connection_names_the_page(api):
    api.get(f"{G}/{PAGE}").respond(200, json=R["page"])
    assert connector().check_connection() == "kirkkonummi"


def test_check_connection_with_a_revoked_token(api):
    api.get(f"{G}/{PAGE}").respond(400, json=R["error_expired_token"])
    with pytest.raises(PublishError) as e:
        connector().check_connection()
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_long_lived_user_token_and_page_tokens(api):
    exchange = api.get(f"{G}/oauth/access_token").respond(200, json=R["long_lived_user_token"])
    api.get(f"{G}/me/accounts").respond(200, json=R["me_accounts"])
    long = graph.long_lived_user_token(OAuthApp("123", "s3cret"), "EAAshort", now=NOW)
    params = exchange.calls.last.request.url.params
    assert (params["grant_type"], params["fb_exchange_token"], params["client_id"]) == (
        "fb_exchange_token",
        "EAAshort",
        "123",
    )
    assert long["access_token"] == "EAAlonglived" and long["expires_at"].startswith("2027-01-15")
    pages = graph.page_tokens(long["access_token"])
    assert pages[0]["access_token"] == "EAApagetoken"
    assert pages[0]["instagram_business_account"]["id"] == "17841400000000001"


def test_page_tokens_do_not_expire_so_nothing_is_refreshed():
    assert connector().refresh_credentials() is None


def test_app_secret_proof_goes_with_every_call_when_the_app_has_a_secret(api, monkeypatch):
    import hashlib
    import hmac

    route = api.post(f"{G}/{PAGE}/feed").respond(200, json=R["feed_post"])
    monkeypatch.setenv("SOMEVAHTI_FACEBOOK_CLIENT_SECRET", "app-secret")
    connector().publish_part(PART)
    expected = hmac.new(b"app-secret", b"EAApagetoken", hashlib.sha256).hexdigest()
    assert route.calls.last.request.url.params["appsecret_proof"] == expected
    assert form(route.calls.last.request)["message"] == PART.text


def test_connecting_a_page_trades_the_user_token_down_to_a_page_token(api):
    api.get(f"{G}/oauth/access_token").respond(200, json=R["long_lived_user_token"])
    accounts = api.get(f"{G}/me/accounts").respond(200, json=R["me_accounts"])
    debug = api.get(f"{G}/debug_token").respond(200, json=R["debug_token_page"])
    app = OAuthApp("123", "s3cret")
    creds = graph.connect_page(app, "EAAshort", PAGE, now=NOW)
    assert accounts.calls.last.request.headers["Authorization"] == "Bearer EAAlonglived"
    assert debug.calls.last.request.url.params["input_token"] == "EAApagetoken"
    assert creds["access_token"] == "EAApagetoken" and creds["page_id"] == PAGE
    assert "expires_at" not in creds  # page tokens from a long-lived user token do not expire
    assert creds["data_access_expires_at"] == "2027-02-20T00:00:00+00:00"
    ig = graph.connect_page(app, "EAAshort", PAGE, instagram=True, now=NOW)
    assert (ig["ig_user_id"], ig["username"]) == ("17841400000000001", "kirkkonummi")
    with pytest.raises(PublishError) as e:
        graph.connect_page(app, "EAAshort", "999", now=NOW)
    assert e.value.kind is ErrorKind.REAUTHORIZE
