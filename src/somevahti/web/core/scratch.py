"""A private copy of the database for work that must see its own writes but may not hold the real
database meanwhile: an import's dry run on SQLite (one writer at a time) runs against a copy made
with SQLite's online backup, so web requests keep writing while a large file is checked.

Inside ``with scratch_copy() as alias:`` every query of this thread goes to the copy (the router
below); other threads are not affected. PostgreSQL needs no copy (its transactions lock rows, not
the database): ``scratch_copy`` yields "default" there, as it does for an in-memory SQLite database
(the test suite's: nobody else writes to it).
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from pathlib import Path

from django.db import connections

_local = threading.local()
ALIAS = "import_scratch"


class ScratchRouter:
    """Sends this thread's queries to the scratch copy while one is in use (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        return getattr(_local, "alias", None)

    def db_for_write(self, model, **hints):
        return getattr(_local, "alias", None)

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None


@contextlib.contextmanager
def scratch_copy():
    default = connections["default"]
    if default.vendor != "sqlite" or default.is_in_memory_db():  # in memory: a test, no other writer
        yield "default"
        return
    default.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="somevahti-scratch-") as folder:
        path = Path(folder) / "scratch.sqlite3"
        target = sqlite3.connect(path)
        try:
            default.connection.backup(target)  # a consistent snapshot; readers and writers go on meanwhile
        finally:
            target.close()
        connections.databases[ALIAS] = {**connections.databases["default"], "NAME": str(path), "TEST": {}}
        _local.alias = ALIAS
        try:
            yield ALIAS
        finally:
            _local.alias = None
            with contextlib.suppress(Exception):
                connections[ALIAS].close()
            with contextlib.suppress(Exception):
                del connections[ALIAS]
            connections.databases.pop(ALIAS, None)
