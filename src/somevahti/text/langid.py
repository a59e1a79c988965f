"""Language identification with lingua, restricted to the languages a pack uses.

Detectors are built once per set of languages (models preloaded); results are cached per text,
so the rule families that ask about the same text (language, spelling, parity) pay once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from lingua import IsoCode639_1, LanguageDetectorBuilder

from somevahti.text import finnish, swedish
from somevahti.text.prose import blank_non_prose
from somevahti.text.tokens import sentences

MAX_CHARS = 2000


@cache
def _detector(codes: tuple[str, ...]):
    languages = [IsoCode639_1.from_str(c) for c in codes]
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*languages).with_preloaded_language_models().build()


def _codes(candidates) -> tuple[str, ...]:
    return tuple(sorted({c for c in candidates if supported(c)}))


@cache
def supported(code: str) -> bool:
    try:
        IsoCode639_1.from_str(code)
    except ValueError:
        return False
    return True


def detect(text: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The most likely of ``candidates`` (ISO 639-1 codes), or None when the text has no letters."""
    if not any(ch.isalpha() for ch in text):
        return None
    codes = _codes(candidates)
    if len(codes) <= 1:
        return codes[0] if codes else None
    return _detect_cached(text[:MAX_CHARS], codes)


@lru_cache(maxsize=20_000)
def _detect_cached(text: str, codes: tuple[str, ...]) -> str | None:
    lang = _detector(codes).detect_language_of(text)
    return lang.iso_code_639_1.name.lower() if lang else None


def confidences(text: str, candidates) -> dict[str, float]:
    """Each candidate language's confidence (0–1, summing to 1), highest first."""
    codes = _codes(candidates)
    if len(codes) <= 1:
        return {codes[0]: 1.0} if codes else {}
    return dict(_confidences_cached(text[:MAX_CHARS], codes))


@lru_cache(maxsize=50_000)
def _confidences_cached(text: str, codes: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    return tuple(
        (v.language.iso_code_639_1.name.lower(), v.value)
        for v in _detector(codes).compute_language_confidence_values(text)
    )


_LOWER_WORD = re.compile(r"(?<![\w-])[^\W\d_A-ZÅÄÖ]{3,}(?![\w-])")


@lru_cache(maxsize=50_000)
def word_votes(text: str) -> dict[str, int]:
    """How many lower-case words only Voikko (fi) or only hunspell (sv) accepts: words cached per form."""
    votes = {"fi": 0, "sv": 0}
    if not (finnish.available() and swedish.available()):
        return votes
    for m in _LOWER_WORD.finditer(text):
        fi, sv = finnish.spell(m.group(0)), swedish.spell(m.group(0))
        if fi != sv:
            votes["fi" if fi else "sv"] += 1
    return votes


def clearly(text: str, lang: str) -> bool:
    """Whether the words alone make ``text`` Finnish or Swedish beyond doubt (saves asking lingua).

    Only ever confirms: at least three words only ``lang``'s speller knows, and four times as many as
    words only the other one knows. A "no" means "ask lingua", never "it is something else".
    """
    if lang not in ("fi", "sv"):
        return False
    votes = word_votes(text)
    own, other = votes[lang], votes["sv" if lang == "fi" else "fi"]
    return own >= 3 and own >= 4 * other


_WORD = re.compile(r"[^\W\d_]+(?:[-:'’][^\W\d_]+)*")


def finnish_by_voikko(text: str, min_words: int = 5, share: float = 0.75) -> bool:
    """Whether Voikko knows three quarters of at least five words of ``text``: Finnish without
    asking lingua. Only ever confirms; Swedish and English comments stay below half (measured on
    the triage fixtures and neutral comments: at most 43 %). The analyses are cached per word, so
    a Finnish text pays nothing its later Finnish processing would not."""
    words = _WORD.findall(text[:MAX_CHARS])
    if len(words) < min_words or not finnish.available():
        return False
    known = sum(map(bool, map(finnish.analyse, words)))
    return known >= share * len(words)


def letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def best(text: str, candidates) -> tuple[str | None, float]:
    """(language, confidence) of the prose in ``text`` (URLs, hashtags, mentions ignored)."""
    prose = blank_non_prose(text)
    if not letters(prose):
        return None, 0.0
    conf = confidences(prose, candidates)
    if not conf:
        return None, 0.0
    lang = max(conf, key=conf.get)
    return lang, conf[lang]


_SEPARATOR = re.compile(r"\s[|/]\s")


def _pieces(text: str) -> list[tuple[int, int]]:
    """Sentences, also cut at " | " and " / " (the way a title or a line joins two languages)."""
    out = []
    for start, end in sentences(text):
        for m in _SEPARATOR.finditer(text, start, end):
            out.append((start, m.start()))
            start = m.end()
        out.append((start, end))
    return out


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    lang: str | None  # None: too short or too uncertain to tell
    confidence: float = 0.0


def segments(
    text: str, candidates, min_letters: int = 10, min_confidence: float = 0.7, default: str | None = None
) -> list[Segment]:
    """The text cut into sentences, each with its language when it is long and clear enough.

    A bilingual text ("Tervetuloa! … / Välkommen! …") comes out as runs of Finnish and Swedish
    sentences; a sentence too short to tell (a greeting, a signature) takes ``default`` when given
    (the language a field claims), else the language of the sentence before it (or after it, at the
    start). Sentences are merged into runs of one language.
    """
    return list(_segments_cached(text, _codes(candidates), min_letters, min_confidence, default))


@lru_cache(maxsize=20_000)
def _segments_cached(text, codes, min_letters, min_confidence, default) -> tuple[Segment, ...]:
    prose = blank_non_prose(text)
    raw: list[Segment] = []
    for start, end in _pieces(prose):
        part = prose[start:end]
        lang, conf = None, 0.0
        if letters(part) >= min_letters:
            sure = next((c for c in codes if clearly(part, c)), None)
            if sure or len(codes) <= 1:
                lang, conf = sure or (codes[0] if codes else None), 1.0
            else:
                lang, conf = best(part, codes)
            if conf < min_confidence:
                lang = None
        raw.append(Segment(start, end, lang, conf))
    # Unknown sentences inherit from a neighbour, then runs of one language merge.
    known = [s.lang for s in raw if s.lang]
    last = known[0] if known else None
    filled = []
    for s in raw:
        last = s.lang or last
        filled.append(Segment(s.start, s.end, s.lang or default or last, s.confidence))
    merged: list[Segment] = []
    for s in filled:
        if merged and merged[-1].lang == s.lang:
            prev = merged[-1]
            merged[-1] = Segment(prev.start, s.end, s.lang, max(prev.confidence, s.confidence))
        else:
            merged.append(s)
    return tuple(merged)
