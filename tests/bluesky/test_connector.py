"""The Bluesky connector against the real local AT Protocol network (see conftest.py)."""

import struct
import time
import uuid
import zlib

import httpx
import pytest

from somevahti.channels import base
from somevahti.channels.bluesky import BlueskyConnector, graphemes, record_key
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, PublishError
from tests.bluesky.conftest import account, app_password, get_record, list_posts


def key(label: str) -> str:
    return f"test-{label}-{uuid.uuid4().hex}:0"


def png(path, width=8, height=8, pad=0):
    """A real PNG (grey square); ``pad`` bytes of ancillary data make it as large as needed."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    body = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
    )
    if pad:
        body += chunk(b"teXt", b"pad\x00" + b"x" * pad)
    path.write_bytes(body + chunk(b"IEND", b""))
    return path


def test_registered_with_its_fields_and_limits():
    assert "bluesky" in base.available()
    cls = base.get("bluesky")
    assert [f.name for f in cls.credential_fields] == ["server", "identifier", "app_password"]
    assert [f.secret for f in cls.credential_fields] == [False, False, True]
    assert (cls.limits.max_text, cls.limits.counting, cls.limits.max_images) == (300, "graphemes", 4)
    assert cls.publish_capabilities.threads and not cls.publish_capabilities.can_edit


def test_record_keys_are_deterministic_tids():
    import re

    keys = {record_key(f"pub-{i}:0") for i in range(2000)}
    assert len(keys) == 2000
    assert record_key("pub-1:0") == record_key("pub-1:0")
    assert all(re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", k) for k in keys)


def test_graphemes_count_an_emoji_family_as_one():
    assert graphemes("ä👨‍👩‍👧") == 2


def test_text_with_link_mention_and_hashtag_has_byte_exact_facets(bsky_network, alice):
    text = "Hyvää päivää 😀 @bob.test katso https://example.fi/äiti?x=1 ja #Kirkkonummi!"
    published = alice.publish_part(Part(key=key("facets"), text=text, languages=("fi",)))
    assert published.external_id.startswith("at://") and published.cid
    assert published.url.endswith("/post/" + published.external_id.rsplit("/", 1)[1])

    record = get_record(bsky_network, published.external_id)["value"]
    assert record["text"] == text and record["langs"] == ["fi"]
    encoded = text.encode()
    spans = {}
    for facet in record["facets"]:
        feature = facet["features"][0]
        spans[feature["$type"].rsplit("#", 1)[1]] = (
            encoded[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode(),
            feature,
        )
    assert spans["mention"][0] == "@bob.test"
    assert spans["mention"][1]["did"] == account(bsky_network, "bob.test")["did"]
    assert spans["link"][0] == "https://example.fi/äiti?x=1"
    assert spans["link"][1]["uri"] == "https://example.fi/äiti?x=1"
    assert spans["tag"][0] == "#Kirkkonummi" and spans["tag"][1]["tag"] == "Kirkkonummi"


def test_image_with_alt_text_is_uploaded_as_a_blob(bsky_network, alice, tmp_path):
    image = png(tmp_path / "kirjasto.png", 16, 16)
    part = Part(
        key=key("image"),
        text="Kirjasto on auki.",
        languages=("fi",),
        media=[MediaFile(type="image", path=image, mime="image/png", alt="Kirjaston ovi auki")],
    )
    published = alice.publish_part(part)
    record = get_record(bsky_network, published.external_id)["value"]
    (img,) = record["embed"]["images"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    assert img["alt"] == "Kirjaston ovi auki" and img["image"]["mimeType"] == "image/png"
    blob = httpx.get(
        f"{bsky_network.pds_url}/xrpc/com.atproto.sync.getBlob",
        params={"did": alice.did, "cid": img["image"]["ref"]["$link"]},
    )
    assert blob.content == image.read_bytes()


def test_too_large_image_or_missing_file_is_refused_before_sending(bsky_network, alice, tmp_path):
    big = png(tmp_path / "big.png", pad=1_000_100)
    before = len(list_posts(bsky_network, alice.did))
    for media in (
        MediaFile(type="image", path=big, mime="image/png", alt="iso"),
        MediaFile(type="image", path=tmp_path / "missing.png", mime="image/png"),
    ):
        with pytest.raises(PublishError) as err:
            alice.publish_part(Part(key=key("big"), text="Kuva", media=[media]))
        assert err.value.kind is ErrorKind.FIX_CONTENT
    assert "1000000" in str(err.value) or "cannot be read" in str(err.value)
    assert len(list_posts(bsky_network, alice.did)) == before


def test_text_over_300_graphemes_is_refused(alice):
    with pytest.raises(PublishError) as err:
        alice.publish_part(Part(key=key("long"), text="ä" * 301))
    assert err.value.kind is ErrorKind.FIX_CONTENT


def test_three_part_thread_has_root_and_parent_refs(bsky_network, alice):
    base_key = uuid.uuid4().hex
    first = alice.publish_part(
        Part(key=f"{base_key}:0", text="1/3 Kunnanvaltuusto kokoontuu.", languages=("fi",))
    )
    second = alice.publish_part(
        Part(key=f"{base_key}:1", text="2/3 Fullmäktige sammanträder.", languages=("sv",)),
        reply_to=first,
        root=first,
    )
    third = alice.publish_part(
        Part(key=f"{base_key}:2", text="3/3 The council meets.", languages=("en",)),
        reply_to=second,
        root=first,
    )
    two = get_record(bsky_network, second.external_id)["value"]["reply"]
    three = get_record(bsky_network, third.external_id)["value"]["reply"]

    def ref(reply, which):
        return reply[which]["uri"], reply[which]["cid"]

    assert ref(two, "root") == ref(two, "parent") == (first.external_id, first.cid)
    assert ref(three, "root") == (first.external_id, first.cid)
    assert ref(three, "parent") == (second.external_id, second.cid)
    # The AppView sees the same thread.
    deadline = time.time() + 20
    while True:
        thread = httpx.get(
            f"{bsky_network.info['appview_url']}/xrpc/app.bsky.feed.getPostThread",
            params={"uri": first.external_id},
        ).json()
        replies = thread.get("thread", {}).get("replies") or []
        if replies and replies[0].get("replies"):
            break
        assert time.time() < deadline, thread
        time.sleep(0.3)
    assert replies[0]["post"]["uri"] == second.external_id
    assert replies[0]["replies"][0]["post"]["uri"] == third.external_id


def test_same_part_key_twice_gives_one_record(bsky_network, alice):
    part = Part(key=key("twice"), text="Vain kerran.")
    before = len(list_posts(bsky_network, alice.did))
    one = alice.publish_part(part)
    two = alice.publish_part(part)
    assert (one.external_id, one.cid) == (two.external_id, two.cid)
    assert len(list_posts(bsky_network, alice.did)) == before + 1
    assert alice.find_published(part).external_id == one.external_id
    assert alice.find_published(Part(key=key("never-sent"), text="x")) is None


class DropAfterCreate(httpx.BaseTransport):
    """The PDS gets the createRecord and answers; the answer is lost on the way (as when the
    connection drops or the worker dies right after the platform accepted the post)."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.dropped = 0

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if request.url.path.endswith("com.atproto.repo.createRecord") and not self.dropped:
            response.read()
            self.dropped += 1
            raise httpx.ReadTimeout("the answer never came", request=request)
        return response


