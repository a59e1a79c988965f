"""A small storage interface over plain sqlite3 and psycopg 3, selected by a database URL.

``sqlite:///path/to/archive.sqlite3`` (``sqlite:////abs`` works too, ``sqlite:///:memory:`` for
tests), ``postgresql://user@host/db``; a bare path means a SQLite file. SQL is written once
with ``?`` placeholders; the PostgreSQL store rewrites them to ``%s``.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
from collections.abc import Iterator
from importlib import resources

from somevahti.errors import SomevahtiError
from somevahti.i18n import _
from somevahti.sqldb import connect_sqlite, is_postgres, redact_url, sqlite_path

_CURSORS = itertools.count()
TRIGGERS_MARK = "-- TRIGGERS"


class Store:
    """What the archive needs from a database: transactions, statements, a chain lock, a schema."""

    dialect: str

    def __init__(self) -> None:
        self._depth = 0
        self._pending: dict[str, list] = {}
        self._pending_rows = 0

    # -- statements ---------------------------------------------------------------
    def insert(self, sql: str, params) -> None:
        """An INSERT that may be sent later in a batch (before any other statement, at the latest
        at commit); rows of the same statement keep their order."""
        if not self._depth:
            self.execute(sql, params)
            return
        self._pending.setdefault(sql, []).append(params)
        self._pending_rows += 1
        if self._pending_rows >= 2000:
            self.flush()

    def insert_unique(self, sql: str, key: int, params) -> int:
        """Insert a row whose first column is an integer key, taking the next free key if ``key`` is
        taken; return the key used. Sent at once (other batched rows may wait)."""
        raise NotImplementedError

    def flush(self) -> None:
        pending, self._pending, self._pending_rows = self._pending, {}, 0
        for sql, rows in pending.items():
            self._executemany(sql, rows)

    def execute(self, sql: str, params=()):
        if self._pending:
            self.flush()
        return self._execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        if self._pending:
            self.flush()
        self._executemany(sql, rows)

    def _execute(self, sql: str, params=()):
        raise NotImplementedError

    def _executemany(self, sql: str, rows) -> None:
        raise NotImplementedError

    def query(self, sql: str, params=()) -> list[tuple]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params=()):
        row = self.execute(sql, params).fetchone()
        return row

    def iterate(self, sql: str, params=(), size: int = 5000) -> Iterator[tuple]:
        if self._pending:
            self.flush()
        return self._iterate(sql, params, size)

    def _iterate(self, sql: str, params, size: int) -> Iterator[tuple]:
        raise NotImplementedError

    # -- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        """A write transaction; nested calls join the outer one."""
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
            self.flush()
        except BaseException:
            self._depth = 0
            self._pending, self._pending_rows = {}, 0
            self._rollback()
            raise
        self._depth = 0
        self._commit()

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def lock_chain(self, org: str) -> None:
        """Serialise appends to one organisation's chain until the transaction ends."""

    def schema(self, with_triggers: bool = True) -> str:
        text = resources.files("somevahti.archive").joinpath(f"schema_{self.dialect}.sql").read_text("utf-8")
        return text if with_triggers else text.split(TRIGGERS_MARK, 1)[0]

    def missing_triggers(self) -> list[str]:
        """The append-only triggers the schema creates that the database no longer has."""
        present = self.trigger_names()
        return [t for t in self.expected_triggers() if t not in present]

    def expected_triggers(self) -> list[str]:
        raise NotImplementedError

    def trigger_names(self) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SqliteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.conn = connect_sqlite(path)
        self.conn.execute("PRAGMA cache_size = -32768")  # 32 MiB of pages (the default is 2 MiB)

    def _execute(self, sql, params=()):
        return self.conn.execute(sql, params)

    def _executemany(self, sql, rows):
        self.conn.executemany(sql, rows)

    def _iterate(self, sql, params, size):
        cur = self.conn.execute(sql, params)
        while batch := cur.fetchmany(size):
            yield from batch

    def insert_unique(self, sql, key, params):
        while True:
            try:
                self.conn.execute(sql, (key, *params))
                return key
            except sqlite3.IntegrityError:
                key += 1

    def _begin(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self):
        self.conn.execute("COMMIT")

    def _rollback(self):
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def create_schema(self) -> None:
        fresh = (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'archive_record'"
            ).fetchone()
            is None
        )
        self.conn.executescript(self.schema(with_triggers=fresh))
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(archive_checkpoint)")}
        for column in ("prev", "records"):  # archives made before checkpoints recorded these
            if column not in columns:
                self.conn.execute(f"ALTER TABLE archive_checkpoint ADD COLUMN {column} INTEGER")

    def expected_triggers(self) -> list[str]:
        return re.findall(r"CREATE TRIGGER IF NOT EXISTS (\w+)", self.schema())

    def trigger_names(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    def close(self):
        self.conn.close()


class PostgresStore(Store):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        super().__init__()
        import psycopg

        self._psycopg = psycopg
        self.conn = psycopg.connect(url, autocommit=True)
        # iterate() reads whole result sets: plan for all rows, not the first tenth (the default)
        self.conn.execute("SET cursor_tuple_fraction = 1")
        self._tx = None

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def _execute(self, sql, params=()):
        return self.conn.execute(self._sql(sql), params, prepare=False)

    def _executemany(self, sql, rows):
        with self.conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows)

    def _iterate(self, sql, params, size):
        if self.in_transaction:  # no server-side cursors inside a pipeline
            cur = self._execute(sql, params)
            while batch := cur.fetchmany(size):
                yield from batch
            return
        with self.conn.transaction(), self.conn.cursor(name=f"archive_iter_{next(_CURSORS)}") as cur:
            cur.itersize = size
            cur.execute(self._sql(sql), params)
            yield from cur

    def _begin(self):
        # a pipeline sends the statements of a transaction without waiting for each reply
        self._tx = contextlib.ExitStack()
        self._tx.enter_context(self.conn.transaction())
        self._tx.enter_context(self.conn.pipeline())

    def _commit(self):
        tx, self._tx = self._tx, None
        tx.close()

    def _rollback(self):
        tx, self._tx = self._tx, None
        if tx is not None:
            err = RuntimeError("rollback")
            tx.__exit__(type(err), err, None)

    def lock_chain(self, org):
        self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (f"somevahti.archive:{org}",))

    def create_schema(self) -> None:
        with self.conn.transaction():  # several statements: the simple protocol, not a pipeline
            self.execute("SELECT pg_advisory_xact_lock(hashtextextended('somevahti.archive.schema', 0))")
            fresh = self.one("SELECT to_regclass('archive_record')")[0] is None
            self.conn.execute(self.schema(with_triggers=fresh))

    def expected_triggers(self) -> list[str]:
        names = [
            "archive_record_chain",
            "archive_content_no_update",
            "archive_content_purge_only",
            "archive_content_no_truncate",
        ]
        for t in ("archive_record", "archive_tombstone", "archive_media", "archive_checkpoint"):
            names += [f"{t}_append_only", f"{t}_no_truncate"]
        return names

    def trigger_names(self) -> set[str]:
        return {
            r[0]
            for r in self.query(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace "
                "AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
            )
        }

    def close(self):
        self.conn.close()


def open_store(url: str) -> Store:
    try:
        if is_postgres(url):
            return PostgresStore(url)
        return SqliteStore(sqlite_path(url))
    except Exception as e:  # noqa: BLE001 - any driver error becomes one line for the user
        raise SomevahtiError(
            _("cannot open the archive database %(url)s: %(error)s") % {"url": redact_url(url), "error": e}
        ) from e
