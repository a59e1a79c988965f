"""Language identification with lingua, restricted to the languages a pack uses."""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, LanguageDetectorBuilder


@cache
def _detector(codes: tuple[str, ...]):
    languages = [IsoCode639_1.from_str(c) for c in codes]
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*languages).with_preloaded_language_models().build()


def detect(text: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The most likely of ``candidates`` (ISO 639-1 codes), or None when the text has no letters."""
    if not any(ch.isalpha() for ch in text):
        return None
    codes = tuple(sorted(set(candidates)))
    if len(codes) == 1:
        return codes[0]
    detector = _detector(codes)
    lang = detector.detect_language_of(text[:2000])
    return lang.iso_code_639_1.name.lower() if lang else None


def confidences(text: str, candidates) -> dict[str, float]:
    codes = tuple(sorted(set(candidates)))
    detector = _detector(codes)
    if detector is None:
        return {codes[0]: 1.0} if codes else {}
    return {v.language.iso_code_639_1.name.lower(): v.value
            for v in detector.compute_language_confidence_values(text[:2000])}
