"""Base forms for search: Voikko lemmas and compound parts (Finnish), hunspell stems (Swedish).

Indexing stores them beside the text so that an inflected query ("kirjastossa") finds the base
form ("kirjasto") and vice versa. Without the dictionaries the word itself is used, so search
still finds exact words.
"""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import chain

from somevahti.text.tokens import WORD_RE


@cache
def _finnish():
    from somevahti.text import finnish

    return finnish if finnish.available() else None


@cache
def _swedish():
    from somevahti.text import swedish

    return swedish if swedish.available() else None


@lru_cache(maxsize=200_000)
def word_forms(word: str, lang: str) -> tuple[str, ...]:
    """The lower-cased word and its base forms in ``lang`` ('' means Finnish and Swedish)."""
    forms = {word.casefold()}
    if not any(ch.isalpha() for ch in word):
        return tuple(forms)
    fi = _finnish() if lang in ("fi", "") else None
    sv = _swedish() if lang in ("sv", "") else None
    if fi is not None:
        forms |= fi.lemmas(word) | fi.compound_parts(word)
    if sv is not None:
        forms |= sv.stems(word)
    # Voikko also names derivational suffixes as parts ("+us", "+a"): as search terms they would
    # match nearly every text, so only real words are kept
    return tuple(sorted(f for f in forms if len(f) > 1 and f[0].isalnum()))


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def stems_of(text: str, lang: str) -> str:
    """Space-separated base forms of every word in the text (each once)."""
    return " ".join(dict.fromkeys(chain.from_iterable(word_forms(w, lang) for w in words(text))))
