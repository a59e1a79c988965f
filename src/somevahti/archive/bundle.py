"""``archive verify-export BUNDLE``: check an export bundle with nothing but the bundle itself
(and, optionally, the organisation's published public key).

What is checked (docs/archive.md describes the same steps for other tools): every file's
SHA-256 against the manifest; every record's content, raw response and header hashes; the
chain from the first exported record to each checkpoint; each checkpoint's Ed25519 signature.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from somevahti.archive.api import checkpoint_message
from somevahti.archive.keys import key_id, verify_signature
from somevahti.archive.media import hash_stream
from somevahti.archive.records import HEADER_FIELDS, CanonicalError, canonical, chain_hash, sha256_hex
from somevahti.archive.verify import Report
from somevahti.errors import InputError
from somevahti.i18n import _

FORMAT = "somevahti.archive.export"


class Bundle:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            self._zip = None
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
        else:
            raise InputError(_("%s is neither an export directory nor a zip file") % path)

    def names(self) -> list[str]:
        if self._zip is not None:
            return [n for n in self._zip.namelist() if not n.endswith("/")]
        return [p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file()]

    def open(self, name: str):
        if self._zip is not None:
            return self._zip.open(name)
        return open(self.path / name, "rb")

    def lines(self, name: str) -> Iterator[dict]:
        with self.open(name) as f:
            for n, line in enumerate(io.TextIOWrapper(f, encoding="utf-8", newline="\n"), 1):
                if line.strip():
                    try:
                        item = json.loads(line)
                    except ValueError as e:
                        raise Malformed(
                            _("%(name)s line %(n)d is not JSON (%(error)s)")
                            % {"name": name, "n": n, "error": e}
                        ) from None
                    if not isinstance(item, dict):
                        raise Malformed(
                            _("%(name)s line %(n)d is not a JSON object") % {"name": name, "n": n}
                        )
                    yield item


class Malformed(ValueError):
    """A part of the bundle is not what the format says (the message names it)."""


def verify_export(path: str | Path, trusted: set[str] | None = None) -> Report:
    """Check a bundle; a malformed bundle is a failed report naming the malformed part, never a crash."""
    try:
        bundle = Bundle(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise InputError(_("%(path)s cannot be read: %(error)s") % {"path": path, "error": e}) from None
    names = set(bundle.names())
    if "manifest.json" not in names:
        raise InputError(_("%s has no manifest.json: not an export bundle") % path)
    try:
        with bundle.open("manifest.json") as f:
            manifest = json.loads(f.read().decode("utf-8"))
        if not isinstance(manifest, dict):
            raise Malformed(_("manifest.json is not a JSON object"))
    except (ValueError, UnicodeDecodeError) as e:
        report = Report("?")
        report.add(None, _("manifest.json is malformed: %s") % e)
        return report
    report = Report(str(manifest.get("org", "?")))
    try:
        _verify(bundle, manifest, names, trusted, report)
    except Malformed as e:
        report.add(None, str(e))
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        UnicodeDecodeError,
        zipfile.BadZipFile,
        OSError,
    ) as e:
        report.add(
            None, _("the bundle is malformed (%(kind)s: %(error)s)") % {"kind": type(e).__name__, "error": e}
        )
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report


def _verify(bundle, manifest, names, trusted, report) -> None:
    if manifest.get("format") != FORMAT or manifest.get("version") != 1:
        report.add(None, _("unknown bundle format %s") % manifest.get("format"))
        return
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise Malformed(_("manifest.json: 'files' is not a mapping of file name to SHA-256"))
    for key, kind in (("records", list), ("checkpoints", list), ("chain", dict)):
        if not isinstance(manifest.get(key), kind):
            raise Malformed(_("manifest.json: '%s' is missing or of the wrong type") % key)
    for name in sorted(names - set(files) - {"manifest.json"}):
        report.add(None, _("file %s is not listed in the manifest") % name)
    for name, digest in files.items():
        if name not in names:
            report.add(None, _("file %s listed in the manifest is missing") % name)
            continue
        with bundle.open(name) as f:
            if hash_stream(f) != digest:
                report.add(None, _("file %s has been altered") % name)
    listed = {int(e["seq"]): e for e in manifest["records"]}
    exported: dict[int, tuple[str, str]] = {}
    if "records.jsonl" in names:
        _check_records(bundle, manifest, listed, exported, report)
    for seq in sorted(set(listed) - set(exported)):
        report.add(seq, _("record %d is in the manifest but missing from records.jsonl") % seq)
    _check_chain(bundle, manifest, exported, listed, trusted, report, names)


def _check_records(bundle, manifest, listed, exported, report) -> None:
    files = manifest["files"]
    for line in bundle.lines("records.jsonl"):
        seq = int(line["seq"])
        report.records += 1
        header = {k: line[k] for k in HEADER_FIELDS}
        try:
            body = sha256_hex(canonical(header))
            if line.get("payload") is not None and sha256_hex(canonical(line["payload"])) != line["content"]:
                report.add(seq, _("record %d is altered: its content does not match its hash") % seq)
        except CanonicalError:
            report.add(seq, _("record %d is altered: it is not valid canonical JSON") % seq)
            continue
        if line.get("purged"):
            report.purged += 1
        raw = line.get("raw_base64")
        if raw is not None and sha256_hex(base64.b64decode(raw)) != line["raw"]:
            report.add(
                seq, _("record %d is altered: its raw platform response does not match its hash") % seq
            )
        if body != line["body"] or chain_hash(line["prev"], body) != line["hash"]:
            report.add(seq, _("record %d is altered: its hash does not match its header") % seq)
        entry = listed.get(seq)
        if entry is None:
            report.add(seq, _("record %d is not listed in the manifest") % seq)
        elif entry["hash"] != line["hash"]:
            report.add(seq, _("record %d does not match the hash in the manifest") % seq)
        if not line.get("purged"):
            for digest in line["media"]:
                report.media += 1
                if files.get(f"media/{digest}") != digest:
                    report.add(
                        seq,
                        _("media file %(digest)s of record %(seq)d is missing from the bundle")
                        % {"digest": digest, "seq": seq},
                    )
        exported[seq] = (body, line["hash"])


def _check_chain(bundle, manifest, exported, listed, trusted, report, names) -> None:
    chain = manifest["chain"]
    checkpoints = {int(c["seq"]): c for c in manifest["checkpoints"]}
    heads: dict[int, str] = {}
    if exported and chain.get("from") is not None and chain["file"] in names:
        expected, prev = int(chain["from"]), chain["prev"]
        for link in bundle.lines(chain["file"]):
            seq = int(link["seq"])
            if seq != expected:
                report.add(expected, _("record %d is missing from the chain") % expected)
                break
            if chain_hash(prev, link["body"]) != link["hash"]:
                report.add(seq, _("the chain is broken at record %d") % seq)
                break
            if seq in exported and exported[seq] != (link["body"], link["hash"]):
                report.add(seq, _("record %d does not match the chain") % seq)
            if seq in checkpoints:
                heads[seq] = link["hash"]
            prev, expected = link["hash"], seq + 1
        for seq in exported:
            if not int(chain["from"]) <= seq <= int(chain["to"]):
                report.add(seq, _("record %d is outside the chain in the bundle") % seq)
    if trusted is None:
        report.warnings.append(
            _(
                "no trusted public key given: signatures were checked against the keys in the "
                "bundle; compare them with the organisation's published key"
            )
        )
    for seq, cp in sorted(checkpoints.items()):
        report.checkpoints += 1
        message = checkpoint_message(
            cp["org"], seq, cp["head"], cp["at"], cp["key_id"], cp.get("prev"), cp.get("records")
        )
        if (
            cp["org"] != manifest["org"]
            or key_id(cp["public_key"]) != cp["key_id"]
            or not verify_signature(cp["public_key"], cp["signature"], message)
        ):
            report.add(seq, _("checkpoint at record %d has an invalid signature") % seq)
        elif trusted is not None and cp["public_key"] not in trusted:
            report.add(seq, _("checkpoint at record %d is signed by a key that is not trusted") % seq)
        if heads.get(seq) != cp["head"]:
            report.add(seq, _("record %d does not match the signed checkpoint that covers it") % seq)
    for seq, entry in listed.items():
        if int(entry["checkpoint"]) not in checkpoints or int(entry["checkpoint"]) < seq:
            report.add(seq, _("record %d names no checkpoint that covers it") % seq)
