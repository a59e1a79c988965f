"""The triage rules beyond the classifier: threats, misuse, crime and the feedback categories.

Each rule returns reasons with the span it fired on. They read the lexicon matches of the
comment (``features.Analysed``), so Finnish words match in any inflection.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache

import regex
from stdnum.fi import hetu
from stdnum.se import personnummer

from somevahti.text import finnish
from somevahti.text.lexicon import Lexicon, Matcher, parse_lexicon
from somevahti.text.tokens import sentences
from somevahti.triage.features import Analysed
from somevahti.triage.lexicons import LANGUAGES, lexicons
from somevahti.triage.lexicons import matcher as triage_matcher
from somevahti.triage.links import analyse_links
from somevahti.triage.threats import threats, violent_words


@dataclass(frozen=True)
class Reason:
    rule: str
    start: int
    end: int
    text: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


_HETU = regex.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
_PERSONNUMMER = regex.compile(r"\b(?:\d{2})?\d{6}[-+]\d{4}\b")
_STREET = regex.compile(
    r"\b\p{Lu}\p{Ll}+(?:tie|katu|kuja|polku|väylä|raitti|vägen|gatan|gränd|street|road|avenue|lane)"
    r"(?:\s\d+\p{L}?)",
    regex.IGNORECASE,
)
_FI_QUESTION_WORD = regex.compile(r"^\p{L}{3,}(?:ko|kö)(?:han|hän)?$", regex.IGNORECASE)
_FI_COLLOQUIAL_QUESTION = regex.compile(r"^(\p{L}{2,})ks$", regex.IGNORECASE)  # "onks", "voiks" = onko, voiko
_OWN = ("minun", "mun", "meidän", "mein", "mun", "omaa", "oma", "oman")
_OPINION = regex.compile(
    r"(?:mun|minun|meidän) mielest|my (?:opinion|view)|min (?:åsikt|mening)", regex.IGNORECASE
)
_FI_HAVE = ("olen", "oon", "olin", "oisin")  # "olen lähettänyt": the first-person perfect
_FI_PARTICIPLE = regex.compile(r"(?:nut|nyt|lut|lyt|rut|ryt|sut|syt)$")
_NOT_VERB = {"seikkasana", "suhdesana", "sidesana", "huudahdussana"}
SHORT_QUESTION = 80  # characters: a question without "?" is short; longer sentences skip the spelling check
OWN_WINDOW = 5  # "mulle tuli hylkäävä päätös", "my son's daycare fee": the owner a few words before
CASE_MARKERS = ("own",)
GROUP_WORDS = ("slur", "group")
SWEARING = ("obscene",)
NOT_PRAISE = ("insult", "insult_marker", "slur", "group", "sexual", "violence", "selfharm", "complaint")
NOT_ASKING = tuple(c for c in NOT_PRAISE if c != "complaint")  # an angry question still asks


def _of(a: Analysed, *categories: str):
    """The matches of these categories, in the order of ``a.matches`` (indexed once per comment)."""
    index = a.memo.get("by_category")
    if index is None:
        index = a.memo["by_category"] = {}
        for i, m in enumerate(a.matches):
            index.setdefault(m.category, []).append((i, m))
    if len(categories) == 1:
        return [m for _, m in index.get(categories[0], ())]
    return [
        m
        for _, m in sorted(
            (x for c in dict.fromkeys(categories) for x in index.get(c, ())), key=lambda x: x[0]
        )
    ]


def _reason(rule: str, m) -> Reason:
    return Reason(rule, m.start, m.end, m.text)


def threat_rules(a: Analysed) -> list[Reason]:
    return [Reason(h.kind, h.start, h.end, h.text) for h in threats(a)]


def misuse_rules(a: Analysed, own_domains: tuple[str, ...]) -> list[Reason]:
    out = [_reason("phishing", m) for m in _of(a, "phishing")]
    requests = _of(a, "request")
    for m in _of(a, "credential"):  # "lähetä henkilötunnuksesi", "DM me your banking credentials"
        if any(_same_sentence(a, r.start, m.start) for r in requests):
            out.append(_reason("phishing", m))
    out += [_reason("impersonation", m) for m in _of(a, "impersonation")]
    out += [Reason(f"link-{h.kind}", h.start, h.end, h.text) for h in analyse_links(a.text, own_domains)]
    return out


def crime_rules(a: Analysed) -> list[Reason]:
    out = [_reason("csam", m) for m in _of(a, "csam")]
    ids = [m for m in _HETU.finditer(a.text) if hetu.is_valid(m.group(0))]
    ids += [m for m in _PERSONNUMMER.finditer(a.text) if personnummer.is_valid(m.group(0))]
    out += [Reason("doxxing", m.start(), m.end(), m.group(0)) for m in ids]
    if _of(a, "doxxing"):
        out += [Reason("doxxing", m.start(), m.end(), m.group(0)) for m in _STREET.finditer(a.text)]
    groups = _of(a, *GROUP_WORDS)
    for h in threats(
        a
    ):  # a threat against a group: "kaikki mamut pitäisi tappaa", "all Muslims should be shot"
        if h.kind == "threat" and any(_same_sentence(a, g.start, h.start) for g in groups):
            out.append(Reason("incitement", h.start, h.end, h.text))
    return out


def _sentence_of(a: Analysed, pos: int) -> tuple[int, int]:
    spans = a.memo.get("sentences")
    if spans is None:
        spans = a.memo["sentences"] = sentences(a.text)
    k = bisect_left([e for _, e in spans], pos + 1)
    return spans[k] if k < len(spans) else (0, len(a.text))


def _same_sentence(a: Analysed, i: int, j: int) -> bool:
    return _sentence_of(a, i) == _sentence_of(a, j)


def question_rule(a: Analysed) -> list[Reason]:
    """Questions, a reason a sentence; a question that swears without insulting anyone ("Miks hitossa
    …?") also gets a ``question-swearing`` reason, which keeps it from removal as praise-swearing does."""
    starts = {m.start for m in _of(a, "question")}
    token_starts = [t.start for t in a.tokens]
    out = []
    for s, e in sentences(a.text):
        body = a.text[s:e].strip()
        lead = s + len(a.text[s:e]) - len(a.text[s:e].lstrip())
        k = bisect_left(token_starts, lead)
        first = a.tokens[k] if k < len(a.tokens) else None
        # "Mikä upea päivä!", "What a day!": an interrogative opens an exclamation too
        asks = body.endswith("?") or (first is not None and first.start in starts and not body.endswith("!"))
        if not asks and a.lang == "fi" and first is not None and not body.endswith("!"):
            asks = _finnish_question_word(first.text, len(body) <= SHORT_QUESTION)
        if asks:
            out.append(Reason("question", lead, lead + len(body), body))
    swearing = _of(a, *SWEARING) if any(r.text.endswith("?") for r in out) else []
    if swearing and not _of(a, *NOT_ASKING):
        # "Vad fan, går det att returnera …?": the swear word is the writer's temper, not an attack on
        # anyone; the question is answered (KIRK-5.14), not removed. Only a sentence that ends with a
        # question mark asks: "What a shitshow, go to hell" opens with an interrogative and exclaims.
        out += [_reason("question-swearing", m) for m in swearing]
    return out


@lru_cache(maxsize=20_000)
def _finnish_question_word(word: str, spelling: bool = True) -> bool:
    """A -ko/-kö question word Voikko inflects ("Onko", "Voiko"; not "Pakko"), its colloquial forms
    ("tarviiko", which Voikko does not know; "onks" = onko), or, with ``spelling``, a misspelt
    interrogative ("milloi"); Voikko's suggestions are slow, so only for a short sentence's first word."""
    low = word.lower()
    colloquial = _FI_COLLOQUIAL_QUESTION.match(low)
    if colloquial:
        form = colloquial.group(1) + ("kö" if regex.search("[äöy]", low) else "ko")
        if _is_interrogative(form) or _finnish_question_word(form):
            return True
    known = bool(finnish.analyse(word))
    if _FI_QUESTION_WORD.match(word):
        return low not in finnish.lemmas(word) if known else len(low) >= 6
    if known or not spelling or not low.isalpha() or not _near_interrogative(low):
        return False
    return any(_is_interrogative(s) for s in finnish.suggest(word)[:3])  # ~1 ms a new word


@cache
def _interrogatives() -> tuple[str, ...]:
    """The one-word alternatives of the Finnish question patterns ("milloin", "miksi", ...)."""
    out = []
    for lex in lexicons("fi"):
        for e in lex.entries:
            if e.category == "question" and e.pattern is not None:
                out += [
                    w
                    for group in regex.findall(r"\(\?:([^()]*)\)", e.pattern.pattern)
                    for w in group.split("|")
                    if w.isalpha()
                ]
    return tuple(dict.fromkeys(out))


def _near_interrogative(word: str) -> bool:
    """Cheap test before asking Voikko for suggestions: an interrogative of about the same length
    and letters ("milloi" ~ milloin)."""
    return any(
        w[0] == word[0] and abs(len(w) - len(word)) <= 2 and SequenceMatcher(None, w, word).ratio() >= 0.75
        for w in _interrogatives()
    )


def _is_interrogative(word: str) -> bool:
    return any(m.category == "question" for m in triage_matcher("fi").find(word))


def complaint_rule(a: Analysed) -> list[Reason]:
    strong, hints = _of(a, "complaint"), _of(a, "complaint_hint")
    if strong or len(hints) >= 2:
        return [_reason("complaint", m) for m in (strong or hints)]
    return []


def recourse_rule(a: Analysed) -> list[Reason]:
    """A lawful way the writer says they will take the matter further — the press, the council, an
    appeal or a complaint to an authority, the police, a lawyer, a demonstration, their vote ("soitan
    kunnanjohtajalle ja vien asian valtuustoon", "samlas utanför kommunhuset och kräva svar", "going to
    the local paper"): pressure, which a complaint may carry, not harm. Not where a violence word is."""
    if violent_words(a):
        return []
    return [_reason("recourse", m) for m in _of(a, "recourse")]


# a reference number the writer gives: the word for it (any of the three languages), then 4+ digits
_CASE_REFERENCE = regex.compile(
    r"\b(?:(?:tilausnumero|tilausnro|asiakasnumero|asiakasnro|hakemusnumero|laskunumero|viitenumero|"
    r"lähetystunnus|seurantakoodi|order|ordernummer|ordernr|beställningsnummer|ärendenummer|ärendenr|"
    r"kundnummer|fakturanummer)(?:\s*(?:number|no\.?|nr\.?|#))?"
    r"|(?:case|ticket|reference|invoice|booking|tracking)\s*(?:number|no\.?|nr\.?|#))"
    r"\s*:?\s*#?\s*(?!(?:19|20)\d\d\b)\d{4,}\b",  # not a year ("order 2025")
    regex.IGNORECASE,
)


class _Span:  # a regular expression's match as the lexicon matches are read by _reason
    def __init__(self, m):
        self.start, self.end, self.text = m.start(), m.end(), m.group(0)


def personal_case_rule(a: Analysed) -> list[Reason]:
    """The writer's own case: a case word ("hakemus", "ärende", "claim") owned by the writer — a
    possessive suffix ("hakemukseni", "poikani maksu"), an owner a few words before ("mun päätös",
    "mulle tuli päätös", "min sons dagvårdsplats", "my son's fee", "jag har skickat bilagorna"), or
    in Finnish a first-person past verb in the sentence ("Sain laskun", "Lähetin liitteet"); or a
    reference number of one's order, bill or case ("tilausnumero 55821", "ordernr 448812", "order
    48213", "kundnummer 55021"): nobody posts one for a matter that is not theirs."""
    out = [_reason("personal-case", _Span(m)) for m in _CASE_REFERENCE.finditer(a.text)]
    owners = [m for m in _of(a, *CASE_MARKERS) if not _OPINION.match(a.text, m.start)]
    index = {t.start: k for k, t in enumerate(a.tokens)}
    for m in _of(a, "case"):
        i = index.get(m.start, -1)
        if i < 0:
            continue
        start = _owner_before(a, i, owners, index)
        if start is None and a.lang == "fi":
            start = _finnish_owner(a, i)
        if start is not None:
            out.append(Reason("personal-case", start, m.end, a.text[start : m.end]))
    return out


def _owner_before(a: Analysed, i: int, owners, index: dict[int, int]) -> int | None:
    sentence = _sentence_of(a, a.tokens[i].start)
    for o in owners:
        k = index.get(o.start, -1)
        if 0 <= i - k <= OWN_WINDOW and sentence[0] <= o.start:
            return o.start
    return None


def _finnish_owner(a: Analysed, i: int) -> int | None:
    word = a.tokens[i].lower
    if word.endswith(("ni", "mme")) and word not in finnish.lemmas(word):
        return a.tokens[i].start  # hakemukseni, asumistukemme
    if i > 0 and a.tokens[i - 1].lower in _OWN:
        return a.tokens[i - 1].start
    lo, hi = _sentence_of(a, a.tokens[i].start)
    words = [t for t in a.tokens if lo <= t.start < hi and t.is_word]
    for k, t in enumerate(words):
        perfect = t.lower in _FI_HAVE and k + 1 < len(words) and _FI_PARTICIPLE.search(words[k + 1].lower)
        if t is not a.tokens[i] and (_possessed(t.text) or _first_person_past(t.text) or perfect):
            return min(t.start, a.tokens[i].start)
    return None


def speaks_for_self(a: Analysed) -> bool:
    """The writer speaks of themselves or their household — a pronoun ("mulle", "jag", "my"), or in
    Finnish a possessive suffix ("hakemukseni") or a first-person past verb ("sain"): a comment about
    the writer's own case does, a question about the rules in general ("Lasketaanko lapsilisä
    tuloksi?") does not."""
    if _of(a, "first_person"):
        return True
    return a.lang == "fi" and any(_possessed(t.text) or _first_person_past(t.text) for t in a.tokens)


@lru_cache(maxsize=50_000)
def _possessed(word: str) -> bool:
    """A noun with the first-person possessive suffix: "poikani", "äitini" (not "Helsinki")."""
    low = word.lower()
    return low.endswith("ni") and any(
        x.word_class == "nimisana" and not x.baseform.endswith("ni") for x in finnish.analyse(word)
    )


@lru_cache(maxsize=50_000)
def _first_person_past(word: str) -> bool:
    """ "sain", "lähetin", "hain": a verb form in -in that is neither the conditional ("haluaisin")
    nor the passive past ("tehtiin")."""
    low = word.lower()
    found = finnish.analyse(word)
    return (
        len(low) >= 4
        and low.endswith("in")
        and not low.endswith(("isin", "iin"))  # not "tehtiin" (passive)
        and any(x.word_class == "teonsana" for x in found)
        and not any(x.word_class in _NOT_VERB for x in found)
    )  # "vihdoin" is an adverb first


def misinformation_rule(a: Analysed, about_org: list[Reason]) -> list[Reason]:
    """A claim of a decision or closure with hearsay markers; or hearsay about the organisation."""
    rumours, claims = _of(a, "rumour"), _of(a, "decision")
    if rumours and (claims or about_org):
        first = min(rumours + claims, key=lambda m: m.start)
        last = max(rumours + claims, key=lambda m: m.end)
        return [Reason("misinformation", first.start, last.end, a.text[first.start : last.end])]
    return []


def thanks_rule(a: Analysed) -> list[Reason]:
    """Thanks and praise; praise that swears without insulting anyone ("Perkele, hienoa!", "Damn,
    that was fast, thank you") also gets a ``praise-swearing`` reason, which keeps it from removal."""
    out = [_reason("thanks", m) for m in _of(a, "thanks")]
    swearing = _of(a, *SWEARING)
    if out and swearing and not _of(a, *NOT_PRAISE) and not complaint_rule(a):
        out += [_reason("praise-swearing", m) for m in swearing]
    return out


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
                out.append(Reason("about-organisation", i, i + len(d), a.text[i : i + len(d)]))
        return out