def test_unknown_outcome_then_the_retry_finds_the_record(bsky_network, alice_credentials):
    transport = DropAfterCreate()
    connector = BlueskyConnector.from_credentials(alice_credentials, transport=transport)
    part = Part(key=key("lost-answer"), text="Vastaus katosi matkalla.")
    before = len(list_posts(bsky_network, connector.did))
    with pytest.raises(PublishError) as err:
        connector.publish_part(part)
    assert err.value.kind is ErrorKind.UNKNOWN_OUTCOME and transport.dropped == 1
    found = connector.find_published(part)
    assert found is not None and get_record(bsky_network, found.external_id)["value"]["text"] == part.text
    again = connector.publish_part(part)  # a blind retry would not duplicate it either
    assert again.external_id == found.external_id
    assert len(list_posts(bsky_network, connector.did)) == before + 1


def test_wrong_or_revoked_app_password_means_reauthorize(bsky_network):
    wrong = BlueskyConnector(bsky_network.pds_url, "alice.test", "not-the-password")
    with pytest.raises(PublishError) as err:
        wrong.check_connection()
    assert err.value.kind is ErrorKind.REAUTHORIZE

    password = app_password(bsky_network.pds_url, "alice.test", "alice-main-password", "revoked-later")
    connector = BlueskyConnector(bsky_network.pds_url, "alice.test", password)
    assert connector.check_connection() == "alice.test"
    stored = connector.refresh_credentials()
    assert stored["session"] and stored["expires_at"]

    # A connector built from the stored session publishes without logging in again.
    reused = BlueskyConnector(
        bsky_network.pds_url, "alice.test", "wrong-but-unused", session=stored["session"]
    )
    assert reused.check_connection() == "alice.test"

    session = httpx.post(
        f"{bsky_network.pds_url}/xrpc/com.atproto.server.createSession",
        json={"identifier": "alice.test", "password": "alice-main-password"},
    ).json()
    httpx.post(
        f"{bsky_network.pds_url}/xrpc/com.atproto.server.revokeAppPassword",
        json={"name": "revoked-later"},
        headers={"Authorization": f"Bearer {session['accessJwt']}"},
    ).raise_for_status()
    with pytest.raises(PublishError) as err:
        connector.refresh_credentials()  # the refresh token is gone, and so is the app password
    assert err.value.kind is ErrorKind.REAUTHORIZE
    # An access token the PDS does not accept (here: a broken signature; an expired one is the
    # same) and a revoked app password: nothing is published, the person must reconnect.
    handle, did, access, refresh, pds = stored["session"].split(":::")
    tampered = ":::".join(
        [handle, did, access[:-6] + ("AAAAAA" if not access.endswith("AAAAAA") else "BBBBBB"), refresh, pds]
    )
    before = len(list_posts(bsky_network, did))
    broken = BlueskyConnector(bsky_network.pds_url, "alice.test", password, session=tampered)
    with pytest.raises(PublishError) as err:
        broken.publish_part(Part(key=key("revoked"), text="Ei pitäisi näkyä."))
    assert err.value.kind is ErrorKind.REAUTHORIZE
    assert len(list_posts(bsky_network, did)) == before


