"""LinkedIn connector against recorded Posts/Images API exchanges (fixtures/linkedin/responses.json)."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
import respx

from somevahti import channels
from somevahti.channels.linkedin import API_URL, LINKEDIN_VERSION, LinkedInConnector, little_text, plain
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, Published, PublishError
from tests.channels.recorded import HTML, NOW, PNG, Sleeper, fixtures, form

R = fixtures("linkedin")
ORG = "urn:li:organization:5515715"
TEXT = (
    "Kirkkonummen kunta hakee kesätyöntekijöitä (16-29 v). #kesätyö\n\nKyrkslätt kommun söker sommarjobbare."
)
UPLOAD_1 = R["initialize_upload"]["value"]["uploadUrl"]
UPLOAD_2 = R["initialize_upload_2"]["value"]["uploadUrl"]


@pytest.fixture
def api():
    with respx.mock(assert_all_called=False) as router:
        yield router


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "kesa.png"
    path.write_bytes(PNG)
    return MediaFile("image", path, "image/png", alt="Nuoria kesätöissä puistossa")


def connector(**kw) -> LinkedInConnector:
    kw.setdefault("sleep", Sleeper())
    return LinkedInConnector.from_credentials(
        {"organization_id": "5515715", "access_token": "AQXtoken"}, now=lambda: NOW, **kw
    )


def posted(api):
    return api.post(f"{API_URL}/posts").respond(201, headers={"x-restli-id": R["post_urn"]})


def test_registered():
    cls = channels.get("linkedin")
    assert cls.publish_capabilities.languages_in_one and cls.publish_capabilities.can_edit
    assert cls.limits.max_text == 3000
    assert not channels.get("linkedin").capabilities.can_fetch_comments


def test_little_text_escapes_reserved_characters_and_templates_hashtags():
    assert little_text("Tule (ilmaiseksi) @kirjasto #lukupiiri 50 % * _ ~ [x] <y> | {z} \\") == (
        "Tule \\(ilmaiseksi\\) \\@kirjasto {hashtag|\\#|lukupiiri} "
        "50 % \\* \\_ \\~ \\[x\\] \\<y\\> \\| \\{z\\} \\\\"
    )
    assert little_text("C# ja #1") == "C\\# ja {hashtag|\\#|1}"
    assert plain(little_text(TEXT)) == TEXT


def test_image_post_initializes_uploads_and_posts_with_the_image_urn(api, photo):
    init = api.post(f"{API_URL}/images").respond(200, json=R["initialize_upload"])
    put = api.put(UPLOAD_1).respond(201)
    post = posted(api)
    published = connector().publish_part(
        Part(key="pub-5:0", text=TEXT, languages=("fi", "sv"), media=[photo])
    )
    assert published.external_id == "urn:li:share:7263000000000000001"
    assert published.url == "https://www.linkedin.com/feed/update/urn:li:share:7263000000000000001/"
    assert init.calls.last.request.url.params["action"] == "initializeUpload"
    assert json.loads(init.calls.last.request.content) == {"initializeUploadRequest": {"owner": ORG}}
    assert put.calls.last.request.content == PNG
    assert put.calls.last.request.headers["Authorization"] == "Bearer AQXtoken"
    request = post.calls.last.request
    assert request.headers["LinkedIn-Version"] == LINKEDIN_VERSION
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    body = json.loads(request.content)
    assert body["author"] == ORG and body["lifecycleState"] == "PUBLISHED" and body["visibility"] == "PUBLIC"
    assert body["commentary"] == (
        "Kirkkonummen kunta hakee kesätyöntekijöitä \\(16-29 v\\). {hashtag|\\#|kesätyö}"
        "\n\nKyrkslätt kommun söker sommarjobbare."
    )
    assert body["content"] == {
        "media": {"id": "urn:li:image:D4E10AQF3kPvfIq8Zaw", "altText": "Nuoria kesätöissä puistossa"}
    }
    assert body["distribution"]["feedDistribution"] == "MAIN_FEED"


def test_several_images_are_a_multi_image_post(api, photo, tmp_path):
    api.post(f"{API_URL}/images").mock(
        side_effect=[
            httpx.Response(200, json=R["initialize_upload"]),
            httpx.Response(200, json=R["initialize_upload_2"]),
        ]
    )
    api.put(UPLOAD_1).respond(201)
    api.put(UPLOAD_2).respond(201)
    post = posted(api)
    second = tmp_path / "b.png"
    second.write_bytes(PNG)
    connector().publish_part(
        Part(key="k:0", text="Kuvia", media=[photo, MediaFile("image", second, "image/png")])
    )
    assert json.loads(post.calls.last.request.content)["content"] == {
        "multiImage": {
            "images": [
                {"id": "urn:li:image:D4E10AQF3kPvfIq8Zaw", "altText": "Nuoria kesätöissä puistossa"},
                {"id": "urn:li:image:D4E10AQG8ZkQ"},
            ]
        }
    }


def test_link_is_an_article(api):
    post = posted(api)
    connector().publish_part(
        Part(key="k:0", text="Lue", link="https://www.kirkkonummi.fi/kesatyot", title="Kesätyöt")
    )
    assert json.loads(post.calls.last.request.content)["content"] == {
        "article": {"source": "https://www.kirkkonummi.fi/kesatyot", "title": "Kesätyöt"}
    }


def test_an_upload_address_outside_linkedin_gets_no_token(api, photo):
    evil = {"value": {**R["initialize_upload"]["value"], "uploadUrl": "https://linkedin.com.evil.example/up"}}
    api.post(f"{API_URL}/images").respond(200, json=evil)
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x", media=[photo]))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN
    assert len(api.calls) == 1


@pytest.mark.parametrize("name", ["error_expired_token", "error_revoked_token"])
def test_expired_or_revoked_token(api, name):
    api.post(f"{API_URL}/posts").respond(401, json=R[name])
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x"))
    assert e.value.kind is ErrorKind.REAUTHORIZE and e.value.platform_reason == R[name]["message"]


def test_missing_permission_asks_for_reconnecting(api):
    api.post(f"{API_URL}/posts").respond(403, json=R["error_permissions"])
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x"))
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_rate_limit_waits_for_retry_after_or_midnight_utc(api):
    route = api.post(f"{API_URL}/posts").mock(
        side_effect=[
            httpx.Response(429, json=R["error_rate_limit"], headers={"Retry-After": "120"}),
            httpx.Response(429, json=R["error_rate_limit"]),
        ]
    )
    waits = []
    for _ in range(2):
        with pytest.raises(PublishError) as e:
            connector().publish_part(Part(key="k:0", text="x"))
        assert e.value.kind is ErrorKind.RETRY_LATER
        waits.append(e.value.retry_after)
    assert waits == [120.0, timedelta(hours=12).total_seconds()]  # NOW is 12:00 UTC
    assert route.call_count == 2


def test_rejected_media_and_duplicates_are_content_to_fix(api):
    api.post(f"{API_URL}/posts").mock(
        side_effect=[
            httpx.Response(422, json=R["error_media_rejected"]),
            httpx.Response(422, json=R["error_duplicate"]),
        ]
    )
    reasons = []
    for _ in range(2):
        with pytest.raises(PublishError) as e:
            connector().publish_part(Part(key="k:0", text="x"))
        assert e.value.kind is ErrorKind.FIX_CONTENT
        reasons.append(e.value.platform_reason)
    assert "PROCESSING_FAILED" in reasons[0]
    assert reasons[1] == "Content is a duplicate of urn:li:share:7262000000000000009"


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json=R["error_server"]),
        httpx.Response(503, text=HTML, headers={"content-type": "text/html"}),
    ],
    ids=["500", "html"],
)
def test_server_error_and_html(api, answer):
    route = api.post(f"{API_URL}/posts").mock(return_value=answer)
    with pytest.raises(PublishError) as e:
        connector().publish_part(Part(key="k:0", text="x"))
    assert e.value.kind is ErrorKind.PLATFORM_DOWN and route.call_count == 1


def test_timeout_on_publish_then_find_published(api):
    route = api.post(f"{API_URL}/posts").mock(side_effect=httpx.ReadTimeout("timed out"))
    finder = api.get(f"{API_URL}/posts").respond(200, json=R["posts_by_author"])
    c = connector()
    with pytest.raises(PublishError) as e:
        c.publish_part(Part(key="k:0", text=TEXT))
    assert e.value.kind is ErrorKind.UNKNOWN_OUTCOME and route.call_count == 1
    found = c.find_published(Part(key="k:0", text=TEXT))
    assert found.external_id == "urn:li:share:7263000000000000001"
    params = finder.calls.last.request.url.params
    assert (params["q"], params["author"]) == ("author", ORG)
    assert finder.calls.last.request.headers["X-RestLi-Method"] == "FINDER"
    assert c.find_published(Part(key="k:1", text="Jotain muuta")) is None
    assert route.call_count == 1


def test_edit_and_delete_address_the_encoded_urn(api):
    encoded = "urn%3Ali%3Ashare%3A7263000000000000001"
    edit = api.post(f"{API_URL}/posts/{encoded}").respond(204)
    delete = api.delete(f"{API_URL}/posts/{encoded}").respond(204)
    c = connector()
    published = Published("urn:li:share:7263000000000000001", "")
    c.edit_part(published, Part(key="k:0", text="Korjattu (uusi) teksti"))
    assert json.loads(edit.calls.last.request.content) == {
        "patch": {"$set": {"commentary": "Korjattu \\(uusi\\) teksti"}}
    }
    assert edit.calls.last.request.headers["X-RestLi-Method"] == "PARTIAL_UPDATE"
    c.delete_part(published)
    assert delete.call_count == 1


def test_sixty_day_token_is_refreshed_where_linkedin_granted_a_refresh_token(api):
    creds = {
        "organization_id": "5515715",
        "access_token": "AQXold",
        "refresh_token": "AQWold",
        "client_id": "li-client",
        "client_secret": "li-secret",
        "expires_at": (NOW + timedelta(minutes=10)).isoformat(),
    }
    token = api.post("https://www.linkedin.com/oauth/v2/accessToken").respond(200, json=R["token"])
    new = LinkedInConnector.from_credentials(creds, now=lambda: NOW).refresh_credentials()
    assert form(token.calls.last.request) == {
        "grant_type": "refresh_token",
        "refresh_token": "AQWold",
        "client_id": "li-client",
        "client_secret": "li-secret",
    }
    assert new["expires_at"] == (NOW + timedelta(days=60)).isoformat()
    assert new["refresh_expires_at"] == (NOW + timedelta(days=365)).isoformat()


def test_check_connection(api):
    api.get(f"{API_URL}/organizations/5515715").respond(200, json=R["organization"])
    assert connector().check_connection() == "kirkkonummen-kunta"
