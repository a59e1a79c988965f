"""The engine with the file connector: publishing once, refusals before sending, approval, scheduling,
unknown outcomes, rate limits, the archive."""

from datetime import UTC, datetime, timedelta

import pytest

from somevahti.archive.search import Query, search
from somevahti.channels.publishing import ErrorKind, PublishError
from somevahti.errors import InputError
from somevahti.publishing import ApprovalRequired, KeyConflict, NotFound, Refused
from tests.publishing.conftest import MP4, account, doc, png

RIGHTS = {"rights": {"holder": "Kirkkonummen kunta", "licence": "own"}}


def published_keys(conn):
    return [e["key"] for e in conn.entries() if e["event"] == "published"]


def test_a_bilingual_post_goes_out_once_as_a_thread_on_mastodon(make_engine):
    engine, conn = make_engine()
    pub = engine.submit(doc(), account(), submitted_by="maija")
    assert pub.status == "queued" and conn.entries() == []
    pub = engine.send(pub.key)
    assert pub.status == "published"
    posts = conn.posts()
    assert [p["text"] for p in posts] == [
        "Kirjasto on auki tänään kello 10–18.",
        "Biblioteket är öppet i dag kl. 10–18.",
    ]
    assert posts[0]["reply_to"] is None and posts[1]["reply_to"] == posts[0]["id"]
    assert [p.external_id for p in pub.parts] == [p["id"] for p in posts]


def test_facebook_gets_swedish_in_the_same_update_as_finnish(make_engine):
    engine, conn = make_engine("facebook")
    pub = engine.send(engine.submit(doc(), account("facebook")).key)
    assert len(pub.parts) == 1
    assert (
        conn.posts()[0]["text"]
        == "Kirjasto on auki tänään kello 10–18.\n\nBiblioteket är öppet i dag kl. 10–18."
    )
    assert conn.posts()[0]["languages"] == ["fi", "sv"]


def test_the_same_key_twice_publishes_once_and_answers_the_same(make_engine):
    engine, conn = make_engine()
    first = engine.send(engine.submit(doc(), account(), key="tiedote-1").key)
    again = engine.submit(doc(), account(), key="tiedote-1")
    assert not again.created and again.status == "published"
    assert engine.send("tiedote-1").as_json()["parts"] == first.as_json()["parts"]
    assert published_keys(conn) == ["tiedote-1:0", "tiedote-1:1"]


def test_without_a_key_the_same_content_derives_the_same_key(make_engine):
    engine, conn = make_engine()
    a = engine.submit(doc(), account())
    b = engine.submit(doc(), account())
    assert a.key == b.key and not b.created
    other = engine.submit(doc(text={"fi": "Uimahalli on kiinni huomenna."}), account())
    assert other.key != a.key


def test_a_key_reused_for_other_content_is_refused(make_engine):
    engine, _conn = make_engine()
    engine.submit(doc(), account(), key="k")
    with pytest.raises(KeyConflict):
        engine.submit(doc(text={"fi": "Jotain aivan muuta."}), account(), key="k")


def test_error_findings_refuse_and_nothing_is_sent(make_engine):
    engine, conn = make_engine()
    with pytest.raises(Refused) as e:
        engine.submit(
            doc(text={"fi": "Soita Matti Meikäläiselle numeroon 040 123 4567, hetu 131052-308T."}), account()
        )
    assert e.value.findings and all(f.severity == "error" for f in e.value.findings)
    assert conn.entries() == [] and engine.list() == []


def test_a_long_text_is_split_at_sentences_into_a_thread_never_cut(make_engine):
    engine, conn = make_engine()
    sentences = [f"Lause numero {i} kertoo kirjaston aukioloista ja tapahtumista." for i in range(30)]
    text = " ".join(sentences)
    pub = engine.send(engine.submit(doc(text={"fi": text}), account()).key)
    texts = [p["text"] for p in conn.posts()]
    assert len(texts) > 1 and all(len(t) <= 500 for t in texts)
    assert " ".join(texts) == text  # nothing lost, nothing cut
    assert all(t.endswith(".") for t in texts)  # every piece ends at a sentence boundary
    assert [p.reply_to for p in pub.parts] == [None, *range(len(texts) - 1)]


