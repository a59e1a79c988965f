"""``archive verify``: the whole chain, every checkpoint signature and every media file.

Problems are reported in archive order; the first one names the first record that is missing,
altered or out of order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from somevahti.archive import witness
from somevahti.archive.api import Archive, checkpoint_message
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
    unprotected: tuple[int, int] | None = None  # records not yet covered by a signed checkpoint

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, seq: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(seq, message))

    def as_json(self) -> dict:
        return {
            "org": self.org,
            "ok": self.ok,
            "records": self.records,
            "purged": self.purged,
            "checkpoints": self.checkpoints,
            "media": self.media,
            "problems": [{"seq": p.seq, "message": p.message} for p in self.problems],
            "warnings": self.warnings,
            "unprotected": list(self.unprotected) if self.unprotected else None,
        }


def verify(
    archive: Archive, org: str, *, check_media: bool = True, progress: Callable[[int], None] | None = None
) -> Report:
    """Walk the whole chain; never raises on malformed rows (each is a problem naming its record)."""
    report = Report(org)
    try:
        checkpoints = archive.checkpoints(org)
    except (TypeError, ValueError) as e:
        report.add(None, _("the checkpoint table is malformed: %s") % e)
        checkpoints = []
    log = witness.read(archive.keys.dir, org)
    marks = _witnessed_marks(log)
    want = {cp.seq for cp in checkpoints}
    hashes: dict[int, str] = {}
    counts: dict[int, int] = {}  # checkpoint seq -> records found up to it
    tombstones: dict[int, str] = {}  # purged seq -> its hash
    purge_lists: dict[int, str] = {}  # seq -> hash, as the purge records list them
    media: dict[str, int] = {}
    media_rows = _media_rows(archive, org, report)
    state = {"expected": 1, "prev": GENESIS, "witness_ok": True}
    rows = archive.store.iterate(
        "SELECT r.seq, r.kind, r.recorded, r.occurred, r.account, r.actor, r.subject, r.content, "
        "r.raw, r.media, r.prev, r.hash, c.payload, c.raw, t.purge_seq FROM archive_record r "
        "LEFT JOIN archive_content c ON c.org = r.org AND c.seq = r.seq "
        "LEFT JOIN archive_tombstone t ON t.org = r.org AND t.seq = r.seq WHERE r.org = ? ORDER BY r.seq",
        (org,),
    )
    for row in rows:
        report.records += 1
        if progress and report.records % 10_000 == 0:
            progress(report.records)
        try:
            seq = int(row[0])
        except (TypeError, ValueError):
            report.add(
                state["expected"],
                _("a record after record %(seq)d has a malformed number %(value)r")
                % {"seq": state["expected"] - 1, "value": row[0]},
            )
            continue
        try:
            _check_row(
                org, seq, row, state, marks, media_rows, hashes, want, tombstones, purge_lists, media, report
            )
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            report.add(seq, _("record %(seq)d is malformed: %(error)s") % {"seq": seq, "error": e})
            state["expected"], state["prev"] = seq + 1, row[11]
        for cp_seq in want:
            if seq <= cp_seq:
                counts[cp_seq] = counts.get(cp_seq, 0) + 1
    last_seq = state["expected"] - 1

    for seq, h in tombstones.items():
        if purge_lists.get(seq) != h:
            report.add(seq, _("the content of record %d was deleted without a recorded purge") % seq)
    _verify_checkpoints(archive, org, checkpoints, hashes, counts, last_seq, report)
    _verify_log(archive, org, log, checkpoints, last_seq, report)
    missing = archive.store.missing_triggers()
    if missing:
        report.add(
            None,
            _(
                "the append-only protection has been removed from the database (triggers missing: "
                "%s); records could have been changed without a trace in the database. Restore it "
                "from a backup of the schema after finding out who removed it"
            )
            % ", ".join(missing),
        )
    covered = checkpoints[-1].seq if checkpoints else 0
    if last_seq > covered:
        report.unprotected = (covered + 1, last_seq)
        report.warnings.append(
            _(
                "records %(first)d-%(last)d are not yet covered by a signed checkpoint: until the "
                "next one, deleting them would go unnoticed"
            )
            % {"first": covered + 1, "last": last_seq}
        )
    if check_media:
        for digest, seq in media.items():
            stored = archive.media.digest_of_stored(digest)
            report.media += 1
            if stored is None:
                report.add(
                    seq,
                    _("media file %(digest)s of record %(seq)d is missing") % {"digest": digest, "seq": seq},
                )
            elif stored != digest:
                report.add(
                    seq,
                    _("media file %(digest)s of record %(seq)d has been replaced or altered")
                    % {"digest": digest, "seq": seq},
                )
    report.problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return report


def _media_rows(archive, org, report) -> dict[int, list[str]]:
    """seq -> the media hashes archive_media lists for it, in position order."""
    out: dict[int, list[tuple[int, str]]] = {}
    for seq, position, digest in archive.store.iterate(
        "SELECT seq, position, media FROM archive_media WHERE org = ? ORDER BY seq, position", (org,)
    ):
        try:
            out.setdefault(int(seq), []).append((int(position), str(digest)))
        except (TypeError, ValueError):
            report.add(None, _("the media index has a malformed row: %r") % ((seq, position, digest),))
    return {seq: [d for _, d in items] for seq, items in out.items()}


def _witnessed_marks(log) -> dict[int, str]:
    """seq -> the first digits of its hash as the checkpoint log witnessed it."""
    out: dict[int, str] = {}
    if not log:
        return out
    for entry in log[0]:
        for i, mark in enumerate(entry.marks()):
            out[entry.prev + 1 + i] = mark
    return out


def _check_row(org, seq, row, state, marks, media_rows, hashes, want, tombstones, purge_lists, media, report):
    (
        _seq,
        kind,
        recorded,
        occurred,
        account,
        actor,
        subject,
        content,
        raw,
        media_json,
        row_prev,
        row_hash,
        payload,
        raw_bytes,
        purge_seq,
    ) = row
    expected, prev = state["expected"], state["prev"]
    if seq != expected:
        report.add(
            expected,
            _("record %(seq)d is missing (the next stored record is %(next)d)")
            % {"seq": expected, "next": seq},
        )
    elif row_prev != prev:
        report.add(
            seq,
            _("record %(seq)d is out of order: it does not follow record %(before)d")
            % {"seq": seq, "before": seq - 1},
        )
    state["expected"], state["prev"] = seq + 1, row_hash
    if seq in want:
        hashes[seq] = row_hash
    mark = marks.get(seq)
    if mark is not None:
        same = isinstance(row_hash, str) and row_hash.startswith(mark)
        if not same and state["witness_ok"]:
            report.add(
                seq,
                _("record %d is altered: its hash differs from the one the checkpoint log witnessed") % seq,
            )
        state["witness_ok"] = same
    digests = json.loads(media_json)
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise ValueError(_("its media column is not a list of hashes"))
    body = header_body(org, seq, kind, recorded, occurred, account, actor, subject, content, raw, digests)
    if chain_hash(row_prev, body) != row_hash:
        report.add(seq, _("record %d is altered: its hash does not match its header") % seq)
    if digests and media_rows.get(seq, []) != digests and purge_seq is None:
        report.add(seq, _("the media index of record %d is missing or altered (archive_media)") % seq)
    if payload is not None:
        if not isinstance(payload, str):
            raise ValueError(_("its content is not text"))
        if hashlib.sha256(payload.encode("utf-8")).hexdigest() != content:
            report.add(seq, _("record %d is altered: its content does not match its hash") % seq)
        if isinstance(raw_bytes, str):
            raw_bytes = raw_bytes.encode("utf-8")  # stored as text: compare what it says
        if (raw is None) != (raw_bytes is None) or (
            raw is not None and hashlib.sha256(bytes(raw_bytes)).hexdigest() != raw
        ):
            report.add(
                seq, _("record %d is altered: its raw platform response does not match its hash") % seq
            )
        if kind == "purge":
            listed = json.loads(payload).get("records", [])
            for item in listed if isinstance(listed, list) else []:
                if isinstance(item, dict) and "seq" in item:
                    purge_lists[int(item["seq"])] = item.get("hash")
        for d in digests:
            media.setdefault(d, seq)
    elif purge_seq is not None:
        tombstones[seq] = row_hash
        report.purged += 1
    else:
        report.add(seq, _("the content of record %d is missing") % seq)


def _verify_checkpoints(archive, org, checkpoints, hashes, counts, last_seq, report) -> None:
    trusted = archive.keys.trusted(org)
    if checkpoints and not trusted:
        report.warnings.append(
            _(
                "no trusted public key for %s: checkpoint signatures were checked against the "
                "keys stored beside them only"
            )
            % org
        )
    before = 0
    for cp in checkpoints:
        report.checkpoints += 1
        if key_id(cp.public_key) != cp.key_id or not verify_signature(
            cp.public_key, cp.signature, cp.message()
        ):
            report.add(cp.seq, _("checkpoint at record %d has an invalid signature") % cp.seq)
        elif trusted and cp.public_key not in trusted:
            report.add(cp.seq, _("checkpoint at record %d is signed by a key that is not trusted") % cp.seq)
        if cp.prev is not None and cp.prev != before:
            report.add(
                cp.prev,
                _(
                    "the signed checkpoint at record %(seq)d has been removed (the checkpoint at "
                    "record %(next)d names it)"
                )
                % {"seq": cp.prev, "next": cp.seq},
            )
        if cp.seq > last_seq:
            report.add(
                cp.seq, _("record %(seq)d is missing (checkpoint at %(seq)d covers it)") % {"seq": cp.seq}
            )
        elif hashes.get(cp.seq) != cp.head:
            report.add(cp.seq, _("record %d does not match the signed checkpoint that covers it") % cp.seq)
        elif cp.records is not None and counts.get(cp.seq, 0) != cp.records:
            report.add(
                cp.seq,
                _("records up to %(seq)d: %(have)d in the database, %(signed)d when signed")
                % {"seq": cp.seq, "have": counts.get(cp.seq, 0), "signed": cp.records},
            )
        before = cp.seq


def _verify_log(archive, org, log, checkpoints, last_seq, report) -> None:
    """The checkpoint log beside the keys witnesses checkpoints and the head outside the database."""
    path = witness.log_path(archive.keys.dir, org)
    if log is None:
        if checkpoints and any(cp.records is not None for cp in checkpoints):
            report.add(
                None,
                _("the checkpoint log %s is missing: it witnessed the checkpoints of this archive") % path,
            )
        elif checkpoints:
            report.warnings.append(
                _(
                    "no checkpoint log at %s: a removed checkpoint or a deleted tail cannot be "
                    "detected for checkpoints made before the log existed"
                )
                % path
            )
        return
    entries, problems = log
    for p in problems:
        report.add(None, p)
    in_db = {cp.seq: cp for cp in checkpoints}
    before = 0
    for entry in entries:
        d = entry.data
        message = checkpoint_message(
            org, entry.seq, d["head"], d["at"], d["key_id"], entry.prev, int(d["records"])
        )
        if key_id(d["public_key"]) != d["key_id"] or not verify_signature(
            d["public_key"], d["signature"], message
        ):
            report.add(
                entry.seq,
                _("%(path)s:%(line)d: the logged checkpoint at record %(seq)d has an invalid signature")
                % {"path": path, "line": entry.line, "seq": entry.seq},
            )
            continue
        if entry.prev != before:
            report.add(
                entry.prev or None,
                _("%(path)s: the entry for the checkpoint at record %(seq)d is missing before line %(line)d")
                % {"path": path, "seq": entry.prev, "line": entry.line},
            )
        before = entry.seq
        cp = in_db.get(entry.seq)
        if entry.seq > last_seq:
            report.add(
                last_seq + 1,
                _(
                    "records %(first)d-%(last)d are missing: the checkpoint log witnessed "
                    "%(last)d records (the tail of the archive was deleted)"
                )
                % {"first": last_seq + 1, "last": entry.seq},
            )
        if cp is None:
            report.add(
                entry.seq,
                _(
                    "the signed checkpoint at record %d is missing from the database (the "
                    "checkpoint log has it)"
                )
                % entry.seq,
            )
        elif cp.signature != d["signature"] or cp.head != d["head"]:
            report.add(
                entry.seq,
                _("the checkpoint at record %d differs from the one in the checkpoint log") % entry.seq,
            )


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
        check.problems.append(
            _("record %(seq)d is out of order: it does not follow record %(before)d")
            % {"seq": seq, "before": seq - 1}
        )
    cp = archive.covering_checkpoint(org, seq)
    if cp is None:
        check.problems.append(_("record %d is not yet covered by a signed checkpoint") % seq)
        return check
    check.checkpoint = cp.seq
    trusted = archive.keys.trusted(org)
    check.signed = (
        key_id(cp.public_key) == cp.key_id
        and verify_signature(cp.public_key, cp.signature, cp.message())
        and (not trusted or cp.public_key in trusted)
    )
    if not check.signed:
        check.problems.append(_("checkpoint at record %d has an invalid signature") % cp.seq)
    h = rec.prev
    rows = archive.store.iterate(
        "SELECT seq, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, hash "
        "FROM archive_record WHERE org = ? AND seq >= ? AND seq <= ? ORDER BY seq",
        (org, seq, cp.seq),
    )
    expected = seq
    for s, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, row_hash in rows:
        body = header_body(
            org, int(s), kind, recorded, occurred, account, actor, subject, content, raw, json.loads(media)
        )
        if int(s) != expected or prev != h or chain_hash(h, body) != row_hash:
            break
        h, expected = row_hash, expected + 1
    if expected != cp.seq + 1 or h != cp.head:
        check.problems.append(_("record %d does not match the signed checkpoint that covers it") % cp.seq)
    return check
