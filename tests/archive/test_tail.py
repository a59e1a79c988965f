"""Nothing lost without `verify` saying so: the tail after the last checkpoint, removed checkpoints,
the media index, dropped triggers, malformed rows and malformed bundles."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from somevahti.archive import witness
from somevahti.archive.api import Archive
from somevahti.archive.bundle import verify_export
from somevahti.archive.export import ExportRequest, export
from somevahti.archive.verify import verify

from .conftest import post
from .test_verify import tamper


@pytest.fixture
def signed(archive):
    """Records 1-3 signed, 4-6 signed by a second checkpoint."""
    for i in range(1, 4):
        post(archive, f"x:{i}", f"Tiedote {i}")
    archive.checkpoint("kunta")
    for i in range(4, 7):
        post(archive, f"x:{i}", f"Tiedote {i}")
    archive.checkpoint("kunta")
    return archive


def problems(archive):
    report = verify(archive, "kunta")
    assert not report.ok
    return report.problems


def test_signed_archive_verifies_and_each_checkpoint_names_the_one_before(signed):
    report = verify(signed, "kunta")
    assert report.ok, report.problems
    assert [(cp.prev, cp.records) for cp in signed.checkpoints("kunta")] == [(0, 3), (3, 6)]
    entries, bad = witness.read(signed.keys.dir, "kunta")
    assert [e.seq for e in entries] == [3, 6] and not bad
    assert report.unprotected is None


def test_records_after_the_last_checkpoint_are_reported_unprotected(signed):
    post(signed, "x:7", "Uusi")
    post(signed, "x:8", "Uudempi")
    report = verify(signed, "kunta")
    assert report.ok and report.unprotected == (7, 8)
    assert any("7-8" in w and "not yet covered" in w for w in report.warnings)


def test_truncated_tail_with_its_checkpoint_is_caught_by_the_log(signed):
    """The attacker deletes records 4-6 and the checkpoint that signed them: the database alone
    looks like a clean three-record archive."""
    tamper(signed, "DELETE FROM archive_checkpoint WHERE seq = 6")
    for table in ("archive_text", "archive_content", "archive_record"):
        signed.store.execute(f"DELETE FROM {table} WHERE seq > 3")  # noqa: S608
    found = problems(signed)
    assert found[0].seq == 4 and "missing" in found[0].message and "tail" in found[0].message
    assert any(p.seq == 6 and "missing from the database" in p.message for p in found)


def test_removed_middle_checkpoint_breaks_the_signed_sequence_without_the_log(signed):
    tamper(signed, "DELETE FROM archive_checkpoint WHERE seq = 3")
    witness.log_path(signed.keys.dir, "kunta").unlink()
    found = problems(signed)
    assert found[0].seq == 3 and "removed" in found[0].message
    assert any("checkpoint log" in p.message and "missing" in p.message for p in found)


def test_removed_log_entry_is_named(signed):
    path = witness.log_path(signed.keys.dir, "kunta")
    lines = path.read_text().splitlines()
    path.write_text(lines[1] + "\n")
    assert any("entry for the checkpoint at record 3 is missing" in p.message for p in problems(signed))


def test_malformed_log_line_is_a_problem_not_a_crash(signed):
    path = witness.log_path(signed.keys.dir, "kunta")
    with open(path, "a") as f:
        f.write("{not json\n[1, 2]\n")
    found = problems(signed)
    assert sum("malformed line" in p.message for p in found) == 2


def test_deleted_media_index_row_is_named(archive):
    post(archive, "x:1", "Ilman kuvaa")
    archive.append(
        "post",
        {"event": "published", "texts": {"fi": "Kuva"}, "media": [{"type": "image"}]},
        org="kunta",
        subject="x:2",
        media=[b"\x89PNG fake image bytes"],
    )
    archive.checkpoint("kunta")
    tamper(archive, "DELETE FROM archive_media WHERE seq = 2")
    found = problems(archive)
    assert found[0].seq == 2 and "media index" in found[0].message


def test_dropped_triggers_are_reported_and_not_silently_recreated(signed, db_url, tmp_path):
    tamper(signed, "SELECT 1")  # drops (SQLite) or disables (PostgreSQL) the append-only triggers
    found = problems(signed)
    assert any("append-only protection has been removed" in p.message for p in found)
    reopened = Archive.open(db_url, media_dir=tmp_path / "media", keys_dir=tmp_path / "keys")
    try:
        assert any("append-only protection" in p.message for p in problems(reopened))
    finally:
        reopened.close()


@pytest.mark.parametrize(
    "sql,words",
    [
        ("UPDATE archive_record SET media = 'not json' WHERE seq = 2", "record 2 is malformed"),
        ("UPDATE archive_record SET media = '{\"a\": 1}' WHERE seq = 2", "record 2 is malformed"),
        ("UPDATE archive_content SET raw = 'text, not bytes' WHERE seq = 2", "record 2 is altered"),
    ],
)
def test_malformed_rows_are_named_not_crashed_on(signed, sql, words):
    tamper(signed, sql)
    found = problems(signed)
    assert found[0].seq == 2 and words in found[0].message


def test_non_numeric_seq_is_a_problem(signed):
    if signed.store.dialect != "sqlite":
        pytest.skip("PostgreSQL's BIGINT column cannot hold text")
    tamper(signed, "UPDATE archive_record SET seq = 'abc' WHERE seq = 5")
    found = problems(signed)
    assert any("malformed number" in p.message for p in found)
    assert any(p.seq == 5 and "missing" in p.message for p in found)


def test_import_ends_with_a_signed_checkpoint(archive, tmp_path):
    from somevahti.archive.imports import run_import

    fixtures = Path(__file__).parent / "fixtures" / "mastodon"
    result = run_import(archive, "mastodon", fixtures, org="kunta", account="mastodon:kunta", actor="anna")
    assert result.added >= 1
    report = verify(archive, "kunta")
    assert report.ok and report.unprotected is None
    assert archive.checkpoints("kunta")[-1].seq == archive.head("kunta")[0]


# --- verify-export on malformed bundles ---------------------------------------------------------


@pytest.fixture
def bundle(signed, tmp_path):
    out = tmp_path / "bundle"
    export(signed, ExportRequest("kunta", ["fb"]), out, actor="kirjaamo")
    return out


@pytest.mark.parametrize(
    "damage",
    [
        "manifest-not-json",
        "manifest-list",
        "files-not-mapping",
        "records-line",
        "chain-line",
        "records-missing-key",
        "seq-not-number",
    ],
)
def test_malformed_bundles_fail_with_a_message(bundle, damage):
    manifest_path = bundle / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    if damage == "manifest-not-json":
        manifest_path.write_text("{oops")
    elif damage == "manifest-list":
        manifest_path.write_text("[]")
    elif damage == "files-not-mapping":
        manifest["files"] = ["a", "b"]
        manifest_path.write_text(json.dumps(manifest))
    elif damage == "records-line":
        with open(bundle / "records.jsonl", "a") as f:
            f.write("not json\n")
    elif damage == "chain-line":
        with open(bundle / manifest["chain"]["file"], "a") as f:
            f.write("[1]\n")
    elif damage == "records-missing-key":
        lines = (bundle / "records.jsonl").read_text().splitlines()
        first = json.loads(lines[0])
        del first["hash"]
        (bundle / "records.jsonl").write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    elif damage == "seq-not-number":
        manifest["records"][0]["seq"] = "first"
        manifest_path.write_text(json.dumps(manifest))
    report = verify_export(bundle)
    assert not report.ok and report.problems


def test_garbage_zip_is_an_input_error(tmp_path):
    from somevahti.errors import InputError

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError):
        verify_export(bad)
    good_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(good_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="manifest"):
        verify_export(good_zip)
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