def test_too_long_for_a_platform_without_threads_is_refused(make_engine):
    engine, conn = make_engine("instagram")
    long = "Kirjasto on auki. " * 200
    with pytest.raises(Refused):
        engine.submit(doc(text={"fi": long}, media=[]), account("instagram"))
    assert conn.entries() == []


def test_approval_is_required_where_the_pack_says_and_recorded(make_engine, archive):
    engine, conn = make_engine()
    kela = account(pack="kela")
    text = {"fi": "Kelan palvelut ovat auki normaalisti.", "sv": "FPA:s tjänster är öppna som vanligt."}
    with pytest.raises(ApprovalRequired):
        engine.submit(doc(text=text), kela)
    assert conn.entries() == []
    pub = engine.send(engine.submit(doc(text=text), kela, approved_by="viestinta").key)
    assert pub.status == "published" and pub.approved_by == "viestinta"
    record = next(archive.records("kirkkonummi", kinds=["post"]))
    assert record.actor == "viestinta" and record.payload["approved_by"] == "viestinta"


def test_someone_who_may_not_approve_is_refused(make_engine):
    engine, conn = make_engine(may_approve=lambda user, acc, approval: user == "viestinta")
    text = {"fi": "Kelan palvelut ovat auki normaalisti.", "sv": "FPA:s tjänster är öppna som vanligt."}
    with pytest.raises(ApprovalRequired, match="may not approve"):
        engine.submit(doc(text=text), account(pack="kela"), approved_by="harjoittelija")


def test_the_generic_pack_asks_for_no_approval(make_engine):
    engine, _conn = make_engine()
    assert engine.send(engine.submit(doc(), account(pack="generic")).key).status == "published"


def test_a_scheduled_publication_waits_for_its_time(make_engine):
    engine, conn = make_engine()
    at = datetime.now(UTC) + timedelta(hours=2)
    pub = engine.submit(doc(), account(), at=at)
    assert engine.send(pub.key).status == "queued"
    assert engine.run_due(datetime.now(UTC), "w1").published == []
    assert conn.entries() == []
    report = engine.run_due(at + timedelta(seconds=1), "w1")
    assert report.published == [pub.key] and len(conn.posts()) == 2


def test_cancel_before_sending_and_not_after(make_engine):
    engine, conn = make_engine()
    pub = engine.submit(doc(), account(), at=datetime.now(UTC) + timedelta(hours=1))
    assert engine.cancel(pub.key).status == "cancelled"
    assert engine.run_due(datetime.now(UTC) + timedelta(hours=2), "w").published == []
    other = engine.send(engine.submit(doc(text={"fi": "Toinen tiedote."}), account()).key)
    with pytest.raises(Exception, match="can no longer be cancelled"):
        engine.cancel(other.key)


def test_unknown_account_has_no_connection(make_engine):
    engine, _conn = make_engine()
    with pytest.raises(NotFound):
        engine.submit(doc(), account().__class__("mastodon", "tuntematon", pack="kirkkonummi"))


class DropsAfterAccepting:
    """The platform accepts the post, then the connection breaks before its answer arrives."""

    def __init__(self, inner, drops=1):
        self.inner, self.drops = inner, drops
        self.limits, self.publish_capabilities = inner.limits, inner.publish_capabilities
        self.lookups = 0

    def publish_part(self, part, **kw):
        result = self.inner.publish_part(part, **kw)
        if self.drops:
            self.drops -= 1
            raise ConnectionResetError("connection reset by peer")
        return result

    def find_published(self, part):
        self.lookups += 1
        return self.inner.find_published(part)


def test_a_connection_dropped_after_acceptance_is_looked_up_not_sent_again(make_engine, out_dir):
    from tests.publishing.conftest import file_connector

    flaky = DropsAfterAccepting(file_connector(out_dir))
    engine, _ = make_engine(connector=flaky)
    pub = engine.send(engine.submit(doc(), account()).key)
    assert pub.status == "queued" and pub.parts[0].state == "unknown" and pub.error_kind == "unknown_outcome"
    report = engine.run_due(datetime.now(UTC) + timedelta(minutes=5), "w2")
    assert report.published == [pub.key] and flaky.lookups == 1
    assert published_keys(flaky.inner) == [f"{pub.key}:0", f"{pub.key}:1"]


