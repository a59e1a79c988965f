"""Word tokens with character offsets (the spans findings point at)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

# A word: letters/digits with inner hyphens, colons (Finnish "EU:n") or apostrophes.
WORD_RE = regex.compile(r"[\p{L}\p{N}]+(?:[-:'’][\p{L}\p{N}]+)*")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.casefold()

    @property
    def is_word(self) -> bool:
        return any(ch.isalpha() for ch in self.text)


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans: ends at . ! ? or a line break."""
    out, start = [], 0
    for m in regex.finditer(r"[.!?]+(?=\s|$)|\n+", text):
        if text[start:m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out
