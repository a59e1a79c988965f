"""The publishing queue in SQL: tables ``publishing_publication`` and ``publishing_part``.

SQLite (a file, WAL) or PostgreSQL, chosen by a URL. By default the store is the web
application's database: ``SOMEVAHTI_PUBLISH_DB``, else ``DATABASE_URL``, else
``$SOMEVAHTI_DATA_DIR/somevahti.sqlite3`` (``./var``), the same file Django uses. The tables are
the engine's own (no Django model owns them) and are created on first use.

Claiming: ``claim`` is one statement, ``UPDATE … WHERE key IN (SELECT … LIMIT n) RETURNING key``;
on PostgreSQL the inner SELECT takes ``FOR UPDATE SKIP LOCKED`` so workers racing for the queue
never take the same row, on SQLite the statement itself is atomic (one writer at a time). A claim
is a lease (``lease_until``): a worker killed in the middle leaves it to expire, and the next
worker finds the part it was sending in state ``sending`` and asks the platform before sending.
All timestamps are ISO 8601 text in UTC (``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``): they sort as text.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from somevahti.errors import SomevahtiError
from somevahti.i18n import _
from somevahti.sqldb import connect_sqlite, is_postgres, redact_url, sqlite_path

DB_ENV = "SOMEVAHTI_PUBLISH_DB"

SCHEMA = """
CREATE TABLE IF NOT EXISTS publishing_publication (
    key TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    account TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    document TEXT NOT NULL,
    content_version TEXT NOT NULL,
    pack TEXT NOT NULL,
    scheduled_at TEXT NOT NULL,
    next_try_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    submitted_by TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    claimed_by TEXT NOT NULL DEFAULT '',
    lease_until TEXT NOT NULL DEFAULT '',
    error_kind TEXT NOT NULL DEFAULT '',
    error_reason TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS publishing_publication_due ON publishing_publication (status, next_try_at);
CREATE TABLE IF NOT EXISTS publishing_part (
    key TEXT PRIMARY KEY,
    publication TEXT NOT NULL REFERENCES publishing_publication (key),
    position INTEGER NOT NULL,
    reply_to INTEGER,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    external_id TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    cid TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    archived_seq INTEGER,
    sent_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (publication, position)
);
CREATE INDEX IF NOT EXISTS publishing_part_unarchived ON publishing_part (state, archived_seq);
"""

PUBLICATION_COLUMNS = (
    "key",
    "org",
    "account",
    "channel",
    "status",
    "document",
    "content_version",
    "pack",
    "scheduled_at",
    "next_try_at",
    "attempts",
    "submitted_by",
    "approved_by",
    "claimed_by",
    "lease_until",
    "error_kind",
    "error_reason",
    "error_message",
    "created_at",
    "updated_at",
    "published_at",
)
PART_COLUMNS = (
    "key",
    "publication",
    "position",
    "reply_to",
    "body",
    "state",
    "external_id",
    "url",
    "cid",
    "raw",
    "attempts",
    "archived_seq",
    "sent_at",
    "updated_at",
)


def stamp(when: datetime | None = None) -> str:
    """A timestamp as the store keeps it (UTC, microseconds, sortable as text)."""
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def default_url() -> str:
    url = os.environ.get(DB_ENV) or os.environ.get("DATABASE_URL")
    if url:
        return url
    data = Path(os.environ.get("SOMEVAHTI_DATA_DIR", "var")).resolve()
    return f"sqlite:///{data / 'somevahti.sqlite3'}"


class Store:
    """A connection to the queue's tables. Not shared between threads: one per worker."""

    dialect = ""

    def __init__(self) -> None:
        self._depth = 0
        self._lock = threading.RLock()

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        url = url or default_url()
        try:
            if is_postgres(url):
                store: Store = PostgresStore(url)
            else:
                store = SqliteStore(sqlite_path(url))
        except Exception as e:  # noqa: BLE001 - a driver error becomes one line for the user
            raise SomevahtiError(
                _("cannot open the publishing queue %(url)s: %(error)s")
                % {"url": redact_url(url), "error": e}
            ) from e
        store.create_schema()
        return store

    # -- statements ---------------------------------------------------------------------
    def execute(self, sql: str, params=()):
        raise NotImplementedError

    def query(self, sql: str, params=()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params=()):
        return self.execute(sql, params).fetchone()

    @contextlib.contextmanager
    def transaction(self):
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._begin()
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            self._commit()

    # -- rows ---------------------------------------------------------------------------
    def insert_publication(self, row: dict, parts: list[dict]) -> bool:
        """Insert a publication and its parts; False when the key is taken (nothing written)."""
        with self.transaction():
            if self.one("SELECT 1 FROM publishing_publication WHERE key = ?", (row["key"],)):
                return False
            cols = ", ".join(row)
            self.execute(
                f"INSERT INTO publishing_publication ({cols}) VALUES ({', '.join('?' * len(row))}) "  # noqa: S608 - column names are the engine's own
                "ON CONFLICT (key) DO NOTHING",
                tuple(row.values()),
            )
            for part in parts:
                cols = ", ".join(part)
                self.execute(
                    f"INSERT INTO publishing_part ({cols}) VALUES ({', '.join('?' * len(part))})",  # noqa: S608 - column names are the engine's own
                    tuple(part.values()),
                )
        return True

    def publication(self, key: str) -> dict | None:
        row = self.one(
            f"SELECT {', '.join(PUBLICATION_COLUMNS)} FROM publishing_publication WHERE key = ?",  # noqa: S608 - constant columns
            (key,),
        )
        return dict(zip(PUBLICATION_COLUMNS, row, strict=True)) if row else None

    def parts(self, key: str) -> list[dict]:
        rows = self.query(
            f"SELECT {', '.join(PART_COLUMNS)} FROM publishing_part WHERE publication = ? "  # noqa: S608 - constant columns
            "ORDER BY position",
            (key,),
        )
        return [dict(zip(PART_COLUMNS, r, strict=True)) for r in rows]

    def update_publication(self, key: str, **values) -> None:
        values["updated_at"] = stamp()
        sets = ", ".join(f"{k} = ?" for k in values)
        self.execute(f"UPDATE publishing_publication SET {sets} WHERE key = ?", (*values.values(), key))  # noqa: S608 - column names are the engine's own

    def update_part(self, key: str, **values) -> None:
        values["updated_at"] = stamp()
        sets = ", ".join(f"{k} = ?" for k in values)
        self.execute(f"UPDATE publishing_part SET {sets} WHERE key = ?", (*values.values(), key))  # noqa: S608 - column names are the engine's own

    def claim(
        self, now: datetime, worker: str, lease_seconds: float, limit: int = 10, key: str | None = None
    ) -> list[str]:
        """Take up to ``limit`` due publications (or the one ``key``) for ``worker`` until the lease ends."""
        now_s = stamp(now)
        until = stamp(datetime.fromtimestamp(now.timestamp() + lease_seconds, UTC))
        # due and waiting, or held by a worker whose lease ran out (killed, hung): its parts in state
        # 'sending' are looked up on the platform before anything is sent again
        where = "((status = 'queued' AND next_try_at <= ?) OR (status = 'sending' AND lease_until < ?))"
        params: list = [now_s, now_s]
        if key is not None:
            where += " AND key = ?"
            params.append(key)
        lock = " FOR UPDATE SKIP LOCKED" if self.dialect == "postgres" else ""
        sql = (
            "UPDATE publishing_publication SET status = 'sending', claimed_by = ?, lease_until = ?, "  # noqa: S608 - constant SQL and ? placeholders only
            "attempts = attempts + 1 "
            f"WHERE key IN (SELECT key FROM publishing_publication WHERE {where} ORDER BY next_try_at "
            f"LIMIT ?{lock}) RETURNING key"
        )
        with self.transaction():
            rows = self.query(sql, (worker, until, *params, limit))
        return [r[0] for r in rows]

    def renew(self, key: str, worker: str, until: datetime) -> bool:
        """Extend a lease this worker holds; False when it lost it (another worker took over)."""
        with self.transaction():
            cur = self.execute(
                "UPDATE publishing_publication SET lease_until = ? WHERE key = ? AND claimed_by = ?",
                (stamp(until), key, worker),
            )
        return (cur.rowcount or 0) > 0

    def unarchived(self, limit: int = 100) -> list[dict]:
        rows = self.query(
            f"SELECT {', '.join(PART_COLUMNS)} FROM publishing_part WHERE state IN "  # noqa: S608 - constant columns
            "('published', 'edited', 'deleted') AND archived_seq IS NULL ORDER BY updated_at LIMIT ?",
            (limit,),
        )
        return [dict(zip(PART_COLUMNS, r, strict=True)) for r in rows]

    def keys(self, *, status: str | None = None, account: str | None = None, limit: int = 100) -> list[str]:
        sql, params = "SELECT key FROM publishing_publication WHERE 1 = 1", []
        if status:
            sql += " AND status = ?"
            params.append(status)
        if account:
            sql += " AND account = ?"
            params.append(account)
        return [r[0] for r in self.query(sql + " ORDER BY scheduled_at DESC LIMIT ?", (*params, limit))]

    def published_ids(self, account: str, since: datetime | None = None) -> list[str]:
        """The platform ids of the account's published parts (newest first), e.g. for the inbox to
        fetch the replies below them."""
        sql = (
            "SELECT p.external_id FROM publishing_part p "
            "JOIN publishing_publication u ON u.key = p.publication "
            "WHERE u.account = ? AND p.state = 'published' AND p.external_id <> ''"
        )
        params: list = [account]
        if since is not None:
            sql += " AND p.sent_at >= ?"
            params.append(stamp(since))
        return [r[0] for r in self.query(sql + " ORDER BY p.sent_at DESC", params)]

    def close(self) -> None:
        raise NotImplementedError

    def create_schema(self) -> None:
        raise NotImplementedError


class SqliteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.conn = connect_sqlite(path)

    def execute(self, sql, params=()):
        with self._lock:
            return self.conn.execute(sql, params)

    def _begin(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self):
        self.conn.execute("COMMIT")

    def _rollback(self):
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def create_schema(self) -> None:
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        super().__init__()
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self._tx = None

    def execute(self, sql, params=()):
        with self._lock:
            return self.conn.execute(sql.replace("?", "%s"), params, prepare=False)

    def _begin(self):
        self._tx = self.conn.transaction()
        self._tx.__enter__()

    def _commit(self):
        tx, self._tx = self._tx, None
        tx.__exit__(None, None, None)

    def _rollback(self):
        tx, self._tx = self._tx, None
        if tx is not None:
            err = RuntimeError("rollback")
            with contextlib.suppress(RuntimeError):
                tx.__exit__(type(err), err, None)

    def create_schema(self) -> None:
        with self.conn.transaction():
            self.conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended('somevahti.publishing.schema', 0))"
            )
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)

    def close(self) -> None:
        self.conn.close()


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
