"""Verification finds every kind of tampering and names the first record affected."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from somevahti.archive.api import checkpoint_message
from somevahti.archive.keys import key_id, raw_public
from somevahti.archive.verify import verify

from .conftest import post


def tamper(archive, sql, params=()):
    """Bypass the append-only triggers the way an attacker with database access would."""
    s = archive.store
    if s.dialect == "sqlite":
        for (name,) in s.query("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            s.execute(f"DROP TRIGGER {name}")
    else:
        for table in (
            "archive_record",
            "archive_content",
            "archive_checkpoint",
            "archive_tombstone",
            "archive_media",
        ):
            s.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    s.execute(sql, params)


@pytest.fixture
def filled(archive):
    for i in range(1, 7):
        post(archive, f"x:{i}", f"Tiedote numero {i}")
    archive.checkpoint("kunta")
    return archive


def first_problem(archive):
    report = verify(archive, "kunta")
    assert not report.ok
    return report.problems[0]


def test_untouched_archive_verifies(filled):
    report = verify(filled, "kunta")
    assert report.ok, report.problems
    assert (report.records, report.checkpoints) == (6, 1)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE archive_record SET account = 'ig' WHERE seq = 3",
        "DELETE FROM archive_record WHERE seq = 3",
        "UPDATE archive_content SET payload = '{}' WHERE seq = 3",
        "DELETE FROM archive_content WHERE seq = 3",
        "UPDATE archive_checkpoint SET head = 'x'",
        "DELETE FROM archive_checkpoint",
    ],
)
def test_database_rejects_updates_and_deletes(filled, sql):
    with pytest.raises(Exception, match="append-only|recorded purge"):
        filled.store.execute(sql)
    assert verify(filled, "kunta").ok


def test_database_rejects_a_record_that_does_not_continue_the_chain(filled):
    with pytest.raises(Exception, match="does not continue the chain"):
        filled.store.execute(
            "INSERT INTO archive_record (org, seq, kind, recorded, occurred, content, media, prev, hash) "
            "VALUES ('kunta', 7, 'post', 'x', 'x', 'c', '[]', ?, 'h')",
            ("0" * 64,),
        )


def test_changed_byte_in_content_is_named(filled):
    payload = filled.store.one("SELECT payload FROM archive_content WHERE seq = 4")[0]
    tamper(filled, "UPDATE archive_content SET payload = ? WHERE seq = 4", (payload.replace("4", "5"),))
    problem = first_problem(filled)
    assert problem.seq == 4 and "content" in problem.message


def test_changed_header_is_named(filled):
    tamper(filled, "UPDATE archive_record SET account = 'ig' WHERE seq = 2")
    problem = first_problem(filled)
    assert problem.seq == 2 and "altered" in problem.message


def test_deleted_record_is_named(filled):
    tamper(filled, "DELETE FROM archive_record WHERE seq = 3")
    problem = first_problem(filled)
    assert problem.seq == 3 and "missing" in problem.message


def test_deleted_last_record_is_caught_by_the_checkpoint(filled):
    tamper(filled, "DELETE FROM archive_record WHERE seq = 6")
    problem = first_problem(filled)
    assert problem.seq == 6 and "missing" in problem.message


def test_swapped_order_is_named(filled):
    tamper(filled, "UPDATE archive_record SET seq = -1 WHERE seq = 3")
    tamper(filled, "UPDATE archive_record SET seq = 3 WHERE seq = 4")
    tamper(filled, "UPDATE archive_record SET seq = 4 WHERE seq = -1")
    problem = first_problem(filled)
    assert problem.seq == 3 and "out of order" in problem.message


def test_rewritten_chain_is_caught_by_the_signed_checkpoint(filled):
    """An attacker who recomputes every hash after a change still cannot match the signature."""
    from somevahti.archive.records import chain_hash

    tamper(filled, "UPDATE archive_record SET account = 'ig' WHERE seq = 5")
    rec5 = filled.get("kunta", 5)
    h5 = chain_hash(rec5.prev, rec5.body)
    tamper(filled, "UPDATE archive_record SET hash = ? WHERE seq = 5", (h5,))
    rec6 = filled.get("kunta", 6)
    h6 = chain_hash(h5, rec6.body)
    tamper(filled, "UPDATE archive_record SET prev = ?, hash = ? WHERE seq = 6", (h5, h6))
    report = verify(filled, "kunta")
    # The checkpoint log beside the keys names the first re-hashed record, the signature the span.
    assert report.problems[0].seq == 5 and "checkpoint log" in report.problems[0].message
    assert any(p.seq == 6 and "signed checkpoint" in p.message for p in report.problems)


def test_forged_checkpoint_signature_is_refused(filled):
    sig = filled.checkpoints("kunta")[0].signature
    forged = base64.b64encode(bytes(64 - 1) + base64.b64decode(sig)[-1:]).decode()
    tamper(filled, "UPDATE archive_checkpoint SET signature = ?", (forged,))
    assert "invalid signature" in first_problem(filled).message


def test_checkpoint_signed_by_another_key_is_not_trusted(filled):
    cp = filled.checkpoints("kunta")[0]
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(raw_public(key.public_key())).decode()
    kid = key_id(public)
    signature = base64.b64encode(
        key.sign(checkpoint_message("kunta", cp.seq, cp.head, cp.at, kid, cp.prev, cp.records))
    ).decode()
    tamper(
        filled,
        "UPDATE archive_checkpoint SET public_key = ?, key_id = ?, signature = ?",
        (public, kid, signature),
    )
    assert "not trusted" in first_problem(filled).message


def test_replaced_and_missing_media_files_are_named(archive):
    post(archive, "x:1", "Ilman kuvaa")
    rec = archive.append(
        "post",
        {"texts": {"fi": "Kuva"}, "media": [{"type": "image", "alt": "kuva"}]},
        org="kunta",
        account="fb",
        subject="x:2",
        media=[b"original image bytes"],
    )
    path = archive.media.path(rec.media[0])
    path.write_bytes(b"replaced image bytes")
    problem = first_problem(archive)
    assert problem.seq == 2 and "replaced" in problem.message
    path.unlink()
    assert "missing" in first_problem(archive).message


def test_content_deleted_without_a_purge_record_is_named(filled):
    tamper(filled, "INSERT INTO archive_tombstone (org, seq, purge_seq) VALUES ('kunta', 2, 2)")
    tamper(filled, "DELETE FROM archive_content WHERE seq = 2")
    problem = first_problem(filled)
    assert problem.seq == 2 and "without a recorded purge" in problem.message


def test_append_api_refuses_system_kinds_and_bad_payloads(archive):
    from somevahti.errors import InputError

    for kind, payload in (
        ("purge", {}),
        ("post", {"texts": "not a map"}),
        ("moderation", {"action": "hidden"}),
        ("post", {"id": 2**60}),
    ):
        with pytest.raises(InputError):
            archive.append(kind, payload, org="kunta")
    assert archive.head("kunta")[0] == 0


def test_records_keep_raw_response_and_media_beside_the_payload(archive):
    rec = archive.append(
        "comment",
        {"event": "received", "texts": {"fi": "Hei"}, "parent": "x:1"},
        org="kunta",
        account="fb",
        subject="x:1_1",
        raw={"id": "1_1", "message": "Hei"},
        media=[b"img"],
    )
    assert json.loads(archive.raw("kunta", rec.seq)) == {"id": "1_1", "message": "Hei"}
    assert archive.get("kunta", rec.seq) == rec
    with archive.media.open(rec.media[0]) as f:
        assert f.read() == b"img"


def test_one_record_is_checked_up_to_its_checkpoint(filled):
    from somevahti.archive.verify import verify_record

    check = verify_record(filled, "kunta", 3)
    assert (
        check.ok and check.header and check.content and check.chain and check.signed and check.checkpoint == 6
    )
    post(filled, "x:7", "Uusi tiedote")
    assert not verify_record(filled, "kunta", 7).ok  # no checkpoint covers it yet
    assert verify_record(filled, "kunta", 99) is None


@pytest.mark.parametrize(
    ("sql", "word"),
    [
        ("UPDATE archive_content SET payload = '{\"texts\":{}}' WHERE seq = 3", "content"),
        ("UPDATE archive_record SET actor = 'eve' WHERE seq = 3", "hash"),
        (
            "UPDATE archive_record SET actor = 'eve' WHERE seq = 5",
            "checkpoint",
        ),  # a later record breaks the walk
    ],
)
def test_one_record_check_notices_tampering(filled, sql, word):
    from somevahti.archive.verify import verify_record

    tamper(filled, sql)
    check = verify_record(filled, "kunta", 3)
    assert not check.ok and word in " ".join(check.problems)
