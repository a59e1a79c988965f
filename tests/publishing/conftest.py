"""An engine per test over a fresh queue, the file connector and a fresh archive; PNG/MP4 files."""

import itertools
import struct
import zlib
from urllib.parse import quote

import pytest

from somevahti.archive.api import Archive
from somevahti.channels.file import FileConnector
from somevahti.document import PostDocument
from somevahti.publishing import Account, Engine, Store

_schemas = itertools.count()


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")


def pg_schema_url(postgres_url: str) -> str:
    import psycopg

    name = f"pub{next(_schemas)}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{postgres_url}?options={quote(f'-csearch_path={name}')}"


def png(width: int = 2, height: int = 2, pad: int = 0) -> bytes:
    """A real PNG; ``pad`` bytes of an ancillary chunk make it as large as a test needs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    extra = chunk(b"tEXt", b"pad\x00" + b"x" * pad) if pad else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + extra
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.fixture
def queue(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path}/queue.sqlite3")
    yield store
    store.close()


@pytest.fixture
def archive(tmp_path):
    a = Archive.open(
        f"sqlite:///{tmp_path}/archive.sqlite3", media_dir=tmp_path / "media", keys_dir=tmp_path / "keys"
    )
    a.init("kirkkonummi")
    yield a
    a.close()


@pytest.fixture
def out_dir(tmp_path):
    return tmp_path / "platform"


def file_connector(out_dir, platform="mastodon", **kw):
    return FileConnector.from_credentials({"directory": str(out_dir), "platform": platform, **kw})


@pytest.fixture
def make_engine(queue, archive, out_dir):
    def make(platform="mastodon", connector=None, **kw):
        conn = connector or file_connector(out_dir, platform)
        accounts = {f"{platform}:kirkkonummi": conn}
        return Engine(queue, accounts, archive, use_ner=False, **kw), conn

    return make


def account(platform="mastodon", pack="kirkkonummi", **kw):
    return Account(platform, "kirkkonummi", pack=pack, org="kirkkonummi", **kw)


def doc(**fields) -> PostDocument:
    fields.setdefault(
        "text", {"fi": "Kirjasto on auki tänään kello 10–18.", "sv": "Biblioteket är öppet i dag kl. 10–18."}
    )
    return PostDocument.model_validate(fields)
