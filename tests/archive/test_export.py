"""Records-request export → verify-export round trip, and tampered bundles that must fail."""

import io
import json
import zipfile

import pytest
from PIL import Image

from somevahti.archive.bundle import verify_export
from somevahti.archive.export import ExportRequest, export
from somevahti.errors import SomevahtiError

from .conftest import post


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def thread(archive):
    archive.append(
        "post",
        {
            "event": "published",
            "texts": {"fi": "Kirjasto on auki.", "sv": "Biblioteket är öppet."},
            "media": [{"type": "image", "alt": {"fi": "Kirjaston ovi", "sv": "Bibliotekets dörr"}}],
        },
        org="kunta",
        account="fb",
        actor="anna",
        subject="fb:1",
        occurred="2024-03-01T10:00:00+02:00",
        media=[png()],
        raw={"id": "1"},
    )
    archive.append(
        "comment",
        {
            "event": "received",
            "texts": {"fi": "Milloin satutunti on?"},
            "parent": "fb:1",
            "author": "Matti Meikäläinen",
        },
        org="kunta",
        account="fb",
        subject="fb:1_1",
        occurred="2024-03-01T11:00:00+02:00",
    )
    archive.append(
        "comment",
        {"event": "received", "texts": {"fi": "Asiaton kommentti"}, "parent": "fb:1", "author": "Troll"},
        org="kunta",
        account="fb",
        subject="fb:1_2",
        occurred="2024-03-01T12:00:00+02:00",
    )
    archive.append(
        "moderation",
        {"action": "hidden", "note": "loukkaava"},
        org="kunta",
        account="fb",
        actor="anna",
        subject="fb:1_2",
        occurred="2024-03-01T12:05:00+02:00",
    )
    post(archive, "fb:2", "Toisen tilin julkaisu", account="ig", occurred="2024-03-02T10:00:00+02:00")
    post(archive, "fb:3", "Vanha julkaisu", occurred="2023-01-02T10:00:00+02:00")
    return archive


def lines(path, name):
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return [json.loads(x) for x in z.read(name).decode().splitlines()]
    return [json.loads(x) for x in (path / name).read_text().splitlines()]


def test_export_round_trip_directory(thread, tmp_path):
    out = tmp_path / "bundle"
    result = export(
        thread, ExportRequest("kunta", ["fb"], since="2024-01-01", until="2024-12-31"), out, actor="kirjaamo"
    )
    assert (result.threads, result.records, result.media) == (1, 4, 1)
    records = lines(out, "records.jsonl")
    assert [r["subject"] for r in records] == [
        "fb:1",
        "fb:1_1",
        "fb:1_2",
        "fb:1_2",
    ]  # thread incl. hidden comment
    assert all(r["account"] == "fb" for r in records)
    assert (out / "records-001.pdf").read_bytes().startswith(b"%PDF")
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["seq"] for e in manifest["records"]] == [1, 2, 3, 4]
    assert all(e["checkpoint"] == manifest["checkpoints"][0]["seq"] for e in manifest["records"])
    report = verify_export(out, thread.keys.trusted("kunta"))
    assert report.ok, report.problems
    # the export itself is recorded in the archive
    rec = thread.get("kunta", result.export_record.seq)
    assert rec.kind == "export" and rec.payload["manifest_sha256"] == result.manifest_sha256
    assert rec.actor == "kirjaamo"


def test_export_with_search_selects_whole_threads(thread, tmp_path):
    result = export(
        thread, ExportRequest("kunta", ["fb"], text="satutunnilla"), tmp_path / "b.zip", actor="k"
    )
    assert result.threads == 1 and result.records == 4
    assert verify_export(tmp_path / "b.zip").ok


@pytest.mark.parametrize(
    "tamper", ["records", "pdf", "manifest_hash", "chain", "checkpoint", "extra", "missing"]
)
def test_tampered_bundle_fails(thread, tmp_path, tamper):
    out = tmp_path / "bundle"
    export(thread, ExportRequest("kunta", ["fb"]), out, actor="k")
    manifest = json.loads((out / "manifest.json").read_text())
    if tamper == "records":
        text = (out / "records.jsonl").read_text().replace("satutunti", "satutunnit")
        (out / "records.jsonl").write_text(text)
        manifest["files"]["records.jsonl"] = __import__("hashlib").sha256(text.encode()).hexdigest()
    elif tamper == "pdf":
        with open(out / "records-001.pdf", "ab") as f:
            f.write(b"%")
    elif tamper == "manifest_hash":
        manifest["records"][1]["hash"] = "0" * 64
    elif tamper == "chain":
        text = (out / "chain.jsonl").read_text().splitlines()
        text.pop(1)
        (out / "chain.jsonl").write_text("\n".join(text) + "\n")
    elif tamper == "checkpoint":
        manifest["checkpoints"][0]["head"] = "0" * 64
    elif tamper == "extra":
        (out / "note.txt").write_text("added later")
    elif tamper == "missing":
        next((out / "media").iterdir()).unlink()
    (out / "manifest.json").write_text(json.dumps(manifest))
    report = verify_export(out)
    assert not report.ok


def test_bundle_signed_by_an_untrusted_key_fails(thread, tmp_path):
    export(thread, ExportRequest("kunta", ["fb"]), tmp_path / "b", actor="k")
    assert verify_export(tmp_path / "b", thread.keys.trusted("kunta")).ok
    assert not verify_export(tmp_path / "b", {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}).ok


def test_purged_records_appear_as_tombstones_and_still_verify(thread, tmp_path):
    thread.purge("kunta", [1], actor="admin", reason={"reason": "retention"})
    out = tmp_path / "b"
    result = export(thread, ExportRequest("kunta", ["fb"], since="2024-01-01"), out, actor="k")
    records = {r["seq"]: r for r in lines(out, "records.jsonl")}
    assert records[1]["purged"] and records[1]["payload"] is None
    assert result.media == 0  # the purged post's image went with it
    assert verify_export(out).ok


def test_export_needs_a_checkpoint_it_can_sign(thread, tmp_path):
    thread.keys.private_path("kunta").unlink()
    with pytest.raises(SomevahtiError, match="checkpoint"):
        export(thread, ExportRequest("kunta", ["fb"]), tmp_path / "b", actor="k")


def test_redaction_degrades_clearly(thread, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pii(name, *args, **kwargs):
        if name == "somevahti.text" and args and args[2] and "pii" in args[2]:
            raise ImportError("pii not installed")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pii)
    with pytest.raises(SomevahtiError, match="not available"):
        export(thread, ExportRequest("kunta", ["fb"], redact=True), tmp_path / "b", actor="k")
    assert not (tmp_path / "b").exists()


@pytest.mark.slow
def test_redactor_replaces_private_persons_data():
    from somevahti.archive.redact import load_redactor

    redact = load_redactor()
    text = redact("Soita minulle numeroon 040 123 4567", "fi")
    assert "040 123 4567" not in text and "[" in text
    assert redact("Kirjasto on auki tänään.", "fi") == "Kirjasto on auki tänään."
