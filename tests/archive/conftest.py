"""An empty archive per test, on SQLite and (marked ``postgres``) on PostgreSQL."""

import itertools
from urllib.parse import quote

import pytest

from somevahti.archive.api import Archive

_schemas = itertools.count()


def pg_schema_url(postgres_url: str) -> str:
    """A fresh schema in the session's cluster, selected through the connection's search_path."""
    import psycopg

    name = f"t{next(_schemas)}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{postgres_url}?options={quote(f'-csearch_path={name}')}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/archive.sqlite3"
    return pg_schema_url(request.getfixturevalue("postgres_url"))


@pytest.fixture
def archive(db_url, tmp_path):
    a = Archive.open(db_url, media_dir=tmp_path / "media", keys_dir=tmp_path / "keys")
    a.init("kunta")
    yield a
    a.close()


def post(archive, subject, text, *, lang="fi", account="fb", kind="post", occurred=None, **extra):
    return archive.append(
        kind,
        {"event": "published", "texts": {lang: text}, **extra},
        org="kunta",
        account=account,
        actor="anna",
        subject=subject,
        occurred=occurred,
    )


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The assertions read the English messages; the command line defaults to Finnish."""
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")
