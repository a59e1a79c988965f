"""``archive verify``: the whole chain, every checkpoint signature and every media file.

Problems are reported in archive order; the first one names the first record that is missing,
altered or out of order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from somevahti.archive.api import Archive
from somevahti.archive.keys import key_id, verify_signature
from somevahti.archive.records import GENESIS, chain_hash, header_body
from somevahti.i18n import _

MAX_PROBLEMS = 50


@dataclass
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Report:
    org: str
    records: int = 0
    purged: int = 0
    checkpoints: int = 0
    media: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, seq: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(seq, message))

    def as_json(self) -> dict:
        return {"org": self.org, "ok": self.ok, "records": self.records, "purged": self.purged,
                "checkpoints": self.checkpoints, "media": self.media,
                "problems": [{"seq": p.seq, "message": p.message} for p in self.problems],
                "warnings": self.warnings}


def verify(archive: Archive, org: str, *, check_media: bool = True,
           progress: Callable[[int], None] | None = None) -> Report:
    report = Report(org)
    checkpoints = archive.checkpoints(org)
    want = {cp.seq for cp in checkpoints}
    hashes: dict[int, str] = {}
    tombstones: dict[int, str] = {}  # purged seq -> its hash
    purge_lists: dict[int, str] = {}  # seq -> hash, as the purge records list them
    media: dict[str, int] = {}
    sha = hashlib.sha256
    expected, prev = 1, GENESIS
    rows = archive.store.iterate(
        "SELECT r.seq, r.kind, r.recorded, r.occurred, r.account, r.actor, r.subject, r.content, r.raw, r.media, "
        "r.prev, r.hash, c.payload, c.raw, t.purge_seq FROM archive_record r "
        "LEFT JOIN archive_content c ON c.org = r.org AND c.seq = r.seq "
        "LEFT JOIN archive_tombstone t ON t.org = r.org AND t.seq = r.seq WHERE r.org = ? ORDER BY r.seq", (org,))
    for (seq, kind, recorded, occurred, account, actor, subject, content, raw, media_json, row_prev, row_hash,
         payload, raw_bytes, purge_seq) in rows:
        seq = int(seq)
        report.records += 1
        if progress and report.records % 10_000 == 0:
            progress(report.records)
        if seq != expected:
            report.add(expected, _("record %(seq)d is missing (the next stored record is %(next)d)")
                       % {"seq": expected, "next": seq})
        elif row_prev != prev:
            report.add(seq, _("record %(seq)d is out of order: it does not follow record %(before)d")
                       % {"seq": seq, "before": seq - 1})
        digests = json.loads(media_json)
        body = header_body(org, seq, kind, recorded, occurred, account, actor, subject, content, raw, digests)
        if chain_hash(row_prev, body) != row_hash:
            report.add(seq, _("record %d is altered: its hash does not match its header") % seq)
        if payload is not None:
            if sha(payload.encode("utf-8")).hexdigest() != content:
                report.add(seq, _("record %d is altered: its content does not match its hash") % seq)
            if (raw is None) != (raw_bytes is None) or (raw is not None and sha(bytes(raw_bytes)).hexdigest() != raw):
                report.add(seq, _("record %d is altered: its raw platform response does not match its hash") % seq)
            if kind == "purge":
                for item in json.loads(payload).get("records", []):
                    purge_lists[int(item["seq"])] = item["hash"]
            for d in digests:
                media.setdefault(d, seq)
        elif purge_seq is not None:
            tombstones[seq] = row_hash
            report.purged += 1
        else:
            report.add(seq, _("the content of record %d is missing") % seq)
        if seq in want:
            hashes[seq] = row_hash
        expected, prev = seq + 1, row_hash

    for seq, h in tombstones.items():
        if purge_lists.get(seq) != h:
            report.add(seq, _("the content of record %d was deleted without a recorded purge") % seq)
    _verify_checkpoints(archive, org, checkpoints, hashes, expected - 1, report)
    if check_media:
        for digest, seq in media.items():
            stored = archive.media.digest_of_stored(digest)
            report.media += 1
            if stored is None:
                report.add(seq, _("media file %(digest)s of record %(seq)d is missing") % {"digest": digest, "seq": seq})
            elif stored != digest:
                report.add(seq, _("media file %(digest)s of record %(seq)d has been replaced or altered")
                           % {"digest": digest, "seq": seq})
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report


def _verify_checkpoints(archive, org, checkpoints, hashes, last_seq, report) -> None:
    trusted = archive.keys.trusted(org)
    if checkpoints and not trusted:
        report.warnings.append(_("no trusted public key for %s: checkpoint signatures were checked against the "
                                 "keys stored beside them only") % org)
    for cp in checkpoints:
        report.checkpoints += 1
        if key_id(cp.public_key) != cp.key_id or not verify_signature(cp.public_key, cp.signature, cp.message()):
            report.add(cp.seq, _("checkpoint at record %d has an invalid signature") % cp.seq)
        elif trusted and cp.public_key not in trusted:
            report.add(cp.seq, _("checkpoint at record %d is signed by a key that is not trusted") % cp.seq)
        if cp.seq > last_seq:
            report.add(cp.seq, _("record %(seq)d is missing (checkpoint at %(seq)d covers it)") % {"seq": cp.seq})
        elif hashes.get(cp.seq) != cp.head:
            report.add(cp.seq, _("record %d does not match the signed checkpoint that covers it") % cp.seq)


@dataclass
class RecordCheck:
    """What a reader of one record may rely on: its own hashes, its place in the chain and the
    signed checkpoint that covers it (verified by walking the chain from the record to it)."""

    seq: int
    header: bool = False  # the header hashes to the record's hash
    content: bool | None = None  # the payload matches its hash (None: purged)
    chain: bool = False  # it follows the record before it
    checkpoint: int | None = None  # seq of the covering checkpoint, if any
    signed: bool = False  # that checkpoint's signature is valid, by a trusted key when keys are known
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.checkpoint is not None


def verify_record(archive: Archive, org: str, seq: int) -> RecordCheck | None:
    rec = archive.get(org, seq)
    if rec is None:
        return None
    check = RecordCheck(seq)
    check.header = rec.computed_hash() == rec.hash
    if not check.header:
        check.problems.append(_("record %d is altered: its hash does not match its header") % seq)
    if rec.payload is not None:
        row = archive.store.one("SELECT payload FROM archive_content WHERE org = ? AND seq = ?", (org, seq))
        check.content = hashlib.sha256(row[0].encode("utf-8")).hexdigest() == rec.content
        if not check.content:
            check.problems.append(_("record %d is altered: its content does not match its hash") % seq)
    before = archive.get(org, seq - 1) if seq > 1 else None
    check.chain = rec.prev == (before.hash if before else GENESIS)
    if not check.chain:
        check.problems.append(_("record %(seq)d is out of order: it does not follow record %(before)d")
                              % {"seq": seq, "before": seq - 1})
    cp = archive.covering_checkpoint(org, seq)
    if cp is None:
        check.problems.append(_("record %d is not yet covered by a signed checkpoint") % seq)
        return check
    check.checkpoint = cp.seq
    trusted = archive.keys.trusted(org)
    check.signed = (key_id(cp.public_key) == cp.key_id and verify_signature(cp.public_key, cp.signature, cp.message())
                    and (not trusted or cp.public_key in trusted))
    if not check.signed:
        check.problems.append(_("checkpoint at record %d has an invalid signature") % cp.seq)
    h = rec.prev
    rows = archive.store.iterate(
        "SELECT seq, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, hash "
        "FROM archive_record WHERE org = ? AND seq >= ? AND seq <= ? ORDER BY seq", (org, seq, cp.seq))
    expected = seq
    for s, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, row_hash in rows:
        body = header_body(org, int(s), kind, recorded, occurred, account, actor, subject, content, raw,
                           json.loads(media))
        if int(s) != expected or prev != h or chain_hash(h, body) != row_hash:
            break
        h, expected = row_hash, expected + 1
    if expected != cp.seq + 1 or h != cp.head:
        check.problems.append(_("record %d does not match the signed checkpoint that covers it") % cp.seq)
    return check