class Refusing:
    def __init__(self, inner, error):
        self.inner, self.error = inner, error
        self.limits, self.publish_capabilities = inner.limits, inner.publish_capabilities

    def publish_part(self, part, **kw):
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return self.inner.publish_part(part, **kw)

    def find_published(self, part):
        return self.inner.find_published(part)


def test_a_rate_limit_is_waited_out_as_the_platform_says(make_engine, out_dir):
    from tests.publishing.conftest import file_connector

    conn = Refusing(file_connector(out_dir), PublishError(ErrorKind.RETRY_LATER, "429", retry_after=600))
    engine, _ = make_engine(connector=conn)
    key = engine.submit(doc(), account()).key
    now = datetime.now(UTC)
    pub = engine.send(key, now=now)
    assert pub.status == "queued" and pub.next_try_at >= now + timedelta(seconds=600)
    assert pub.parts[0].state == "pending"
    assert engine.run_due(now + timedelta(seconds=300), "w").published == []
    assert engine.run_due(now + timedelta(seconds=601), "w").published == [pub.key]


def test_a_revoked_token_fails_with_advice_and_is_kept_for_a_retry(make_engine, out_dir, monkeypatch):
    from tests.publishing.conftest import file_connector

    conn = Refusing(
        file_connector(out_dir),
        PublishError(
            ErrorKind.REAUTHORIZE,
            "401 The access token was revoked",
            platform_reason="The access token was revoked",
        ),
    )
    engine, _ = make_engine(connector=conn)
    pub = engine.send(engine.submit(doc(), account()).key)
    assert pub.status == "failed" and pub.error_kind == "reauthorize"
    assert "reconnect the account" in pub.advice
    monkeypatch.setenv("SOMEVAHTI_LANG", "fi")
    assert pub.advice != pub.as_json()["error"]["reason"] and "yhdistä" in pub.advice.lower()
    assert engine.run_due(datetime.now(UTC) + timedelta(hours=1), "w").published == []  # waits for a person
    engine.retry(pub.key)
    assert engine.send(pub.key).status == "published"
    assert len(conn.inner.posts()) == 2


def test_missing_image_is_an_input_error_and_nothing_is_queued(make_engine, tmp_path):
    engine, conn = make_engine()
    with pytest.raises(InputError, match="does not exist"):
        engine.submit(
            doc(media=[{"type": "image", "file": "puuttuu.png", "alt": {"fi": "Kuva"}, **RIGHTS}]),
            account(),
            base_dir=tmp_path,
        )
    assert engine.list() == [] and conn.entries() == []


def test_image_over_the_platform_size_is_refused(make_engine, tmp_path):
    (tmp_path / "iso.png").write_bytes(png(pad=1_100_000))
    engine, conn = make_engine("bluesky")
    with pytest.raises(Refused, match="takes at most"):
        engine.submit(
            doc(
                text={"fi": "Kuva kirjastosta."},
                media=[{"type": "image", "file": "iso.png", "alt": {"fi": "Kirjaston sali"}, **RIGHTS}],
            ),
            account("bluesky"),
            base_dir=tmp_path,
        )
    assert conn.entries() == []


def test_a_file_that_only_claims_to_be_an_image_is_refused(make_engine, tmp_path):
    (tmp_path / "kuva.png").write_text("<html>not an image</html>")
    engine, _ = make_engine()
    with pytest.raises(Refused, match="not an image type"):
        engine.submit(
            doc(text={"fi": "Kuva."}, media=[{"type": "image", "file": "kuva.png", "alt": "Kuva", **RIGHTS}]),
            account(),
            base_dir=tmp_path,
        )


def test_video_without_captions_is_refused_where_the_pack_requires_them(make_engine, tmp_path):
    (tmp_path / "video.mp4").write_bytes(MP4)
    engine, conn = make_engine()
    media = [{"type": "video", "file": "video.mp4", "alt": {"fi": "Video kirjastosta"}, **RIGHTS}]
    with pytest.raises(Refused) as e:
        engine.submit(doc(text={"fi": "Katso video kirjastosta."}, media=media), account(), base_dir=tmp_path)
    assert [f.rule for f in e.value.findings] == ["kirk-captions"]
    assert conn.entries() == []
    # the pack's own setting refuses it too, whatever the rules say: a pack without the captions rule
    engine2, _ = make_engine(connector=conn)
    engine2._check = lambda *a: None
    with pytest.raises(Refused, match="no captions"):
        engine2.submit(
            doc(text={"fi": "Katso video kirjastosta."}, media=media), account(), base_dir=tmp_path
        )
    (tmp_path / "video.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHei\n")
    media[0]["captions"] = True
    pub = engine.send(
        engine.submit(
            doc(text={"fi": "Katso video kirjastosta."}, media=media), account(), base_dir=tmp_path
        ).key
    )
    assert pub.status == "published" and conn.posts()[0]["media"][0]["mime"] == "video/mp4"


