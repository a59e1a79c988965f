"""Records-request export: accounts + date range (+ a search) → one bundle.

The bundle (a directory, or the same as a .zip) holds::

    manifest.json       what is in the bundle, every record's hash and the checkpoint covering it
    records.jsonl       every exported record: header, payload, raw response, hashes
    chain.jsonl         body and hash of every record from the first exported one to the checkpoint
    records-NNN.pdf     the readable document, thread by thread
    media/<sha256>      the media files of the exported records

Everything is written as it is read: one thread at a time, files streamed. The format is
documented in docs/archive.md; ``verify_export`` (bundle.py) checks it.
"""

from __future__ import annotations

import base64
import json
import shutil
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from somevahti.archive import payloads
from somevahti.archive.api import RECORD_COLUMNS, Archive, Checkpoint, _row_record
from somevahti.archive.media import hash_file
from somevahti.archive.records import Record, header_body, timestamp
from somevahti.archive.redact import load_redactor, private_author_label
from somevahti.archive.search import Query, matching
from somevahti.errors import InputError, SomevahtiError
from somevahti.i18n import _

FORMAT = "somevahti.archive.export"
FORMAT_VERSION = 1


@dataclass
class ExportRequest:
    org: str
    accounts: list[str]
    since: str | None = None
    until: str | None = None
    text: str | None = None
    redact: bool = False
    include_raw: bool = True
    threads_per_volume: int = 500

    def as_json(self) -> dict:
        return {
            "accounts": self.accounts,
            "since": self.since,
            "until": self.until,
            "text": self.text,
            "redact": self.redact,
        }


@dataclass
class ExportResult:
    path: Path
    threads: int = 0
    records: int = 0
    media: int = 0
    manifest_sha256: str = ""
    checkpoint: int = 0
    export_record: Record | None = None
    volumes: list[str] = field(default_factory=list)


CHUNK = 500  # values per IN list


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Threads:
    """Finds thread roots (posts) for matching records and the records of each thread, a batch of
    threads per query (one round trip per thread made PostgreSQL exports wait on the network)."""

    BATCH = 100  # threads fetched together

    def __init__(self, archive: Archive, org: str) -> None:
        self.archive, self.org = archive, org
        self._parent: dict[str, str | None] = {}

    def _load_parents(self, subjects) -> None:
        todo = [s for s in dict.fromkeys(subjects) if s not in self._parent]
        for chunk in _chunks(todo):
            # no "parent IS NOT NULL" in SQL: without statistics SQLite would scan the parent index for it
            rows = self.archive.store.query(
                "SELECT subject, parent FROM archive_text "  # noqa: S608 - placeholders only
                f"WHERE org = ? AND subject IN ({','.join('?' * len(chunk))})",
                [self.org, *chunk],
            )
            for subject in chunk:
                self._parent.setdefault(subject, None)
            for subject, parent in rows:
                if parent is not None:
                    self._parent[subject] = parent

    def roots(self, q: Query) -> list[str]:
        """Thread roots in the order their first matching record occurred ("#seq" for a record
        without a subject)."""
        starts: dict[str, None] = {}
        for seq, subject, parent, _kind in matching(self.archive, self.org, q):
            starts.setdefault(f"#{seq}" if subject is None else (parent or subject), None)
        heads = {s: s for s in starts if not s.startswith("#")}  # start -> how far up its thread
        seen = {s: {s} for s in heads}
        root: dict[str, str] = {}
        while heads:
            self._load_parents(heads.values())
            moved = {}
            for start, at in heads.items():
                parent = self._parent[at]
                if parent is None or parent in seen[start]:
                    root[start] = at
                else:
                    seen[start].add(parent)
                    moved[start] = parent
            heads = moved
        return list(dict.fromkeys(root.get(s, s) for s in starts))

    def _subjects(self, roots: list[str]) -> dict[str, str]:
        """subject -> its root, for every subject of the given threads."""
        owner = {r: r for r in roots if not r.startswith("#")}
        frontier = list(owner)
        while frontier:
            found = []
            for chunk in _chunks(frontier):
                # no DISTINCT: SQLite would walk the subject index of the whole organisation to avoid sorting
                found += self.archive.store.query(
                    "SELECT subject, parent FROM archive_text "  # noqa: S608 - placeholders only
                    f"WHERE org = ? AND parent IN ({','.join('?' * len(chunk))})",
                    [self.org, *chunk],
                )
            frontier = []
            for subject, parent in found:
                if subject and subject not in owner:
                    owner[subject] = owner[parent]
                    frontier.append(subject)
        return owner

    def records(self, roots: list[str], limit: int) -> dict[str, list[tuple[Record, bytes | None]]]:
        """Each thread's records in chain order, each with its raw platform response."""
        cols = ", ".join("r." + c.strip() for c in RECORD_COLUMNS.split(","))
        base = (
            f"SELECT {cols}, c.payload, c.raw FROM archive_record r LEFT JOIN archive_content c "  # noqa: S608 - placeholders only
            "ON c.org = r.org AND c.seq = r.seq WHERE r.org = ? AND r.seq + 0 <= ? "
        )  # "+ 0": find by subject, not by seq
        owner = self._subjects(roots)
        rows = []
        for chunk in _chunks(list(owner)):
            rows += self.archive.store.query(
                base + f"AND r.subject IN ({','.join('?' * len(chunk))})", [self.org, limit, *chunk]
            )
        single = [int(r[1:]) for r in roots if r.startswith("#")]
        for chunk in _chunks(single):
            rows += self.archive.store.query(
                base + f"AND r.seq IN ({','.join('?' * len(chunk))})", [self.org, limit, *chunk]
            )
        out: dict[str, list] = {r: [] for r in roots}
        for r in rows:
            rec = _row_record(r[:13], r[13])
            root = owner[rec.subject] if rec.subject in owner else f"#{rec.seq}"
            out[root].append((rec, bytes(r[14]) if r[14] is not None else None))
        for pairs in out.values():
            pairs.sort(key=lambda pair: pair[0].seq)
        return out


