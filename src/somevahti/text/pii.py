"""Personal data in a text, found with Presidio's analyzer and validated with python-stdnum.

One :class:`presidio_analyzer.AnalyzerEngine` per process holds only the recognizers somevahti
needs, for Finnish, Swedish and English texts alike (a Swedish-language post in Finland can carry
a Finnish identity code):

- ``FI_PERSONAL_IDENTITY_CODE``: Presidio's Finnish recognizer (off by default in Presidio), its
  check replaced by ``stdnum.fi.hetu`` (every century sign of 2023, temporary codes too);
- ``SE_PERSONNUMMER``: Presidio's Swedish recognizer, checked with ``stdnum.se.personnummer``;
  samordningsnummer (day + 60) with stdnum's date and Luhn checks. Ten bare digits are ambiguous
  (a phone number can pass the Luhn check): they count only next to a context word;
- ``PHONE_NUMBER``: ``phonenumbers`` matching valid numbers in the FI and SE regions;
- ``EMAIL_ADDRESS``: Presidio's pattern, its domain checked by tldextract's bundled suffix list
  (never fetched from the network);
- ``IBAN_CODE``: Presidio's pattern, checked with ``stdnum.iban``;
- ``STREET_ADDRESS``: Finnish and Swedish street names with a house number ("Kirkkotie 5 B 12",
  "Storgatan 12 lgh 1101", with a postcode "02400 Kirkkonummi");
- ``PERSON``: the Finnish spaCy NER (see :mod:`somevahti.text.ner`), two or more capitalised words
  of which one is a name or unknown to Voikko. Swedish has no offline spaCy model, so a heuristic
  stands in: a first name Voikko knows followed by a capitalised word that is a surname or no
  dictionary word ("Anna Lindström"); it misses names Voikko does not list. English: no names.

:func:`analyse` runs the analyzer once per distinct text (cached), and only for the entities whose
cheap pre-screen the text passes (a phone-like run of digits, an "@" between words, a pair of
name-like words...): most posts have dates and times but no identifier, and skip Presidio.
"""

from __future__ import annotations

import os

# tldextract reads this when it is first imported (Presidio's e-mail recognizer imports it):
# an empty value keeps its module-level extractor off the network too.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import re  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from functools import cache, lru_cache  # noqa: E402

import phonenumbers  # noqa: E402
import tldextract  # noqa: E402
from presidio_analyzer import (  # noqa: E402
    AnalysisExplanation,
    AnalyzerEngine,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    EmailRecognizer,
    FiPersonalIdentityCodeRecognizer,
    IbanRecognizer,
    SePersonnummerRecognizer,
    SpacyRecognizer,
)
from stdnum import iban, luhn  # noqa: E402
from stdnum.exceptions import ValidationError  # noqa: E402
from stdnum.fi import hetu  # noqa: E402
from stdnum.se import personnummer  # noqa: E402

from somevahti.text import finnish, ner  # noqa: E402

LANGUAGES = ner.LANGUAGES

# somevahti's entity names (rule variants) → Presidio's entity types
ENTITIES: dict[str, tuple[str, ...]] = {
    "identity_code": ("FI_PERSONAL_IDENTITY_CODE", "SE_PERSONNUMMER"),
    "phone": ("PHONE_NUMBER",),
    "email": ("EMAIL_ADDRESS",),
    "iban": ("IBAN_CODE",),
    "address": ("STREET_ADDRESS",),
    "person": ("PERSON",),
}
ENTITY_OF = {p: ours for ours, presidio in ENTITIES.items() for p in presidio}


@dataclass(frozen=True)
class Found:
    entity: str  # identity_code, phone, email, iban, address, person
    start: int
    end: int
    score: float
    text: str


