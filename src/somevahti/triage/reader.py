"""Reading comments: JSON Lines (``{"id", "text", "language", "author", "post", "channel"}``) or plain
text, one comment per line (the id is the line number). A file whose first non-empty line starts
with ``{`` is JSON Lines. Malformed JSON lines are reported by line number and skipped."""

from __future__ import annotations

import json
from collections.abc import Callable

from somevahti.errors import InputError
from somevahti.triage.engine import Comment

FIELDS = ("language", "author", "post", "channel")


def parse(data: bytes, source: str, warn: Callable[[str], None]) -> list[Comment]:
    """Comments of one input; ``warn`` receives one line per malformed line (the rest is kept)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: not UTF-8 text (byte {e.start})") from None
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first.startswith("{"):
        return [Comment(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            warn(f"{source}:{n}: malformed JSON line ({e.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            warn(f"{source}:{n}: a JSON line needs a \"text\" string")
            continue
        extra = {k: obj[k] if isinstance(obj.get(k), str) else None for k in FIELDS}
        out.append(Comment(obj.get("id", n), obj["text"], **extra))
    return out