def test_reply_by_another_account_is_fetched_as_an_incoming_item(bsky_network, alice, bob):
    post = alice.publish_part(
        Part(key=key("ask"), text="Mitä mieltä olette uudesta kirjastosta?", languages=("fi",))
    )
    answer_uri = bob.reply(post.external_id, "Hieno paikka, kiitos!", language="fi")
    record = get_record(bsky_network, answer_uri)["value"]
    assert (record["reply"]["parent"]["uri"], record["reply"]["parent"]["cid"]) == (
        post.external_id,
        post.cid,
    )

    watcher = BlueskyConnector(alice.server, "alice.test", alice._password, posts=[post.external_id])
    deadline = time.time() + 20
    while True:
        items = {i.external_id: i for i in watcher.fetch()}
        if answer_uri in items:
            break
        assert time.time() < deadline, "the AppView never showed the reply"
        time.sleep(0.3)
    item = items[answer_uri]
    assert (item.kind, item.text, item.author_handle) == ("reply", "Hieno paikka, kiitos!", "bob.test")
    assert item.parent_id == post.external_id and item.language == "fi" and item.channel == "bluesky"
    assert item.post_text == "Mitä mieltä olette uudesta kirjastosta?"
    assert item.occurred is not None and item.raw["uri"] == answer_uri

    # Our own answer to bob is not an incoming item; deleting it removes the record.
    ours = alice.reply(item, "Kiitos palautteesta!", language="fi")
    assert ours not in {i.external_id for i in watcher.fetch()}
    alice.retract(ours)
    assert (
        httpx.get(
            f"{bsky_network.pds_url}/xrpc/com.atproto.repo.getRecord",
            params={"repo": alice.did, "collection": "app.bsky.feed.post", "rkey": ours.rsplit("/", 1)[1]},
        ).status_code
        == 400
    )


def test_a_reply_seen_only_in_the_notifications_still_names_the_post_it_answers(bsky_network, alice, bob):
    """The AppView lags the PDS: a watched post's thread may not be indexed yet, and its reply then comes
    through the notifications alone. The post it answers is read from the PDS, so the inbox still shows
    which post the comment is about."""
    post = alice.publish_part(
        Part(key=key("notified"), text="Aukeaako uimahalli jouluna?", languages=("fi",))
    )
    answer_uri = bob.reply(post.external_id, "Toivottavasti!", language="fi")
    watcher = BlueskyConnector(alice.server, "alice.test", alice._password, posts=[])  # no thread walk
    deadline = time.time() + 20
    while True:
        items = {i.external_id: i for i in watcher.fetch()}
        if answer_uri in items:
            break
        assert time.time() < deadline, "the notification never came"
        time.sleep(0.3)
    item = items[answer_uri]
    assert item.kind == "reply" and item.parent_id == post.external_id
    assert item.post_text == "Aukeaako uimahalli jouluna?"


def test_a_deleted_watched_post_does_not_stop_the_fetch(bsky_network, alice, bob):
    gone = alice.publish_part(Part(key=key("gone"), text="Tämä poistetaan.", languages=("fi",)))
    live = alice.publish_part(Part(key=key("live"), text="Kirjasto on auki sunnuntaisin.", languages=("fi",)))
    alice.retract(gone.external_id)
    answer_uri = bob.reply(live.external_id, "Hienoa, kiitos!", language="fi")
    watcher = BlueskyConnector(
        alice.server, "alice.test", alice._password, posts=[gone.external_id, live.external_id]
    )
    deadline = time.time() + 30
    while answer_uri not in {i.external_id for i in watcher.fetch()}:  # the deleted post is skipped
        assert time.time() < deadline, "the reply to the live post never came"
        time.sleep(0.3)
