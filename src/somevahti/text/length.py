"""How platforms count length: X's weighted characters, Bluesky's graphemes, Mastodon's URLs, bytes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex

from somevahti.text.urls import find_urls

_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
# X (twitter-text v3): these code point ranges weigh 1, everything else 2; URLs 23; emoji 2.
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
X_URL_LENGTH = 23
MASTODON_URL_LENGTH = 23


def _light(cp: int) -> bool:
    return any(a <= cp <= b for a, b in _LIGHT)


# Text in which every code point is a grapheme of its own: no CR (CR LF is one), no combining marks
# (they start at U+0300), no joiners, variation selectors or emoji; Latin script and the common
# punctuation (dashes, quotes, ellipsis). Finnish and Swedish posts are nearly always all of it, and
# for them the grapheme segmentation (a match object per character) costs more than the rest of a check.
_ONE_POINT_GRAPHEMES = re.compile(r"[\x00-\x0c\x0e-\u02ff\u2010-\u2027\u2030-\u205e]*")


def _graphemes(segment: str):
    """(start, end, grapheme) of each grapheme cluster of ``segment``."""
    if _ONE_POINT_GRAPHEMES.fullmatch(segment):
        return ((i, i + 1, ch) for i, ch in enumerate(segment))
    return ((m.start(), m.end(), m.group(0)) for m in regex.finditer(r"\X", segment))


def _weighted_units(text: str, url_weight: int | None, grapheme_weight) -> list[tuple[int, int, int]]:
    """(start, end, weight) per counting unit; URLs are one unit when url_weight is given."""
    units, pos = [], 0
    urls = find_urls(text) if url_weight is not None else []
    for url in [*urls, None]:
        stop = url.start if url else len(text)
        units += [(pos + a, pos + b, grapheme_weight(g)) for a, b, g in _graphemes(text[pos:stop])]
        if url:
            units.append((url.start, url.end, url_weight))
            pos = url.end
    return units


def _x_weight(g: str) -> int:
    if _EMOJI.search(g):
        return 2
    return sum(1 if _light(ord(ch)) else 2 for ch in g)


# The counting units of the last texts: a check counts the same text for the rule and the preview of
# each target account, and the composer's live check sends the unchanged language versions again.
# Tuples, so that no caller can change what another is given.
@lru_cache(maxsize=64)
def x_units(text):
    return tuple(_weighted_units(unicodedata.normalize("NFC", text), X_URL_LENGTH, _x_weight))


@lru_cache(maxsize=64)
def grapheme_units(text):
    return tuple(_weighted_units(text, None, lambda g: 1))


@lru_cache(maxsize=64)
def mastodon_units(text):
    return tuple(_weighted_units(text, MASTODON_URL_LENGTH, len))


def char_units(text):
    return [(i, i + 1, 1) for i in range(len(text))]


def utf8_units(text):
    return [(i, i + 1, len(ch.encode("utf-8"))) for i, ch in enumerate(text)]


def measure(units) -> int:
    return sum(w for _, _, w in units)


def overflow_at(units, limit: int) -> int | None:
    """The character offset from which the text no longer fits, or None when it fits."""
    total = 0
    for start, _, weight in units:
        total += weight
        if total > limit:
            return start
    return None
