"""The triage rules beyond the classifier: threats, misuse, crime and the feedback categories.

Each rule returns reasons with the span it fired on. They read the lexicon matches of the
comment (``features.Analysed``), so Finnish words match in any inflection.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import regex
from stdnum.fi import hetu
from stdnum.se import personnummer

from somevahti.text.lexicon import Lexicon, Matcher, parse_lexicon
from somevahti.text.tokens import sentences
from somevahti.triage.features import Analysed
from somevahti.triage.lexicons import LANGUAGES, lexicons
from somevahti.triage.links import analyse_links
from somevahti.triage.threats import threats


@dataclass(frozen=True)
class Reason:
    rule: str
    start: int
    end: int
    text: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


_HETU = regex.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
_PERSONNUMMER = regex.compile(r"\b(?:\d{2})?\d{6}[-+]\d{4}\b")
_STREET = regex.compile(r"\b\p{Lu}\p{Ll}+(?:tie|katu|kuja|polku|väylä|raitti|vägen|gatan|gränd|street|road|avenue|lane)"
                        r"(?:\s\d+\p{L}?)", regex.IGNORECASE)
_FI_QUESTION_WORD = regex.compile(r"^\p{L}{3,}(?:ko|kö)(?:han|hän)?$", regex.IGNORECASE)
_OWN = ("minun", "mun", "meidän", "mein", "mun", "omaa", "oma", "oman")


def _of(a: Analysed, *categories: str):
    """The matches of these categories, in the order of ``a.matches`` (indexed once per comment)."""
    index = a.memo.get("by_category")
    if index is None:
        index = a.memo["by_category"] = {}
        for i, m in enumerate(a.matches):
            index.setdefault(m.category, []).append((i, m))
    if len(categories) == 1:
        return [m for _, m in index.get(categories[0], ())]
    return [m for _, m in sorted((x for c in dict.fromkeys(categories) for x in index.get(c, ())),
                                 key=lambda x: x[0])]


def _reason(rule: str, m) -> Reason:
    return Reason(rule, m.start, m.end, m.text)


def threat_rules(a: Analysed) -> list[Reason]:
    return [Reason(h.kind, h.start, h.end, h.text) for h in threats(a)]


def misuse_rules(a: Analysed, own_domains: tuple[str, ...]) -> list[Reason]:
    out = [_reason("phishing", m) for m in _of(a, "phishing")]
    out += [Reason(f"link-{h.kind}", h.start, h.end, h.text) for h in analyse_links(a.text, own_domains)]
    return out


def crime_rules(a: Analysed) -> list[Reason]:
    out = [_reason("csam", m) for m in _of(a, "csam")]
    ids = [m for m in _HETU.finditer(a.text) if hetu.is_valid(m.group(0))]
    ids += [m for m in _PERSONNUMMER.finditer(a.text) if personnummer.is_valid(m.group(0))]
    out += [Reason("doxxing", m.start(), m.end(), m.group(0)) for m in ids]
    if _of(a, "doxxing"):
        out += [Reason("doxxing", m.start(), m.end(), m.group(0)) for m in _STREET.finditer(a.text)]
    return out


def question_rule(a: Analysed) -> list[Reason]:
    starts = {m.start for m in _of(a, "question")}
    token_starts = [t.start for t in a.tokens]
    out = []
    for s, e in sentences(a.text):
        body = a.text[s:e].strip()
        lead = s + len(a.text[s:e]) - len(a.text[s:e].lstrip())
        k = bisect_left(token_starts, lead)
        first = a.tokens[k] if k < len(a.tokens) else None
        asks = body.endswith("?") or (first is not None and first.start in starts)
        if not asks and a.lang == "fi" and first is not None and _FI_QUESTION_WORD.match(first.text):
            from somevahti.text import finnish

            asks = first.lower not in finnish.lemmas(first.text)  # "Onko", "Voiko"; not "Pakko"
        if asks:
            out.append(Reason("question", lead, lead + len(body), body))
    return out


def complaint_rule(a: Analysed) -> list[Reason]:
    strong, hints = _of(a, "complaint"), _of(a, "complaint_hint")
    if strong or len(hints) >= 2:
        return [_reason("complaint", m) for m in (strong or hints)]
    return []


def personal_case_rule(a: Analysed) -> list[Reason]:
    out = []
    for m in _of(a, "case"):
        if a.lang != "fi":
            out.append(_reason("personal-case", m))
            continue
        i = next((k for k, t in enumerate(a.tokens) if t.start == m.start), -1)
        word = a.tokens[i].lower if i >= 0 else ""
        owned = word.endswith(("ni", "mme")) or (i > 0 and a.tokens[i - 1].lower in _OWN)
        if owned:
            start = a.tokens[i - 1].start if i > 0 and a.tokens[i - 1].lower in _OWN else m.start
            out.append(Reason("personal-case", start, m.end, a.text[start:m.end]))
    return out


def misinformation_rule(a: Analysed, about_org: list[Reason]) -> list[Reason]:
    """A claim of a decision or closure with hearsay markers; or hearsay about the organisation."""
    rumours, claims = _of(a, "rumour"), _of(a, "decision")
    if rumours and (claims or about_org):
        first = min(rumours + claims, key=lambda m: m.start)
        last = max(rumours + claims, key=lambda m: m.end)
        return [Reason("misinformation", first.start, last.end, a.text[first.start:last.end])]
    return []


def thanks_rule(a: Analysed) -> list[Reason]:
    return [_reason("thanks", m) for m in _of(a, "thanks")]


class OrganisationNames:
    """Finds the organisation's names (any inflection) and its domains in a comment.

    The names are a lexicon added to the triage lexicons of each language (``matcher(lang)``), so
    the one pass over a comment's words that ``features.analyse`` makes finds them too."""

    def __init__(self, names: list[str], domains: tuple[str, ...]):
        terms = [n.casefold() for n in names if n and n.casefold() != "organisaatio"]
        lexicon: Lexicon = parse_lexicon({"terms": terms, "category": "organisation"}, "organisation", "pack")
        self.matchers = {lang: Matcher([*lexicons(lang), lexicon], lang) for lang in LANGUAGES}
        self.names_only = {lang: Matcher([lexicon], lang) for lang in LANGUAGES}
        self.domains = domains

    def matcher(self, lang: str) -> Matcher:
        return self.matchers.get(lang, self.matchers["en"])

    def find(self, a: Analysed) -> list[Reason]:
        if a.memo.get("matcher") is self.matcher(a.lang):
            found = [m for m in a.matches if m.category == "organisation"]
        else:  # analysed without the names: look for them now
            found = self.names_only.get(a.lang, self.names_only["en"]).find(a.text, a.tokens)
        out = [_reason("about-organisation", m) for m in found]
        low = a.text.casefold()
        for d in self.domains:
            i = low.find(d)
            if i >= 0:
                out.append(Reason("about-organisation", i, i + len(d), a.text[i:i + len(d)]))
        return out
