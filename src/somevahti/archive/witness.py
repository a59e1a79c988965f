"""The checkpoint log: an append-only file beside the signing keys that witnesses the chain head
outside the database (``<keys>/<org>.checkpoints.jsonl``).

Each signed checkpoint is appended as one JSON line: the checkpoint itself (signed: it cannot be
forged without the key), and ``marks``, the first 16 hex digits of the hash of every record since
the previous checkpoint. With the log, ``verify`` notices what the database alone cannot show:
a checkpoint deleted from the database, records deleted after the last checkpoint it still has
(a truncated tail), and, for a chain re-hashed after an edit, the first record that differs.

The log is evidence only if it lives where the database's users cannot write (another disk,
another host, a write-once store): ``docs/operations.md`` describes keeping and backing it up.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

MARK = 16  # hex digits of each record hash kept in the log


def log_path(keys_dir: Path, org: str) -> Path:
    return Path(keys_dir) / f"{org}.checkpoints.jsonl"


def append(keys_dir: Path, org: str, checkpoint: dict, hashes: list[str]) -> None:
    """Append one checkpoint with the marks of the records it newly covers; fsync'd."""
    line = json.dumps({**checkpoint, "marks": "".join(h[:MARK] for h in hashes)}, separators=(",", ":"))
    path = log_path(keys_dir, org)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Entry:
    line: int
    data: dict

    @property
    def seq(self) -> int:
        return int(self.data["seq"])

    @property
    def prev(self) -> int:
        return int(self.data.get("prev") or 0)

    def marks(self) -> list[str]:
        text = self.data.get("marks") or ""
        return [text[i : i + MARK] for i in range(0, len(text), MARK)]


def read(keys_dir: Path, org: str) -> tuple[list[Entry], list[str]] | None:
    """(entries, problems) of the log, or None when there is no log. Malformed lines are problems."""
    path = log_path(keys_dir, org)
    if not path.is_file():
        return None
    entries, problems = [], []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw.decode("utf-8"))
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                for key in ("seq", "head", "at", "key_id", "public_key", "signature", "records"):
                    if key not in data:
                        raise ValueError(f"no {key!r}")
                int(data["seq"]), int(data.get("prev") or 0), int(data["records"])
                if not isinstance(data.get("marks", ""), str):
                    raise ValueError("'marks' is not text")
            except (ValueError, TypeError, UnicodeDecodeError) as e:
                problems.append(f"{path}:{n}: malformed line ({e})")
                continue
            entries.append(Entry(n, data))
    return entries, problems
