"""The archive's one write API, and reading records back.

Everything the product archives goes through ``Archive.append``; holds, retention, purges,
exports and imports are recorded by the archive's own methods. Nothing else writes its tables.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from somevahti.archive import payloads, witness
from somevahti.archive.keys import KeyStore, key_id
from somevahti.archive.media import FileMediaStore, MediaStore
from somevahti.archive.records import (
    GENESIS,
    CanonicalError,
    Record,
    canonical,
    chain_hash,
    header_body,
    sha256_hex,
    timestamp,
)
from somevahti.archive.stems import stems_of
from somevahti.archive.store import Store, open_store
from somevahti.errors import InputError, SomevahtiError
from somevahti.i18n import _

DB_ENV, MEDIA_ENV, KEYS_ENV, ORG_ENV = (
    "SOMEVAHTI_ARCHIVE_DB",
    "SOMEVAHTI_ARCHIVE_MEDIA",
    "SOMEVAHTI_ARCHIVE_KEYS",
    "SOMEVAHTI_ORG",
)
CHECKPOINT_TYPE = "somevahti.archive.checkpoint"
RECORD_COLUMNS = (
    "org, seq, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, hash"
)


def data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "somevahti"


def default_org() -> str:
    return os.environ.get(ORG_ENV, "default")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    org: str
    seq: int
    head: str
    at: str
    key_id: str
    public_key: str
    signature: str
    prev: int | None = None  # seq of the checkpoint before (0: the first); None in version-1 checkpoints
    records: int | None = None  # how many records the chain had up to seq when it was signed

    def message(self) -> bytes:
        return checkpoint_message(
            self.org, self.seq, self.head, self.at, self.key_id, self.prev, self.records
        )

    def as_json(self) -> dict:
        out = {
            "org": self.org,
            "seq": self.seq,
            "head": self.head,
            "at": self.at,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "signature": self.signature,
        }
        if self.records is not None:
            out |= {"prev": self.prev, "records": self.records}
        return out


def checkpoint_message(
    org: str, seq: int, head: str, at: str, kid: str, prev: int | None = None, records: int | None = None
) -> bytes:
    """The bytes an organisation's key signs: canonical JSON of the checkpoint. Version 2 also signs
    the previous checkpoint and the record count, so a removed checkpoint breaks the sequence."""
    if records is None:
        return canonical(
            {"type": CHECKPOINT_TYPE, "v": 1, "org": org, "seq": seq, "head": head, "at": at, "key": kid}
        )
    return canonical(
        {
            "type": CHECKPOINT_TYPE,
            "v": 2,
            "org": org,
            "seq": seq,
            "head": head,
            "at": at,
            "key": kid,
            "prev": prev or 0,
            "records": records,
        }
    )


def _checkpoint_row(r) -> Checkpoint:
    return Checkpoint(
        r[0],
        int(r[1]),
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        None if r[7] is None else int(r[7]),
        None if r[8] is None else int(r[8]),
    )


CHECKPOINT_COLUMNS = "org, seq, head, at, key_id, public_key, signature, prev, records"


def text_id(org: str, seq: int, n: int, occurred: str) -> int:
    """The SQLite search row id of a record's n-th text: the second it occurred, then a slot from the
    organisation and seq. Row ids in time order let a search read the newest matches first from
    the full-text index and stop at the end of the page instead of sorting every match."""
    seconds = int(datetime.fromisoformat(occurred[:19]).replace(tzinfo=UTC).timestamp())
    seconds = max(-9_000_000_000, min(9_000_000_000, seconds))  # the years 1685-2255 fit in 63 bits
    return seconds * 1_000_000_000 + (zlib.crc32(org.encode()) + seq * 8 + min(n, 7)) % 1_000_000_000


def _raw_bytes(raw) -> bytes | None:
    if raw is None or isinstance(raw, bytes):
        return raw
    if isinstance(raw, str):
        return raw.encode("utf-8")
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _row_record(row, payload: str | None = None) -> Record:
    org, seq, kind, recorded, occurred, account, actor, subject, content, raw, media, prev, h = row
    return Record(
        org,
        int(seq),
        kind,
        recorded,
        occurred,
        account,
        actor,
        subject,
        content,
        raw,
        tuple(json.loads(media)),
        prev,
        h,
        json.loads(payload) if payload is not None else None,
    )


class Archive:
    """An organisation-partitioned, hash-chained, append-only archive.

    ``Archive.open()`` picks the database from ``url`` or ``SOMEVAHTI_ARCHIVE_DB`` (default: a
    SQLite file in the user's data directory), media from ``SOMEVAHTI_ARCHIVE_MEDIA`` and keys
    from ``SOMEVAHTI_ARCHIVE_KEYS``.
    """

    def __init__(self, store: Store, media: MediaStore, keys: KeyStore, *, checkpoint_every: int = 10_000):
        self.store = store
        self.media = media
        self.keys = keys
        self.checkpoint_every = checkpoint_every
        self._heads: dict[str, tuple[int, str]] = {}
        self._unlogged: list[tuple[str, dict, list[str]]] = []

    @classmethod
    def open(
        cls, url: str | None = None, *, media_dir=None, keys_dir=None, create: bool = True, **options
    ) -> Archive:
        base = data_dir()
        url = url or os.environ.get(DB_ENV) or f"sqlite:///{base / 'archive.sqlite3'}"
        store = open_store(url)
        if create:
            store.create_schema()
        media = FileMediaStore(media_dir or os.environ.get(MEDIA_ENV) or base / "archive-media")
        keys = KeyStore(keys_dir or os.environ.get(KEYS_ENV) or base / "keys")
        return cls(store, media, keys, **options)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def init(self, org: str) -> str:
        """Create the schema and the organisation's signing key; return its public key."""
        self.store.create_schema()
        return self.keys.create(org)

    # -- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def batch(self):
        """Appends inside share one transaction: all of them are stored, or none."""
        committed = False
        try:
            with self.store.transaction():
                yield self
            committed = True
        finally:
            if not self.store.in_transaction:
                self._heads.clear()
                unlogged, self._unlogged = self._unlogged, []
                if committed:
                    for org, cp, hashes in unlogged:
                        witness.append(self.keys.dir, org, cp, hashes)

    def append(
        self,
        kind: str,
        payload: dict,
        *,
        org: str,
        account: str | None = None,
        actor: str | None = None,
        subject: str | None = None,
        occurred: datetime | str | None = None,
        raw=None,
        media: Iterable = (),
    ) -> Record:
        """Archive one record and return it with its hash.

        ``kind``: post, reply, comment, mention or moderation (see ``payloads``); ``payload``: the
        normalised JSON object; ``subject``: the platform object the record is a version of (or,
        for moderation, acts on), e.g. ``"mastodon:https://…/statuses/1"``; ``occurred``: when it
        happened on the platform (default: now); ``raw``: the platform's response (bytes, text or
        JSON), kept beside the record; ``media``: bytes, paths or binary streams, stored once by
        SHA-256 and described, in order, by ``payload["media"]``.
        """
        payloads.validate(kind, payload, subject)
        return self._append(
            kind,
            payload,
            org=org,
            account=account,
            actor=actor,
            subject=subject,
            occurred=occurred,
            raw=raw,
            media=media,
        )

    def _append(
        self, kind, payload, *, org, account=None, actor=None, subject=None, occurred=None, raw=None, media=()
    ) -> Record:
        self.keys._check_org(org)
        try:
            content_bytes = canonical(payload)
            recorded = timestamp()
            occurred = timestamp(occurred) if occurred is not None else recorded
        except CanonicalError as e:
            raise InputError(_("the record cannot be archived: %s") % e) from e
        raw_bytes = _raw_bytes(raw)
        digests = tuple(self.media.put(m) for m in media)  # files first: a crash leaves only orphans
        content = sha256_hex(content_bytes)
        raw_hash = sha256_hex(raw_bytes) if raw_bytes is not None else None
        with self.batch():
            seq, prev = self._head_locked(org)
            seq += 1
            body = header_body(
                org, seq, kind, recorded, occurred, account, actor, subject, content, raw_hash, digests
            )
            h = chain_hash(prev, body)
            record = Record(
                org,
                seq,
                kind,
                recorded,
                occurred,
                account,
                actor,
                subject,
                content,
                raw_hash,
                digests,
                prev,
                h,
                payload,
            )
            s = self.store
            s.insert(
                f"INSERT INTO archive_record ({RECORD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",  # noqa: S608 - constant SQL and ? placeholders only
                (
                    org,
                    seq,
                    kind,
                    recorded,
                    occurred,
                    account,
                    actor,
                    subject,
                    content,
                    raw_hash,
                    json.dumps(list(digests)),
                    prev,
                    h,
                ),
            )
            s.insert(
                "INSERT INTO archive_content (org, seq, payload, raw) VALUES (?,?,?,?)",
                (org, seq, content_bytes.decode("utf-8"), raw_bytes),
            )
            if digests:
                for i, d in enumerate(digests):
                    s.insert(
                        "INSERT INTO archive_media (org, seq, position, media) VALUES (?,?,?,?)",
                        (org, seq, i, d),
                    )
            if kind in payloads.CONTENT_KINDS:
                self._index(record, payload)
            self._heads[org] = (seq, h)
            if self.checkpoint_every and seq % self.checkpoint_every == 0 and self.keys.has_key(org):
                self.checkpoint(org)
        return record

    def _head_locked(self, org: str) -> tuple[int, str]:
        if org not in self._heads:
            self.store.lock_chain(org)
            row = self.store.one(
                "SELECT seq, hash FROM archive_record WHERE org = ? ORDER BY seq DESC LIMIT 1", (org,)
            )
            self._heads[org] = (int(row[0]), row[1]) if row else (0, GENESIS)
        return self._heads[org]

    def _index(self, record: Record, payload: dict) -> None:
        s = self.store
        parent = payload.get("parent") if isinstance(payload.get("parent"), str) else None
        author = payloads.author_of(payload)
        unit = payload.get("unit") if isinstance(payload.get("unit"), str) else None
        for n, item in enumerate(payloads.index_texts(record.kind, payload)):
            stems = stems_of(item.body, item.lang)
            meta = (
                record.org,
                record.seq,
                item.lang,
                record.account,
                unit,
                record.kind,
                record.subject,
                parent,
                author,
                record.occurred,
            )
            if s.dialect == "sqlite":
                tid = s.insert_unique(
                    "INSERT INTO archive_text (id, org, seq, lang, account, unit, kind, subject, "
                    "parent, author, occurred) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    text_id(record.org, record.seq, n, record.occurred),
                    meta,
                )
                s.insert(
                    "INSERT INTO archive_fts (rowid, body, stems) VALUES (?,?,?)", (tid, item.body, stems)
                )
            else:
                s.insert(
                    "INSERT INTO archive_text (org, seq, lang, account, unit, kind, subject, parent, "
                    "author, occurred, body, stems) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*meta, item.body, stems),
                )
        state = payloads.state_change(record.kind, payload)
        if state and record.subject:
            s.insert(
                "INSERT INTO archive_state (org, subject, state) VALUES (?,?,?) "
                "ON CONFLICT (org, subject) DO UPDATE SET state = excluded.state",
                (record.org, record.subject, state),
            )

    def append_system(
        self,
        kind: str,
        payload: dict,
        *,
        org: str,
        actor: str | None,
        account: str | None = None,
        subject: str | None = None,
    ) -> Record:
        """Record something the archive itself did (holds, retention, purges, exports, imports)."""
        if kind not in payloads.SYSTEM_KINDS:
            raise SomevahtiError(f"not a system record kind: {kind}")
        return self._append(kind, payload, org=org, account=account, actor=actor, subject=subject)

    # -- checkpoints ---------------------------------------------------------------
    def checkpoint(self, org: str) -> Checkpoint | None:
        """Sign the chain head with the organisation's key (None when nothing is new since the last).

        The checkpoint names the previous one and the record count, and is appended to the
        checkpoint log beside the keys (``witness.py``) once the database has committed it.
        """
        with self.batch():
            seq, head = self._head_locked(org)
            last = self.store.one("SELECT MAX(seq) FROM archive_checkpoint WHERE org = ?", (org,))
            prev = int(last[0]) if last and last[0] is not None else 0
            if seq == 0 or prev >= seq:
                return None
            records = int(
                self.store.one("SELECT COUNT(*) FROM archive_record WHERE org = ? AND seq <= ?", (org, seq))[
                    0
                ]
            )
            at = timestamp()
            public = self.keys.public_key(org)
            kid = key_id(public)
            _public, signature = self.keys.sign(
                org, checkpoint_message(org, seq, head, at, kid, prev, records)
            )
            cp = Checkpoint(org, seq, head, at, kid, public, signature, prev, records)
            self.store.execute(
                f"INSERT INTO archive_checkpoint ({CHECKPOINT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",  # noqa: S608 - constant SQL
                (org, seq, head, at, kid, public, signature, prev, records),
            )
            hashes = [
                r[0]
                for r in self.store.query(
                    "SELECT hash FROM archive_record WHERE org = ? AND seq > ? AND seq <= ? ORDER BY seq",
                    (org, prev, seq),
                )
            ]
        if not self.store.in_transaction:
            witness.append(self.keys.dir, org, cp.as_json(), hashes)
        else:  # inside an outer batch: logged when that commits (a rolled-back checkpoint is never logged)
            self._unlogged.append((org, cp.as_json(), hashes))
        return cp

    def checkpoint_if_keyed(self, org: str) -> Checkpoint | None:
        """Sign the chain head now when this machine has the organisation's key (imports, publish
        batches and exports end with this); None without a key or when nothing is new."""
        if not self.keys.has_key(org):
            return None
        return self.checkpoint(org)

    def checkpoints(self, org: str) -> list[Checkpoint]:
        rows = self.store.query(
            f"SELECT {CHECKPOINT_COLUMNS} FROM archive_checkpoint "  # noqa: S608 - constant SQL
            "WHERE org = ? ORDER BY seq",
            (org,),
        )
        return [_checkpoint_row(r) for r in rows]

    def covering_checkpoint(self, org: str, seq: int) -> Checkpoint | None:
        row = self.store.one(
            f"SELECT {CHECKPOINT_COLUMNS} FROM archive_checkpoint "  # noqa: S608 - constant SQL
            "WHERE org = ? AND seq >= ? ORDER BY seq LIMIT 1",
            (org, seq),
        )
        return _checkpoint_row(row) if row else None

    # -- reading -------------------------------------------------------------------
    def orgs(self) -> list[str]:
        return [r[0] for r in self.store.query("SELECT DISTINCT org FROM archive_record ORDER BY org")]

    def head(self, org: str) -> tuple[int, str]:
        row = self.store.one(
            "SELECT seq, hash FROM archive_record WHERE org = ? ORDER BY seq DESC LIMIT 1", (org,)
        )
        return (int(row[0]), row[1]) if row else (0, GENESIS)

    def get(self, org: str, seq: int) -> Record | None:
        cols = ", ".join("r." + c.strip() for c in RECORD_COLUMNS.split(","))
        sql = (
            f"SELECT {cols}, c.payload FROM archive_record r LEFT JOIN archive_content c "  # noqa: S608 - constant SQL and ? placeholders only
            "ON c.org = r.org AND c.seq = r.seq WHERE r.org = ? AND r.seq = ?"
        )
        row = self.store.one(sql, (org, seq))
        return _row_record(row[:13], row[13]) if row else None

    def records(
        self, org: str, *, kinds: Iterable[str] | None = None, subject: str | None = None, start: int = 1
    ) -> Iterator[Record]:
        cols = ", ".join("r." + c.strip() for c in RECORD_COLUMNS.split(","))
        sql = (
            f"SELECT {cols}, c.payload FROM archive_record r LEFT JOIN archive_content c "  # noqa: S608 - constant SQL and ? placeholders only
            "ON c.org = r.org AND c.seq = r.seq WHERE r.org = ?"
        )
        params: list = [org]
        if start > 1:  # only then: SQLite without statistics would walk the whole chain for "seq >= 1"
            sql += " AND r.seq >= ?"
            params.append(start)
        if kinds:
            kinds = list(kinds)
            sql += f" AND r.kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        if subject is not None:
            sql += " AND r.subject = ?"
            params.append(subject)
        for row in self.store.iterate(sql + " ORDER BY r.seq", params):
            yield _row_record(row[:13], row[13])

    def raw(self, org: str, seq: int) -> bytes | None:
        row = self.store.one("SELECT raw FROM archive_content WHERE org = ? AND seq = ?", (org, seq))
        return bytes(row[0]) if row and row[0] is not None else None

    def is_purged(self, org: str, seq: int) -> bool:
        return (
            self.store.one("SELECT 1 FROM archive_tombstone WHERE org = ? AND seq = ?", (org, seq))
            is not None
        )

    def find_version(self, org: str, subject: str, content: str) -> int | None:
        """The seq of a record of ``subject`` with exactly this content hash (imports use it)."""
        row = self.store.one(
            "SELECT seq FROM archive_record WHERE org = ? AND subject = ? AND content = ? LIMIT 1",
            (org, subject, content),
        )
        return int(row[0]) if row else None

    # -- purging (only retention.py calls this) ----------------------------------------
    def purge(self, org: str, seqs: Iterable[int], *, actor: str | None, reason: dict) -> list[Record]:
        """Delete the content of records while keeping their chained headers.

        Each chunk of purged records is listed, with hashes, in a ``purge`` record appended first;
        the database accepts the deletion only for records with a tombstone. Media files no
        longer referenced by any retained record are deleted after the commit.
        """
        from somevahti.archive.retention import held_seqs

        seqs = sorted(set(seqs))
        done: list[Record] = []
        freed: set[str] = set()
        with self.batch():
            held = held_seqs(self, org, seqs)
            if held:
                raise SomevahtiError(
                    _("records %s are under a legal hold and cannot be purged")
                    % ", ".join(map(str, sorted(held)[:10]))
                )
            for i in range(0, len(seqs), 500):
                chunk = seqs[i : i + 500]
                marks = ",".join("?" * len(chunk))
                sql = (
                    "SELECT r.seq, r.hash, r.content, r.kind, r.media FROM archive_record r "  # noqa: S608 - constant SQL and ? placeholders only
                    "LEFT JOIN archive_tombstone t ON t.org = r.org AND t.seq = r.seq "
                    f"WHERE r.org = ? AND r.seq IN ({marks}) AND t.seq IS NULL ORDER BY r.seq"
                )
                rows = self.store.query(sql, [org, *chunk])
                rows = [r for r in rows if r[3] in payloads.CONTENT_KINDS]
                if not rows:
                    continue
                items = [{"seq": int(r[0]), "hash": r[1], "content": r[2]} for r in rows]
                rec = self._append("purge", {**reason, "records": items}, org=org, actor=actor)
                self.store.executemany(
                    "INSERT INTO archive_tombstone (org, seq, purge_seq) VALUES (?,?,?)",
                    [(org, it["seq"], rec.seq) for it in items],
                )
                params = [org, *(it["seq"] for it in items)]
                marks = ",".join("?" * len(items))
                if self.store.dialect == "sqlite":
                    self.store.execute(
                        "DELETE FROM archive_fts WHERE rowid IN "  # noqa: S608 - constant SQL and ? placeholders only
                        f"(SELECT id FROM archive_text WHERE org = ? AND seq IN ({marks}))",
                        params,
                    )
                self.store.execute(f"DELETE FROM archive_text WHERE org = ? AND seq IN ({marks})", params)  # noqa: S608 - constant SQL and ? placeholders only
                self.store.execute(f"DELETE FROM archive_content WHERE org = ? AND seq IN ({marks})", params)  # noqa: S608 - constant SQL and ? placeholders only
                for r in rows:
                    freed.update(json.loads(r[4]))
                done.append(rec)
        for digest in freed:
            still = self.store.one(
                "SELECT 1 FROM archive_media m LEFT JOIN archive_tombstone t ON t.org = m.org "
                "AND t.seq = m.seq WHERE m.media = ? AND t.seq IS NULL LIMIT 1",
                (digest,),
            )
            if still is None:
                self.media.delete(digest)
        return done
