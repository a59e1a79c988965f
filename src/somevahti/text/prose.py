"""What in a post is not prose: URLs, e-mail addresses, @mentions and #hashtags.

Language detection, spelling and number extraction look past these; ``blank_non_prose`` keeps
character offsets by replacing them with spaces.
"""

from __future__ import annotations

import re
from functools import lru_cache

from somevahti.text.urls import EMAIL_RE, Url, find_hashtags, find_urls

MENTION_RE = re.compile(r"(?<![\w@.])@\w[\w.-]*\w|(?<![\w@.])@\w")


@lru_cache(maxsize=20_000)
def urls_in(text: str) -> tuple[Url, ...]:
    """The URLs of a text, found once for every family that asks."""
    return tuple(find_urls(text))


@lru_cache(maxsize=20_000)
def non_prose_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted (start, end) spans of URLs, e-mail addresses, mentions and hashtags."""
    spans = [(u.start, u.end) for u in urls_in(text)]
    emails = [(m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    spans += emails
    spans += [
        (m.start(), m.end())
        for m in MENTION_RE.finditer(text)
        if not any(a <= m.start() < b for a, b in emails)
    ]
    spans += [(s, e) for _, s, e in find_hashtags(text)]
    return tuple(sorted(spans))


def blank_non_prose(text: str) -> str:
    spans = non_prose_spans(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def inside(spans, start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of ``spans``."""
    return any(a < end and start < b for a, b in spans)
