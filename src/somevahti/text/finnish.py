"""Finnish morphology and spelling through Voikko (Debian libvoikko1 + voikko-fi).

Every function caches per word form, so checking many posts costs one analysis per distinct
word. Voikko is not thread-safe: calls are serialised with a lock.
"""

from __future__ import annotations

import re
import threading
from functools import cache, lru_cache
from typing import NamedTuple

import libvoikko

_LOCK = threading.Lock()
_WORDBASE = re.compile(r"\(([^)]+)\)")


class Analysis(NamedTuple):
    baseform: str
    word_class: str  # Voikko CLASS: nimisana, teonsana, laatusana, etunimi, sukunimi, paikannimi, ...
    parts: tuple[str, ...]  # base forms of compound parts; one element for a simple word
    case: str = ""
    number: str = ""


@cache
def _voikko() -> libvoikko.Voikko:
    v = libvoikko.Voikko("fi")
    v.setIgnoreDot(True)
    v.setAcceptUnfinishedParagraphsInGc(True)
    return v


def available() -> bool:
    try:
        _voikko()
        return True
    except Exception:  # noqa: BLE001 - a missing dictionary makes Finnish tools unavailable, not a crash
        return False


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[Analysis, ...]:
    with _LOCK:
        raw = _voikko().analyze(word)
    out = []
    for a in raw:
        base = (a.get("BASEFORM") or word).lower()
        bases = a.get("WORDBASES", "")
        parts = tuple(_WORDBASE.findall(bases.lower())) if "(" in bases else ()
        out.append(
            Analysis(base, a.get("CLASS", ""), parts or (base,), a.get("SIJAMUOTO", ""), a.get("NUMBER", ""))
        )
    return tuple(out)


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """Base forms of a word; the lower-cased word itself when Voikko does not know it."""
    found = {a.baseform for a in analyse(word)}
    return frozenset(found or {word.lower()})


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> frozenset[str]:
    """Base forms of every compound part ("kaupunginvaltuustolle" → kaupunki, valtuusto)."""
    return frozenset(p for a in analyse(word) for p in a.parts)


@lru_cache(maxsize=200_000)
def spell(word: str) -> bool:
    with _LOCK:
        return bool(_voikko().spell(word))


@lru_cache(maxsize=20_000)
def suggest(word: str) -> tuple[str, ...]:
    with _LOCK:
        return tuple(_voikko().suggest(word)[:5])


def is_proper_name(word: str) -> bool:
    return any(a.word_class in {"etunimi", "sukunimi", "paikannimi", "nimi"} for a in analyse(word))


def grammar_errors(text: str) -> list[dict]:
    """Voikko's grammar checker: [{start, length, description, suggestions}]."""
    with _LOCK:
        errs = _voikko().grammarErrors(text, "fi")
    return [
        {
            "start": e.startPos,
            "length": e.errorLen,
            "code": e.errorCode,
            "description": e.shortDescription,
            "suggestions": list(e.suggestions),
        }
        for e in errs
    ]
