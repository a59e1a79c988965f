"""Swedish stems and spelling through hunspell (Debian hunspell-sv), cached per word form."""

from __future__ import annotations

import threading
from functools import cache, lru_cache
from pathlib import Path

import hunspell

DICT_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"))
_LOCK = threading.Lock()


@cache
def _speller(locale: str = "sv_SE"):
    for d in DICT_DIRS:
        dic, aff = d / f"{locale}.dic", d / f"{locale}.aff"
        if dic.exists() and aff.exists():
            return hunspell.HunSpell(str(dic), str(aff))
    raise RuntimeError(f"hunspell dictionary {locale} not found: install Debian's hunspell-sv")


def available() -> bool:
    try:
        _speller()
        return True
    except RuntimeError:
        return False


def _dec(b) -> str:
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


@lru_cache(maxsize=200_000)
def stems(word: str) -> frozenset[str]:
    """Stems of a word form; the lower-cased word itself when hunspell has none."""
    with _LOCK:
        found = {_dec(s).lower() for s in _speller().stem(word)}
    return frozenset(found or {word.lower()})


@lru_cache(maxsize=200_000)
def spell(word: str) -> bool:
    with _LOCK:
        return bool(_speller().spell(word))


@lru_cache(maxsize=20_000)
def suggest(word: str) -> tuple[str, ...]:
    with _LOCK:
        return tuple(_dec(s) for s in _speller().suggest(word)[:5])


_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäöé"


def common_words() -> dict[str, float]:
    """wordfreq's Swedish words and their frequencies (loaded once per process, about 0.5 s)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("sv")


@lru_cache(maxsize=20_000)
def near(word: str) -> tuple[str, ...]:
    """Common Swedish words one edit away that hunspell accepts, commonest first.

    A fast stand-in for :func:`suggest` (hunspell's own suggestions take 0.1–0.6 s per word):
    the candidates are looked up in wordfreq's Swedish list, then confirmed by hunspell.
    """
    low = word.lower()
    splits = [(low[:i], low[i:]) for i in range(len(low) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    edits |= {a + c + b for a, b in splits for c in _ALPHABET}
    edits.discard(low)
    common = common_words()
    found = sorted((w for w in edits if w in common and spell(w)), key=lambda w: -common[w])
    return tuple((w[:1].upper() + w[1:]) if word[:1].isupper() else w for w in found[:5])