def test_published_parts_are_in_the_archive_with_id_url_and_raw_answer(make_engine, archive):
    archive.keys.create  # the fixture's archive has the organisation's key
    engine, conn = make_engine()
    pub = engine.send(engine.submit(doc(), account()).key)
    records = list(archive.records("kirkkonummi", kinds=["post"]))
    assert [r.payload["external_id"] for r in records] == [p.external_id for p in pub.parts]
    assert records[0].subject == f"mastodon:{pub.parts[0].url}"
    assert records[1].payload["parent"] == records[0].subject
    assert archive.raw("kirkkonummi", records[0].seq)  # the platform's answer, kept as it came
    hits = search(archive, "kirkkonummi", Query(text="kirjasto"))
    assert [h.seq for h in hits] == [records[0].seq]
    assert archive.checkpoints("kirkkonummi")[-1].seq == records[-1].seq  # the batch ended with a checkpoint


def test_edit_and_delete_reach_the_platform_and_the_archive(make_engine, archive):
    engine, conn = make_engine()
    pub = engine.send(engine.submit(doc(), account()).key)
    edited = doc(
        text={"fi": "Kirjasto on auki tänään kello 10–20.", "sv": "Biblioteket är öppet i dag kl. 10–18."}
    )
    engine.edit(pub.key, edited, account(), edited_by="maija")
    assert conn.posts()[0]["text"] == "Kirjasto on auki tänään kello 10–20." and conn.posts()[0]["edited"]
    events = [(r.payload["event"], r.actor) for r in archive.records("kirkkonummi", kinds=["post"])]
    assert events[-1] == ("edited", "maija")
    engine.delete(pub.key, deleted_by="maija")
    assert conn.posts() == []
    events = [r.payload["event"] for r in archive.records("kirkkonummi", kinds=["post"])]
    assert events[-2:] == ["deleted", "deleted"]
    assert engine.status(pub.key).status == "deleted"


def test_the_inbox_learns_which_posts_to_fetch_replies_for(make_engine):
    engine, conn = make_engine()
    pub = engine.send(engine.submit(doc(), account()).key)
    assert engine.published_ids("mastodon:kirkkonummi") == [p.external_id for p in reversed(pub.parts)]
    assert engine.published_ids("mastodon:muu") == []


def test_a_reply_publication_answers_the_end_of_the_thread_it_names(make_engine, archive):
    engine, conn = make_engine("x")
    original = engine.send(engine.submit(doc(channel="x"), account("x")).key)
    assert original.status == "published" and len(original.parts) == 2  # fi, then sv answering it
    note = doc(channel="x", text={"fi": "Korjaus: kirjasto on auki kello 10–17."}, in_reply_to=original.key)
    reply = engine.send(engine.submit(note, account("x"), key=f"{original.key}:correction-1").key)
    assert reply.status == "published"
    sent = conn.entries()[-1]
    assert sent["text"].startswith("Korjaus:")
    assert (
        sent["reply_to"] == original.parts[-1].external_id and sent["root"] == original.parts[0].external_id
    )
    record = list(archive.records("kirkkonummi", kinds=["reply"]))[-1]
    assert record.payload["parent"] == f"x:{original.parts[-1].url}"


def test_a_reply_to_a_publication_not_yet_published_fails_and_sends_nothing(make_engine):
    engine, conn = make_engine("x")
    later = engine.submit(doc(channel="x"), account("x"), at=datetime.now(UTC) + timedelta(days=1))
    note = doc(channel="x", text={"fi": "Korjaus: kirjasto on auki kello 10–17."}, in_reply_to=later.key)
    reply = engine.send(engine.submit(note, account("x")).key)
    assert reply.status == "failed" and "not been published" in reply.error_message
    assert conn.entries() == []
