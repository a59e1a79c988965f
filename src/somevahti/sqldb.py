"""What the archive and the publishing queue share about their databases: the URL forms and a
SQLite connection set up for several processes at once.

``sqlite:///path/to/file.sqlite3`` (``sqlite:////abs`` too, ``sqlite:///:memory:`` for tests),
``postgresql://user@host/db``; a bare path means a SQLite file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    if url.startswith("sqlite://"):
        rest = url[len("sqlite://") :]
        if rest in ("/:memory:", ":memory:"):
            return ":memory:"
        return "/" + rest.lstrip("/") if rest.startswith("/") else rest
    return url


def redact_url(url: str) -> str:
    """The URL without a password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url


def connect_sqlite(path: str) -> sqlite3.Connection:
    """Autocommit (transactions are begun explicitly), usable from the thread that owns the store,
    waiting up to 30 s for another writer, WAL for files. WAL + synchronous NORMAL: a committed
    transaction survives a killed process; a power cut may lose the last few commits but never
    leaves a partial one."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn
