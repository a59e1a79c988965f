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