def _result(recognizer: LocalRecognizer, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    return RecognizerResult(
        entity,
        start,
        end,
        score,
        analysis_explanation=AnalysisExplanation(recognizer.name, score),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


class HetuRecognizer(FiPersonalIdentityCodeRecognizer):
    CONTEXT = [*FiPersonalIdentityCodeRecognizer.CONTEXT, "henkilötunnu", "sotu", "personbeteckning"]

    def validate_result(self, pattern_text: str) -> bool:
        return hetu.is_valid(pattern_text, allow_temporary=True)


def personnummer_valid(raw: str) -> bool:
    """A personnummer or a samordningsnummer (the day plus 60), by python-stdnum's checks."""
    if personnummer.is_valid(raw):
        return True
    number = personnummer.compact(raw)
    if len(number) not in (11, 13) or not 61 <= int(number[-7:-5] or 0) <= 91:
        return False
    birth = number[:-7] + f"{int(number[-7:-5]) - 60:02d}" + number[-5:]
    try:
        personnummer.get_birth_date(birth)
    except (ValidationError, ValueError):
        return False
    return luhn.is_valid((number[:-5] + number[-4:])[-10:])


class PersonnummerRecognizer(SePersonnummerRecognizer):
    PATTERNS = [
        Pattern("personnummer with separator", r"(?<![\d-])(?:\d{2})?\d{6}[-+]\d{4}\b", 0.5),
        Pattern("personnummer, 12 digits", r"(?<![\d-])(?:19|20)\d{10}\b", 0.5),
        Pattern("personnummer, 10 bare digits", r"(?<![\d-])\d{10}\b", 0.2),
    ]
    CONTEXT = ["personnum", "samordningsnum", "personbeteckning", "henkilötunnu"]

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = pattern_text.replace("-", "").replace("+", "")
        form = pattern_text if not pattern_text.isdigit() else (f"{digits[:-4]}-{digits[-4:]}")
        if not personnummer_valid(form):
            return False
        # Ten bare digits may as well be a phone number: keep the low score, context decides.
        return None if pattern_text.isdigit() and len(pattern_text) == 10 else True


PHONE_CANDIDATE = re.compile(r"(?<![\w.,])(?:\+|0)\d(?:[ \-–()/]{0,2}\d){5,}")
# Nobody writes a phone number as six digits, a separator and four more: that is an identity code's shape.
_ID_CODE_SHAPE = re.compile(r"(?:\d{2})?\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", re.IGNORECASE)


class NordicPhoneRecognizer(LocalRecognizer):
    """Phone numbers valid in Finland or Sweden (and international numbers with a +)."""

    REGIONS = ("FI", "SE")
    SCORE = 0.7
    CONTEXT = ["puh", "puhelin", "soita", "numero", "tel", "ring", "telefon", "mobil", "phone", "call"]

    def __init__(self, supported_language: str):
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            supported_language=supported_language,
            context=self.CONTEXT,
            name=f"NordicPhoneRecognizer_{supported_language}",
        )

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        seen: dict[tuple[int, int], RecognizerResult] = {}
        candidates = [c.span() for c in PHONE_CANDIDATE.finditer(text)]
        for region in self.REGIONS:
            if not candidates:
                break
            for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                if _ID_CODE_SHAPE.fullmatch(m.raw_string):
                    continue  # written as an identity code (with a wrong checksum, or it would be one)
                seen.setdefault((m.start, m.end), _result(self, "PHONE_NUMBER", m.start, m.end, self.SCORE))
            # the next region only for what this one did not recognise
            candidates = [(a, b) for a, b in candidates if not any(s <= a < e for s, e in seen)]
        return list(seen.values())


@cache
def _offline_tlds() -> tldextract.TLDExtract:
    """tldextract with its bundled public suffix snapshot: no fetch, no cache on disk."""
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class OfflineEmailRecognizer(EmailRecognizer):
    CONTEXT = ["email", "sähköpost", "e-post", "mail", "posti"]

    def validate_result(self, pattern_text: str) -> bool:
        return _offline_tlds()(pattern_text.rsplit("@", 1)[-1]).top_domain_under_public_suffix != ""


class StdnumIbanRecognizer(IbanRecognizer):
    CONTEXT = ["iban", "tili", "konto", "bank", "pankki"]

    def validate_result(self, pattern_text: str) -> bool:
        return iban.is_valid(pattern_text)


_UPPER = "A-ZÅÄÖÜ"
_LOWER = "a-zåäöüéè"
_FI_STREET = (
    "tie|katu|kuja|polku|tori|väylä|raitti|rinne|kaari|aukio|tanhua|kulma|ranta|bulevardi|"
    "esplanadi|kaarre|kierros|portti|lenkki|mutka|laita|puistikko"
)
_SV_STREET = (
    "gatan|gata|vägen|väg|gränd|stigen|backen|torget|allén|allé|leden|stråket|slingan|kroken|"
    "svängen|esplanaden|kajen|platsen|gången"
)
_PREFIX = "(?:(?:Vanha|Uusi|Pieni|Iso|Gamla|Nya|Lilla|Stora|Norra|Södra|Östra|Västra) )?"
_STREET = (
    rf"(?<![\w#@]){_PREFIX}[{_UPPER}][{_LOWER}]*(?:-[{_UPPER}{_LOWER}]+)*(?:{_FI_STREET}|{_SV_STREET})"
    # a house number (not a year, a date, a time or a range of numbers such as "5–15")
    r" \d{1,3}(?![\d.,:]\d)(?!\s?[-–]\s?\d)[a-z]?\b"
)
_FLAT = rf"(?: [{_UPPER}](?: ?\d{{1,3}})?\b| (?:as\.?|bst\.?|lgh\.?|lägenhet) ?\d{{1,4}}\b)"
_POSTCODE = rf"(?:,? (?:\d{{5}}|\d{{3}} \d{{2}}) [{_UPPER}][{_LOWER}-]+)"

# Cheap searches that every text must pass before a recognizer for that entity runs at all:
# most posts carry dates and times but no identifier, and then Presidio is not called.
PRESCREEN = {
    "identity_code": re.compile(r"\d{6}(?:[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y]|\d{4}(?!\d))"),
    "phone": PHONE_CANDIDATE,
    "email": re.compile(r"\w@[\w-]+\.\w"),
    "iban": re.compile(r"[A-Z]{2}\d\d ?[A-Z0-9]{4}", re.IGNORECASE),
    "address": re.compile(rf"(?:{_FI_STREET}|{_SV_STREET}) \d"),
}
_WITH_FLAT = re.compile(_STREET + _FLAT)


def has_flat(address: str) -> bool:
    """Does the address name a staircase or a flat ("5 B 12", "lgh 1101")? Then it is a home."""
    return bool(_WITH_FLAT.match(address))


class StreetAddressRecognizer(PatternRecognizer):
    """A street name with a house number; with a flat or a postcode it is surely an address."""

    PATTERNS = [
        Pattern("street and number", _STREET, 0.5),
        Pattern(
            "street, number and flat or postcode", _STREET + f"(?:{_FLAT}{_POSTCODE}?|{_POSTCODE})", 0.75
        ),
    ]
    CONTEXT = ["osoit", "asu", "koti", "adress", "bor", "bostad", "hem", "address", "lives"]

    def __init__(self, supported_language: str):
        super().__init__(
            supported_entity="STREET_ADDRESS",
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=re.MULTILINE,
            name=f"StreetAddressRecognizer_{supported_language}",
        )


class SwedishNameRecognizer(LocalRecognizer):
    """Swedish has no offline NER model here: a first name Voikko knows (its lexicon holds the
    Swedish first names common in Finland) followed by a capitalised surname or non-word."""

    SCORE = 0.6

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], supported_language="sv", name="SwedishNameRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        out = []
        for first, last in ner.name_pairs(text, "sv"):
            if any(a.word_class == "etunimi" for a in finnish.analyse(first.text)) and ner.is_name_word(
                last.text, "sv"
            ):
                out.append(_result(self, "PERSON", first.start, last.end, self.SCORE))
        return out


