"""Media files stored once by content (SHA-256), behind a small interface.

``FileMediaStore`` keeps ``<root>/ab/cd/abcd…`` files, written to a temporary file and renamed
into place, so a killed writer leaves at most an unreferenced temporary file. Another backend
(S3-compatible storage) implements the same five methods.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class MediaStore:
    def put(self, source: bytes | str | os.PathLike | BinaryIO) -> str:
        """Store the bytes (or the file at a path, or a readable stream); return their SHA-256."""
        raise NotImplementedError

    def open(self, digest: str) -> BinaryIO:
        raise NotImplementedError

    def exists(self, digest: str) -> bool:
        raise NotImplementedError

    def delete(self, digest: str) -> None:
        raise NotImplementedError

    def digest_of_stored(self, digest: str) -> str | None:
        """SHA-256 of what is stored under ``digest`` now (None when missing)."""
        try:
            with self.open(digest) as f:
                return hash_stream(f)
        except FileNotFoundError:
            return None


def hash_stream(f: BinaryIO) -> str:
    h = hashlib.sha256()
    while chunk := f.read(CHUNK):
        h.update(chunk)
    return h.hexdigest()


def hash_file(path) -> str:
    """SHA-256 of a file, read in chunks (exports, imports and bundles hash files this one way)."""
    with open(path, "rb") as f:
        return hash_stream(f)


def _chunks(source) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
        return
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
        return
    while chunk := source.read(CHUNK):
        yield chunk


class FileMediaStore(MediaStore):
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a SHA-256 digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, source) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in _chunks(source):
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            target = self.path(digest)
            if target.exists():
                os.unlink(tmp)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
            return digest
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def open(self, digest):
        return open(self.path(digest), "rb")

    def exists(self, digest):
        return self.path(digest).is_file()

    def delete(self, digest):
        with contextlib.suppress(FileNotFoundError):
            self.path(digest).unlink()
