"""Dates, times, numbers, URLs and e-mail addresses in fi/sv/en text, normalised for comparison.

Finnish, Swedish and English write the same facts differently; each item gets a canonical value
so that language versions of one post can be compared (bilingual parity, KIRK-5.3):

- dates → endpoints ``(day, month, year or None)``: "12.5.–16.5.", "12.5–16.5", "12.–16.5.",
  "12.–16. toukokuuta", "12–16 maj", "May 12", "2026-05-12", "12/5" (a range yields both ends;
  "ma 12.5." and "mån 12.5" are the same date — weekday words are ignored)
- times → minutes after midnight: "klo 18", "kl. 18", "kello 18.30", "kl 18:30", "klockan 18–20",
  "18.00", "6.30 pm"; a clock word carries over a range and a list ("klo 10–12 ja 14–16")
- numbers → Decimal: "1 000", "1000", "5,50", "5.50 €" (thousands separated by spaces, decimal
  comma or point); phone numbers as one number ("+358 40 123 4567" = "040 123 4567")
- URLs → host without "www." + path without a trailing slash or a language segment (/fi/, /sv/)
- e-mail addresses → lower case

Numbers in words ("kaksi", "två") and ordinals written out are out of scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from somevahti.text.prose import MENTION_RE, urls_in
from somevahti.text.urls import EMAIL_RE, find_hashtags

KINDS = ("dates", "times", "numbers", "urls", "emails")

# Weekday and month abbreviations: not numbers, and not typos either (the spelling family skips them).
DATE_WORDS = {
    "fi": frozenset("ma ti ke to pe la su ma-pe ma–pe ti-pe ma-to ma-su la-su arki arkisin".split()),
    "sv": frozenset(
        "mån tis ons tor tors fre lör sön mån-fre mån–fre jan feb apr aug sep sept okt nov dec".split()
    ),
    "en": frozenset(
        "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct nov dec".split()
    ),
}

_FI_MONTH_STEMS = (
    "tammi",
    "helmi",
    "maalis",
    "huhti",
    "touko",
    "kesä",
    "heinä",
    "elo",
    "syys",
    "loka",
    "marras",
    "joulu",
)
_MONTH_WORDS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "mars": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "augusti": 8,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_ABBREVIATIONS = (
    "sept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "oct",
    "nov",
    "dec",
)
_MONTH = (
    r"(?P<month>(?:(?:"
    + "|".join(_FI_MONTH_STEMS)
    + r")kuu\w*|"
    + "|".join(sorted(set(_MONTH_WORDS) - set(_MONTH_ABBREVIATIONS), key=len, reverse=True))
    + r")(?!\w)|(?:"
    + "|".join(_MONTH_ABBREVIATIONS)
    + r")\.?(?!\w))"
)
_DASH = r"\s*[-–—‑]\s*"
_AND = r"\s*(?:,|ja|sekä|tai|och|eller|samt|and|or|&)\s*"
_DAY_SUFFIX = r"(?:\.|:[ae]|st|nd|rd|th)?"
_UNIT = (
    r"\s*(?:%|€|\$|£|e\b|eur|euro|kr\b|sek\b|km\b|m\b|m²|cm\b|mm\b|kg\b|g\b|l\b|dl\b|h\b|"
    r"min\b|milj|mrd|prosent|procent|percent)"
)

_ISO_DATE = re.compile(r"(?<![\d.,:/-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_TEXT_DATE = re.compile(
    r"(?<![\d.,:/])(?P<days>\d{1,2}"
    + _DAY_SUFFIX
    + r"(?:(?:"
    + _DASH
    + "|"
    + _AND
    + r")\d{1,2}"
    + _DAY_SUFFIX
    + r"){0,6})\s+(?:of\s+)?"
    + _MONTH
    + r"(?:\s*,?\s*(?P<year>\d{4})(?!\d))?",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    r"\b(?P<month>"
    + "|".join(sorted({k.capitalize() for k in _MONTH_WORDS if k.isascii()}, key=len, reverse=True))
    + r")\.?\s+(?P<days>\d{1,2}"
    + _DAY_SUFFIX
    + r"(?:"
    + _DASH
    + r"\d{1,2}"
    + _DAY_SUFFIX
    + r")?)(?!\d)"
    + r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
)
_NUM_DATE = re.compile(
    r"(?<![\d.,:/])(?P<pre>(?:\d{1,2}\.?(?:" + _DASH + r"|\s+(?:ja|och|and|&)\s+)){0,6})"
    r"(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?:(?P<dot>\.)(?P<y>\d{4})?)?(?!\d|,\d|\.\d)",
    re.IGNORECASE,
)
_DAY_NUMBER = re.compile(r"\d{1,2}")

_MARKER = re.compile(r"\b(?:klo|kello|kl|klockan)\b\.?\s*", re.IGNORECASE)
_CLOCK = re.compile(r"(?P<h>\d{1,2})(?:[.:](?P<mi>\d{2}))?(?!\d|[.,]\d)")
_DASH_RE = re.compile(_DASH)
_AND_RE = re.compile(_AND + r"(?:(?:klo|kello|kl|klockan)\b\.?\s*)?", re.IGNORECASE)
_COLON_TIME = re.compile(r"(?<![\d:.,])(?P<h>\d{1,2}):(?P<mi>\d{2})(?![\d:])")
_DOT_TIME = re.compile(r"(?<![\d.,:/])(?P<h>\d{1,2})\.(?P<mi>\d{2})(?!\d|\.\d)")
_MERIDIEM = re.compile(
    r"(?<![\d.:,])(?:(?P<h0>\d{1,2})(?:[.:](?P<m0>\d{2}))?" + _DASH + r")?"
    r"(?P<h>\d{1,2})(?:[.:](?P<mi>\d{2}))?\s*(?P<ap>[ap])(?:\.\s?m\.|m\b)",
    re.IGNORECASE,
)
_HAS_MERIDIEM = re.compile(r"\d\s*[ap]\.?\s?m", re.IGNORECASE)
_UNIT_RE = re.compile(_UNIT, re.IGNORECASE)
_CURRENCY = ("€", "$", "£")

_PHONE = re.compile(r"(?<![\w+.,/])(?:\+\d{1,3}[ -]?|0)\d{1,3}(?:[ -]?\d{2,4}){2,4}(?![\w.,]?\d)")
_NUMBER = re.compile(r"(?<![\w.,:/])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+)(?:[,.]\d+)?(?!\w)")

_LANG_SEGMENTS = frozenset(
    {
        "fi",
        "sv",
        "en",
        "fi-fi",
        "sv-fi",
        "sv-se",
        "en-us",
        "en-gb",
        "suomi",
        "svenska",
        "english",
        "ruotsi",
        "ruotsiksi",
        "pa-svenska",
        "på-svenska",
    }
)
_LANG_PARAMS = frozenset({"lang", "language", "kieli", "språk", "sprak", "hl"})


@dataclass(frozen=True)
class Item:
    """One fact found in a text. ``values`` are canonical endpoints (a range has two)."""

    kind: str
    values: tuple
    text: str
    start: int
    end: int


def month_number(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for i, stem in enumerate(_FI_MONTH_STEMS, 1):
        if w.startswith(stem + "kuu"):
            return i
    return _MONTH_WORDS.get(w)


def normalise_url(url: str) -> str:
    target = url if "://" in url else "http://" + url
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
    except ValueError:
        return url.lower()
    host = host.removeprefix("www.")
    path = "/".join(s for s in parts.path.split("/") if s and s.lower() not in _LANG_SEGMENTS)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _LANG_PARAMS))
    return host + ("/" + path if path else "") + ("?" + query if query else "")


def _phone_value(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+"):
        for code in ("358", "46"):
            if digits.startswith(code):
                return "0" + digits[len(code) :]
    return digits


def _decimal(text: str) -> Decimal | None:
    raw = re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _valid_date(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _valid_time(h: int, mi: int) -> bool:
    return 0 <= h <= 24 and 0 <= mi <= 59


class _Scanner:
    """Finds items kind by kind; each found span is blanked so later kinds do not see it again."""

    def __init__(self, text: str):
        self.text = text
        self.work = list(text)
        self._masked: str | None = text
        self.items: list[Item] = []

    @property
    def masked(self) -> str:
        if self._masked is None:
            self._masked = "".join(self.work)
        return self._masked

    def take(self, kind: str, values: tuple, start: int, end: int) -> None:
        if any(self.work[i] != self.text[i] for i in range(start, end)):
            return  # part of something found already
        self.items.append(Item(kind, values, self.text[start:end].strip(), start, end))
        self.blank(start, end)

    def blank(self, start: int, end: int) -> None:
        self.work[start:end] = " " * (end - start)
        self._masked = None


def _clock_run(text: str, pos: int) -> tuple[list[int], int] | None:
    """Times after a clock word: "18", "18.30–20", "10–12 ja 14–16". (minutes list, end) or None."""
    values, end = [], pos
    while True:
        m = _CLOCK.match(text, pos)
        if not m:
            break
        h, mi = int(m.group("h")), int(m.group("mi") or 0)
        if not _valid_time(h, mi):
            break
        values.append(h * 60 + mi)
        end = pos = m.end()
        for joiner in (_DASH_RE, _AND_RE):
            j = joiner.match(text, pos)
            if j and _CLOCK.match(text, j.end()):
                pos = j.end()
                break
        else:
            break
    return (values, end) if values else None


def _scan_marked_times(s: _Scanner) -> None:
    text = s.masked
    for m in _MARKER.finditer(text):
        run = _clock_run(text, m.end())
        if run:
            s.take("times", tuple(run[0]), m.start(), run[1])


def _scan_dates(s: _Scanner) -> None:
    for m in _ISO_DATE.finditer(s.masked):
        y, mo, d = (int(g) for g in m.groups())
        if _valid_date(d, mo):
            s.take("dates", ((d, mo, y),), m.start(), m.end())
    for m in _TEXT_DATE.finditer(s.masked):
        month = month_number(m.group("month"))
        year = int(m.group("year")) if m.group("year") else None
        days = [int(d) for d in _DAY_NUMBER.findall(m.group("days"))]
        if month and all(_valid_date(d, month) for d in days):
            s.take("dates", tuple((d, month, year) for d in days), m.start(), m.end())
    for m in _MONTH_FIRST.finditer(s.masked):
        month = month_number(m.group("month"))
        year = int(m.group("year")) if m.group("year") else None
        days = [int(d) for d in _DAY_NUMBER.findall(m.group("days"))]
        if month and all(_valid_date(d, month) for d in days):
            s.take("dates", tuple((d, month, year) for d in days), m.start(), m.end())
    text = s.masked
    for m in _NUM_DATE.finditer(text):
        d, mo = int(m.group("d")), int(m.group("m"))
        if not _valid_date(d, mo) or m.group(0) == "24/7":  # round the clock, not 24 July
            continue
        if not m.group("dot") and _UNIT_RE.match(text, m.end()):
            continue  # "1.5 km", "5.10 €": a decimal number, not a date
        year = int(m.group("y")) if m.group("y") else None
        days = [int(x) for x in _DAY_NUMBER.findall(m.group("pre"))]
        if not all(_valid_date(x, mo) for x in days):
            continue
        s.take("dates", tuple((x, mo, year) for x in [*days, d]), m.start(), m.end())


def _scan_bare_times(s: _Scanner) -> None:
    for m in _MERIDIEM.finditer(s.masked) if _HAS_MERIDIEM.search(s.masked) else ():
        shift = 12 * 60 if m.group("ap").lower() == "p" else 0
        values = []
        for hg, mg in (("h0", "m0"), ("h", "mi")):
            if m.group(hg):
                h, mi = int(m.group(hg)) % 12, int(m.group(mg) or 0)
                values.append(h * 60 + mi + shift)
        s.take("times", tuple(values), m.start(), m.end())
    for pattern in (_COLON_TIME, _DOT_TIME):
        text = s.masked
        for m in pattern.finditer(text):
            h, mi = int(m.group("h")), int(m.group("mi"))
            if not _valid_time(h, mi) or (
                pattern is _DOT_TIME
                and (_UNIT_RE.match(text, m.end()) or text[max(0, m.start() - 1) : m.start()] in _CURRENCY)
            ):
                continue  # "5.50 €", "€5.50": money
            values, end = [h * 60 + mi], m.end()
            j = _DASH_RE.match(text, end)
            if j and (c := _CLOCK.match(text, j.end())):
                h2, m2 = int(c.group("h")), int(c.group("mi") or 0)
                if _valid_time(h2, m2):
                    values.append(h2 * 60 + m2)
                    end = c.end()
            s.take("times", tuple(values), m.start(), end)


def _scan_numbers(s: _Scanner) -> None:
    for m in _PHONE.finditer(s.masked):
        if len(re.sub(r"\D", "", m.group(0))) >= 7:
            s.take("numbers", (("phone", _phone_value(m.group(0))),), m.start(), m.end())
    for m in _NUMBER.finditer(s.masked):
        value = _decimal(m.group(0))
        if value is not None:
            s.take("numbers", (value,), m.start(), m.end())


@lru_cache(maxsize=20_000)
def extract(text: str) -> tuple[Item, ...]:
    """Every date, time, number, URL and e-mail address in ``text``, in text order."""
    s = _Scanner(text)
    for u in urls_in(text):
        s.take("urls", (normalise_url(u.text),), u.start, u.end)
    for m in EMAIL_RE.finditer(text):
        s.take("emails", (m.group(0).lower(),), m.start(), m.end())
    for m in MENTION_RE.finditer(s.masked):
        s.blank(m.start(), m.end())
    for _, start, end in find_hashtags(s.masked):
        s.blank(start, end)
    if any(map(str.isdigit, s.masked)):
        _scan_marked_times(s)
        _scan_dates(s)
        _scan_bare_times(s)
        _scan_numbers(s)
    return tuple(sorted(s.items, key=lambda i: i.start))


class Facts:
    """The values a version carries, indexed for quick "does it say this too?" questions.

    Notation may move a fact between kinds: "ma–pe 9–15" (numbers) and "mån–fre kl. 9–15" (times)
    say the same, as do "vuonna 2026" (a number) and "12 maj 2026" (a date with its year). A date
    without a year matches the same day and month in any year.
    """

    def __init__(self, items):
        self.values: dict[str, set] = {kind: set() for kind in KINDS}
        self.days: dict[tuple[int, int], set] = {}
        for item in items:
            for v in item.values:
                if item.kind == "dates":
                    self.days.setdefault(v[:2], set()).add(v[2])
                else:
                    self.values[item.kind].add(v)
        self.years = {y for years in self.days.values() for y in years if y is not None}

    def carries(self, kind: str, value) -> bool:
        if kind == "dates":
            years = self.days.get(value[:2])
            return years is not None and (value[2] is None or value[2] in years or None in years)
        if value in self.values[kind]:
            return True
        if kind == "times":
            return value % 60 == 0 and value // 60 in self.values["numbers"]
        if kind == "numbers" and isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value) * 60 in self.values["times"] or value in self.years
        return False


def missing(items, others, kinds=KINDS) -> list[Item]:
    """The items of ``items`` (of the given kinds) some value of which ``others`` does not carry."""
    facts = others if isinstance(others, Facts) else Facts(others)
    return [
        item
        for item in items
        if item.kind in kinds and not all(facts.carries(item.kind, v) for v in item.values)
    ]
