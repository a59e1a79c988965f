"""Reading comments: JSON Lines (``{"id", "text", "language", "author", "post", "channel"}``) or plain
text, one comment per line (the id is the line number). A file whose first non-empty line starts
with ``{`` is JSON Lines. Malformed JSON lines are reported by line number and skipped."""

from __future__ import annotations

from collections.abc import Callable

from somevahti.errors import InputError
from somevahti.safeload import ParseError, check_strings, loads_json
from somevahti.triage.engine import Comment

FIELDS = ("language", "author", "post", "channel")


def parse(data: bytes, source: str, warn: Callable[[str], None]) -> list[Comment]:
    """Comments of one input; ``warn`` receives one line per malformed line (the rest is kept)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: not UTF-8 text (byte {e.start})") from None
    # Lines end at \n only (\r\n too): U+2028, U+0085 and the like are valid inside a JSON string,
    # and str.splitlines() would cut such a comment in two.
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first.startswith("{"):
        out = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                check_strings(line)
            except ParseError as e:
                warn(f"{source}:{n}: {e}")
                continue
            out.append(Comment(n, line.strip()))
        return out
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = loads_json(line)
        except ParseError as e:
            warn(f"{source}:{n}: malformed JSON line ({e})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            warn(f'{source}:{n}: a JSON line needs a "text" string')
            continue
        extra = {k: obj[k] if isinstance(obj.get(k), str) else None for k in FIELDS}
        out.append(Comment(obj.get("id", n), obj["text"], **extra))
    return out
