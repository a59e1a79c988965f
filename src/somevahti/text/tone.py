"""A reply's tone by its form: markers of sarcasm, condescension and dismissal (issue 14, round 7).

    markers(text)  -> [Marker(kind, start, end, text)]   the phrases that carry the tone, in order

The topic embedding (text/semantic.py) puts a sarcastic or condescending reply ("Kiitos taas tästä
syvällisestä analyysista.") next to a brief polite one about the same matter; the words that make
the difference are few and fixed: mock thanks, "as already said", the reader as the subject of a
failure ("jos olisitte lukeneet", "om du hade läst", "if you had bothered"), calling the matter easy,
sending the reader away. They are regular expressions over the casefolded text, by kind and language
(``semantic_examples/tone_markers.yaml``, CC0), matched in every language (their words are
language-specific). rules/meaning.py lets a marker
lower the tone rules' threshold on the sentence that carries it, and names the marker in the finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

MARKERS = Path(__file__).with_name("semantic_examples") / "tone_markers.yaml"
KINDS = ("sarcasm", "repeated", "blame", "belittle", "dismiss")


@dataclass(frozen=True)
class Marker:
    kind: str
    pattern: int  # its index in patterns(): which marker it is
    start: int
    end: int
    text: str


@cache
def patterns() -> tuple[tuple[str, re.Pattern], ...]:
    data = yaml.safe_load(MARKERS.read_text(encoding="utf-8"))
    return tuple(
        (kind, re.compile(rx, re.IGNORECASE))
        for by_kind in data.values()
        for kind, rxs in by_kind.items()
        for rx in rxs
    )


def markers(text: str, allowed: frozenset[int] | None = None) -> list[Marker]:
    """The tone markers in ``text`` (offsets into it), ordered by position, overlaps kept once
    (``allowed``: only these patterns, for measuring which markers carry over)."""
    if allowed is None:
        return list(_all_markers(text))
    return _markers(text, allowed)


@lru_cache(maxsize=4096)
def _all_markers(text: str) -> tuple[Marker, ...]:
    """Every pattern's markers, kept per text: the composer checks the same sentences on each keystroke,
    for each target channel and each tone rule, and a sentence costs a pass of every pattern."""
    return tuple(_markers(text, None))


def _markers(text: str, allowed: frozenset[int] | None) -> list[Marker]:
    found = []
    for i, (kind, rx) in enumerate(patterns()):
        if allowed is None or i in allowed:
            found += [Marker(kind, i, m.start(), m.end(), m.group(0).strip()) for m in rx.finditer(text)]
    found.sort(key=lambda m: (m.start, -m.end))
    out: list[Marker] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