def _recognizers() -> list:
    out: list = [
        SpacyRecognizer(supported_language="fi", supported_entities=["PERSON"]),
        SwedishNameRecognizer(),
    ]
    for lang in LANGUAGES:
        out += [
            HetuRecognizer(supported_language=lang),
            PersonnummerRecognizer(supported_language=lang),
            NordicPhoneRecognizer(lang),
            OfflineEmailRecognizer(supported_language=lang),
            StdnumIbanRecognizer(supported_language=lang),
            StreetAddressRecognizer(lang),
        ]
    return out


@cache
def analyzer() -> AnalyzerEngine:
    """The process's analyzer: somevahti's recognizers only, over :class:`ner.PostNlpEngine`."""
    registry = RecognizerRegistry(recognizers=_recognizers(), supported_languages=list(LANGUAGES))
    return AnalyzerEngine(registry=registry, nlp_engine=ner.engine(), supported_languages=list(LANGUAGES))


def _person_span(text: str, start: int, end: int, lang: str) -> tuple[int, int] | None:
    """The capitalised words of a PERSON entity; None unless two or more, one of them name-like."""
    words = [m for m in re.finditer(r"[\w'’-]+", text[start:end]) if m.group()[:1].isupper()]
    if len(words) < 2 or not any(ner.is_name_word(m.group(), lang) for m in words):
        return None
    return start + words[0].start(), start + words[-1].end()


def _no_overlaps(found: list[Found]) -> list[Found]:
    """Where two findings overlap keep the surer (then the longer) one: a valid personnummer is not
    also a phone number."""
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (-f.score, f.start - f.end, f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end))


@lru_cache(maxsize=4096)
def analyse(text: str, lang: str, entities: frozenset[str], use_ner: bool = True) -> tuple[Found, ...]:
    """Personal data in ``text`` (a text in ``lang``), for the given somevahti entity names.

    ``person`` is looked for only with ``use_ner``. Results carry Presidio's scores; the caller
    applies its threshold. Cached per (text, language, entities, use_ner).
    """
    lang = lang if lang in LANGUAGES else "fi"
    wanted = {e for e in entities if e not in PRESCREEN or PRESCREEN[e].search(text)}
    if not use_ner:
        wanted.discard("person")
    run_ner = False
    if "person" in wanted:
        if ner.looks_like_person(text, lang) and lang in ("fi", "sv"):
            run_ner = lang == "fi"
        else:
            wanted.discard("person")
    if not wanted:
        return ()
    artifacts = ner.engine().process_text(text, lang, ner=run_ner)
    results = analyzer().analyze(
        text,
        language=lang,
        entities=[p for e in wanted for p in ENTITIES[e]],
        nlp_artifacts=artifacts,
        score_threshold=0.01,
    )
    found = []
    for r in results:
        entity = ENTITY_OF[r.entity_type]
        start, end = r.start, r.end
        if entity == "person":
            span = _person_span(text, start, end, lang)
            if span is None:
                continue
            start, end = span
        found.append(Found(entity, start, end, round(r.score, 3), text[start:end]))
    return tuple(_no_overlaps(found))