def _covering(checkpoints: list[Checkpoint], seq: int) -> Checkpoint:
    return checkpoints[bisect_left([c.seq for c in checkpoints], seq)]


def export(
    archive: Archive,
    req: ExportRequest,
    out: str | Path,
    *,
    actor: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the bundle to ``out`` (a directory, or a file ending in .zip) and record the export."""
    from somevahti.archive.pdf import PdfWriter

    out = Path(out)
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise InputError(_("%s already exists; choose a new place for the export") % out)
    if not req.accounts:
        raise InputError(_("choose at least one account to export"))
    redact = load_redactor() if req.redact else None
    cp = archive.checkpoint(req.org) if archive.keys.has_key(req.org) else None
    checkpoints = archive.checkpoints(req.org)
    head, _hash = archive.head(req.org)
    if not checkpoints or checkpoints[-1].seq < head:
        raise SomevahtiError(
            _(
                "the latest records of %s are not covered by a signed checkpoint and there is no "
                "signing key here to make one: run `somevahti archive checkpoint` where the key is"
            )
            % req.org
        )
    limit = cp.seq if cp else checkpoints[-1].seq
    zipped = out.suffix == ".zip"
    work = out.with_name(out.name + ".partial") if zipped else out
    if zipped and work.exists():
        shutil.rmtree(work)
    (work / "media").mkdir(parents=True, exist_ok=True)
    result = ExportResult(out, checkpoint=limit)
    threads = _Threads(archive, req.org)
    roots = threads.roots(Query(text=req.text, accounts=req.accounts, since=req.since, until=req.until))
    title = _("Records export: %(org)s, %(accounts)s") % {"org": req.org, "accounts": ", ".join(req.accounts)}
    pdf = PdfWriter(work, title, threads_per_volume=req.threads_per_volume)
    used: dict[int, Checkpoint] = {}
    first_seq: int | None = None
    media_files: dict[str, str] = {}
    entries = work / ".manifest-records"
    with (
        open(work / "records.jsonl", "w", encoding="utf-8") as jsonl,
        open(entries, "w", encoding="utf-8") as man,
    ):
        batch: dict[str, list] = {}
        for n, root in enumerate(roots, 1):
            if root not in batch:
                batch = threads.records(roots[n - 1 : n - 1 + threads.BATCH], limit)
            pairs = batch[root]
            records = [rec for rec, _raw in pairs]
            for rec, raw in pairs:
                covering = _covering(checkpoints, rec.seq)
                used[covering.seq] = covering
                first_seq = rec.seq if first_seq is None else min(first_seq, rec.seq)
                purged = rec.payload is None
                line = {**rec.as_json(), "purged": purged}
                raw = raw if req.include_raw else None
                line["raw_base64"] = base64.b64encode(raw).decode() if raw is not None else None
                jsonl.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
                man.write(
                    json.dumps(
                        {"seq": rec.seq, "hash": rec.hash, "checkpoint": covering.seq, "purged": purged}
                    )
                    + "\n"
                )
                result.records += 1
                if not purged:
                    for digest in rec.media:
                        if digest not in media_files and archive.media.exists(digest):
                            with (
                                archive.media.open(digest) as src,
                                open(work / "media" / digest, "wb") as dst,
                            ):
                                shutil.copyfileobj(src, dst)
                            media_files[digest] = f"media/{digest}"
            pdf.write(thread_flowables(archive, records, pdf.styles, redact))
            result.threads += 1
            if progress:
                progress(n, len(roots))
    pdf.close()
    result.volumes, result.media = pdf.volumes, len(media_files)
    chain = _write_chain(archive, req.org, work / "chain.jsonl", first_seq, max(used) if used else None)
    files = {name: hash_file(work / name) for name in ["records.jsonl", "chain.jsonl", *pdf.volumes]}
    files.update({path: digest for digest, path in media_files.items()})
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "org": req.org,
        "created": timestamp(),
        "request": req.as_json(),
        "redacted_pdf": req.redact,
        "hash": "SHA-256",
        "canonical_json": "RFC 8785",
        "counts": {"threads": result.threads, "records": result.records, "media": result.media},
        "files": files,
        "chain": chain,
        "checkpoints": [c.as_json() for c in sorted(used.values(), key=lambda c: c.seq)],
    }
    _write_manifest(work / "manifest.json", manifest, entries)
    entries.unlink()
    result.manifest_sha256 = hash_file(work / "manifest.json")
    if zipped:
        _zip(work, out)
        shutil.rmtree(work)
    result.export_record = archive.append_system(
        "export",
        {
            "request": req.as_json(),
            "threads": result.threads,
            "records": result.records,
            "media": result.media,
            "manifest_sha256": result.manifest_sha256,
            "checkpoint": limit,
            "bundle": out.name,
        },
        org=req.org,
        actor=actor,
    )
    return result


def _write_chain(archive: Archive, org: str, path: Path, first: int | None, last: int | None) -> dict:
    prev = None
    with open(path, "w", encoding="utf-8") as f:
        if first is not None and last is not None:
            rows = archive.store.iterate(
                "SELECT seq, kind, recorded, occurred, account, actor, subject, content, raw, media, "
                "prev, hash FROM archive_record WHERE org = ? AND seq >= ? AND seq <= ? ORDER BY seq",
                (org, first, last),
            )
            for seq, kind, rec, occ, account, actor, subject, content, raw, media, row_prev, h in rows:
                if prev is None:
                    prev = row_prev
                body = header_body(
                    org, int(seq), kind, rec, occ, account, actor, subject, content, raw, json.loads(media)
                )
                f.write(json.dumps({"seq": int(seq), "body": body, "hash": h}) + "\n")
    return {"file": "chain.jsonl", "from": first, "to": last, "prev": prev}


def _write_manifest(path: Path, manifest: dict, entries: Path) -> None:
    head = json.dumps(manifest, ensure_ascii=False, indent=1)
    with open(path, "w", encoding="utf-8") as out, open(entries, encoding="utf-8") as src:
        out.write(head[:-2] + ',\n "records": [\n')
        for i, line in enumerate(src):
            out.write(("" if i == 0 else ",\n") + "  " + line.rstrip("\n"))
        out.write("\n ]\n}\n")


def _zip(directory: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(directory).as_posix())
    tmp.replace(out)


# -- the readable thread ----------------------------------------------------------------
def _labels() -> dict[str, str]:
    return {
        "post": _("Post"),
        "reply": _("Reply"),
        "comment": _("Comment"),
        "mention": _("Mention"),
        "hidden": _("HIDDEN"),
        "deleted": _("DELETED"),
        "answered": _("answered"),
        "escalated": _("escalated"),
        "visible": _("visible"),
    }


def thread_flowables(archive: Archive, records: list[Record], styles, redact) -> list:
    from somevahti.archive.pdf import Spacer, para, thumbnail

    labels = _labels()
    by_subject: dict[str | None, list[Record]] = {}
    for rec in records:
        by_subject.setdefault(rec.subject, []).append(rec)
    root = records[0].subject if records else None
    out: list = []
    for subject, recs in by_subject.items():
        texts = [r for r in recs if r.kind in payloads.TEXT_KINDS]
        first = texts[0] if texts else recs[0]
        is_comment = subject != root
        private = is_comment and first.kind != "post"
        state = "visible"
        for r in recs:
            if r.payload is not None:
                state = payloads.state_change(r.kind, r.payload) or state
        meta_style = styles.cmeta if is_comment else styles.meta
        body_style = styles.comment if is_comment else styles.body
        label = labels.get(first.kind, first.kind)
        if is_comment:
            author = (first.payload or {}).get("author")
            author = author.get("name") or author.get("handle") if isinstance(author, dict) else author
            if redact and private and author:
                author = private_author_label()
            out.append(
                para(f"{label} — {author or '?'} — {first.occurred[:16].replace('T', ' ')}", styles.head)
            )
            if state in ("hidden", "deleted"):
                out.append(para(labels[state], styles.flag))
            elif state != "visible":
                out.append(para(labels.get(state, state), meta_style))
        else:
            out.append(para(f"{label} {subject or ''}", styles.title))
            url = (first.payload or {}).get("url")
            out.append(
                para(
                    " · ".join(
                        x
                        for x in (
                            first.account,
                            (first.payload or {}).get("channel"),
                            url,
                            first.occurred[:16].replace("T", " "),
                        )
                        if x
                    ),
                    styles.meta,
                )
            )
        version = 0
        for r in recs:
            if r.payload is None:
                out.append(
                    para(
                        _("Record %(seq)d: content purged (retention); hash %(hash)s")
                        % {"seq": r.seq, "hash": r.hash[:16]},
                        meta_style,
                    )
                )
                continue
            if r.kind == "moderation":
                note = r.payload.get("note") or ""
                out.append(
                    para(
                        _("Moderation: %(action)s by %(actor)s at %(at)s")
                        % {
                            "action": r.payload.get("action"),
                            "actor": r.actor or "?",
                            "at": r.occurred[:16].replace("T", " "),
                        }
                        + (f": {note}" if note else ""),
                        meta_style,
                    )
                )
                continue
            version += 1
            event = r.payload.get("event") or ""
            out.append(
                para(
                    _(
                        "Version %(n)d: %(event)s %(at)s, recorded %(recorded)s by %(actor)s — "
                        "record %(seq)d, hash %(hash)s"
                    )
                    % {
                        "n": version,
                        "event": event,
                        "at": r.occurred[:16].replace("T", " "),
                        "recorded": r.recorded[:16].replace("T", " "),
                        "actor": r.actor or "—",
                        "seq": r.seq,
                        "hash": r.hash[:16],
                    },
                    meta_style,
                )
            )
            for lang, text in r.payload.get("texts", {}).items():
                if redact and private:
                    text = redact(text, lang)
                out.append(para(f"[{lang}] {text}" if lang else text, body_style))
            for i, digest in enumerate(r.media):
                described = r.payload.get("media") or []
                desc = described[i] if i < len(described) else {}
                image = None
                if archive.media.exists(digest):
                    with archive.media.open(digest) as f:
                        data = f.read(20 << 20)
                    image = thumbnail(data)
                if image is not None:
                    image.hAlign = "LEFT"
                    out.append(image)
                else:
                    out.append(para(_("[media file %s]") % digest[:16], meta_style))
                alt = desc.get("alt") if isinstance(desc, dict) else None
                for lang, text in alt.items() if isinstance(alt, dict) else [("", alt)] if alt else []:
                    if redact and private:
                        text = redact(text, lang)
                    out.append(
                        para(
                            _("Image description") + (f" [{lang}]" if lang else "") + f": {text}", meta_style
                        )
                    )
        out.append(Spacer(1, 4))
    out.append(Spacer(1, 10))
    return out
