"""Spelling and grammar: standard written Finnish (RANUA-S.5, KIRK-4.5) and Swedish spelling.

Finnish words go through Voikko (spelling, suggestions, grammar), Swedish words through
hunspell. A word the speller rejects is

- skipped when it is not prose or not ours to judge: URLs, e-mail addresses, @mentions, #hashtags,
  words with digits, ALL-CAPS abbreviations, CamelCase brands, weekday and month abbreviations,
  abbreviations with their dot ("puh.", "bl.a."), the first part of a shared compound ("sosiaali- ja
  terveyspalvelut"), capitalised words inside a sentence (proper names),
  the organisation's names and words derived from them ("kelalaiset"), the pack's hashtags,
  ``ignore``, words that are common in another language (English or the other pack language) but not
  in this one, compounds the dictionary lacks but whose parts it knows (Finnish "takaisinperintä",
  which Voikko would only split; Swedish "meröppet" = mer + öppet);
- **colloquial** (variant ``colloquial``, data {word}) when wordfreq knows it as a reasonably common
  word of this language (Zipf ≥ ``min_zipf``): "mä", "meijän", "ootte", "nähään". Voikko accepts a few
  colloquial words ("kiva", "moi", the intensifier "tosi kiva"); a curated list catches those;
- a **typo** otherwise (variant ``typo``, data {word, suggestions}; suggestion = the commonest of the
  suggestions, by wordfreq). Finnish suggestions are Voikko's; Swedish ones are the common words one
  edit away that hunspell accepts (hunspell's own suggestions take 0.1–0.6 s a word). A word with no
  suggestion at all is not judged (a name, a new word or a foreign one more often than a slip), and a
  capitalised word at the start of a sentence may be a name: it counts as a typo only when a
  suggestion is close to it.

Grammar (Finnish, variant ``grammar``, data {text, description}) reports the Voikko errors worth
an editor's attention on social media: a repeated word, a negative verb that does not agree, a wrong
infinitive, a misplaced conjunction, a missing comma or an extra verb, a space before punctuation, an
extra comma, a misplaced parenthesis. Left out on purpose: capital letters (lists, event names and
hashtags break Voikko's sentence rules), missing main verbs ("Tervetuloa!", "Lisätietoja: …" are
fine posts), missing final punctuation, repeated punctuation ("!!") and quotation styles —
ordinary social media style, not errors of standard language. Spelling itself is left to the
spelling check.

Each word is reported once per field, at its first occurrence. Which field is in which language:
the language a field claims, unless lingua identifies the whole version (20 letters or more) as another
pack language with confidence ≥ 0.9 (words of the other language inside a version are skipped word by
word: the other language's speller knows them); an unclaimed text is split into sentences and each sentence is
identified among the pack's languages (a bilingual single text is checked half with Voikko, half
with hunspell).

Params: ``languages`` (default [fi, sv]), ``grammar`` (true), ``colloquial`` (true), ``min_zipf``
(2.0), ``grammar_codes`` (Voikko error codes to report), ``ignore`` (words always accepted),
``roles`` (which fields: body, title, alt).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Literal

from pydantic import Field

from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import colloquial, finnish, langid
from somevahti.text.numbers import DATE_WORDS
from somevahti.text.prose import inside, non_prose_spans
from somevahti.text.tokens import Token, tokenize

# Voikko grammar error codes: 3 space before punctuation, 4 extra comma, 8 repeated word, 12 misplaced
# closing parenthesis, 13 negative verb mismatch, 14 A-infinitive required, 15 MA-infinitive required,
# 16 misplaced conjunction, 18 extra main verb or missing comma.
GRAMMAR_CODES = [3, 4, 8, 12, 13, 14, 15, 16, 18]
SENTENCE_END = ".!?:\n"
_DIGIT = re.compile(r"\d")
_ABBREVIATION = re.compile(r"(?:\w{1,4}\.){2,4}")
CLOSE_SUGGESTION = 0.75
MAX_VERDICTS = 200_000
MAX_SHOWN = 3  # suggestions named in the message; the best one is also the finding's suggestion
CLAIM_MIN_LETTERS, CLAIM_MIN_CONFIDENCE = 20, 0.9


class SpellingParams(Params):
    languages: list[Literal["fi", "sv"]] = Field(default_factory=lambda: ["fi", "sv"])
    grammar: bool = True
    colloquial: bool = True
    min_zipf: float = 2.0
    grammar_codes: list[int] = Field(default_factory=lambda: list(GRAMMAR_CODES))
    ignore: list[str] = Field(default_factory=list)
    roles: list[Literal["body", "title", "alt"]] = Field(default_factory=lambda: ["body", "title", "alt"])


def _speller(lang: str):
    if lang == "fi":
        from somevahti.text import finnish

        return finnish if finnish.available() else None
    if lang == "sv":
        from somevahti.text import swedish

        return swedish if swedish.available() else None
    return None


@lru_cache(maxsize=20_000)
def _grammar(text: str) -> tuple[dict, ...]:
    from somevahti.text import finnish

    return tuple(finnish.grammar_errors(text))


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and not (text[i].isalnum() or text[i] in SENTENCE_END or text[i] in ",;"):
        i -= 1
    return i < 0 or text[i] in SENTENCE_END


@lru_cache(maxsize=200_000)
def _colloquial_base(word: str) -> bool:
    from somevahti.text import finnish

    return bool(finnish.lemmas(word) & colloquial.FI_ACCEPTED_COLLOQUIAL)


@lru_cache(maxsize=50_000)
def _swedish_compound(word: str, speller) -> bool:
    """Two words hunspell knows, perhaps with a linking s ("meröppet" = mer + öppet)."""
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if speller.spell(tail) and (speller.spell(head) or (head.endswith("s") and speller.spell(head[:-1]))):
            return True
    return False


def _ranked(suggestions: tuple[str, ...], lang: str) -> list[str]:
    """The speller's suggestions, the commonest word first (stable for equally rare ones)."""
    return sorted(suggestions, key=lambda s: -colloquial.zipf(s.casefold(), lang))


def _is_abbreviation_or_brand(word: str) -> bool:
    """ALL CAPS ("HUS", "EU:N") or capitals inside the word ("OmaKanta", "EU:n", "iPhone")."""
    tail = word[1:]
    return tail != tail.lower() or (word.isupper() and len(word) >= 2)


@register
class Spelling(RuleFamily):
    name = "spelling"
    Params = SpellingParams

    def setup(self) -> None:
        words = set(self.params.ignore) | set(self.pack.hashtags)
        for name in self.pack.organisation.all_names():
            words |= {t.text for t in tokenize(name)}
        self.ignore = frozenset(w.casefold().lstrip("#") for w in words)
        self.verdicts: dict[tuple, tuple | None] = {}
        self._preload()
        self.name_prefixes = tuple(
            t.lower
            for name in self.pack.organisation.all_names()
            for t in tokenize(name)
            if len(t.text) >= 3 and t.text[:1].isupper()
        )

    def _preload(self) -> None:
        """Load dictionaries and word frequencies now, once per process, rather than at the first post."""
        colloquial.zipf("a", "en")  # English frequencies tell loan words from typos
        for lang in self.params.languages:
            speller = _speller(lang)
            if speller is not None:
                speller.spell("a")
                colloquial.zipf("a", lang)
                if lang == "sv":
                    speller.common_words()

    def check(self, ctx):
        for f in ctx.fields:
            if f.role not in self.params.roles or not f.text.strip():
                continue
            reported: set[str] = set()
            for start, end, lang in self._regions(ctx, f):
                speller = _speller(lang) if lang in self.params.languages else None
                if speller is None:
                    continue
                yield from self._words(f, start, end, lang, speller, reported)
                if lang == "fi" and self.params.grammar:
                    yield from self._grammar_hits(f, start, end)

    def _regions(self, ctx, f):
        if f.lang:  # a version clearly in another language than it claims is checked in that language
            lang = f.lang
            if (
                langid.supported(f.lang)
                and langid.letters(f.text) >= CLAIM_MIN_LETTERS
                and not langid.clearly(f.text, f.lang)
            ):
                detected, confidence = langid.best(f.text, {*ctx.pack_languages, f.lang})
                lang = detected if detected and confidence >= CLAIM_MIN_CONFIDENCE else f.lang
            return [(0, len(f.text), lang)]
        return [
            (s.start, s.end, s.lang or ctx.language_of(f))
            for s in langid.segments(f.text, ctx.pack_languages)
        ]

    def _words(self, f, start, end, lang, speller, reported):
        text = f.text
        skip = non_prose_spans(text)
        tokens = [Token(t.text, t.start + start, t.end + start) for t in tokenize(text[start:end])]
        for i, tok in enumerate(tokens):
            word = tok.text
            key = word.casefold()
            if key in reported or (skip and inside(skip, tok.start, tok.end)):
                continue
            # The verdict on a word depends only on the word and what touches it: cached per rule.
            after = text[tok.end : tok.end + 1]
            dotted = ""  # the word with its abbreviation dots: "puh.", "bl.a."
            if after == ".":
                m = _ABBREVIATION.match(text, tok.start)
                dotted = m.group(0) if m else word + "."
            context = (
                word,
                lang,
                word[:1].isupper() and _sentence_initial(text, tok.start),
                dotted,
                after == "-",
                tokens[i + 1].text if key in colloquial.FI_INTENSIFIERS and i + 1 < len(tokens) else "",
            )
            if context not in self.verdicts:
                if len(self.verdicts) > MAX_VERDICTS:
                    self.verdicts.clear()
                self.verdicts[context] = self._judge(*context, speller)
            verdict = self.verdicts[context]
            if verdict is not None:
                reported.add(key)
                variant, data, suggestion = verdict
                yield Hit(f.field, (tok.start, tok.end), dict(data), variant, suggestion)

    def _judge(self, word, lang, initial, abbreviation, hyphen, following, speller):
        """(variant, data, suggestion) for a word, or None when it is fine or not ours to judge."""
        key = word.casefold()
        if len(word) < 2 or _DIGIT.search(word) or key in self.ignore or key in DATE_WORDS.get(lang, ()):
            return None
        if lang == "fi" and self.ignore and not self.ignore.isdisjoint(finnish.lemmas(word)):
            return None  # an ignored word in any inflected form: "kiva" covers "kivasta"
        if _is_abbreviation_or_brand(word) or key.startswith(self.name_prefixes):
            return None  # "HUS", "OmaKanta"; derived from the organisation's name: "Kelan", "kelalaiset"
        if word[:1].isupper() and not initial:
            return None  # a proper name inside a sentence
        if self._accepted(word, abbreviation, hyphen, lang, speller):
            if lang == "fi" and self.params.colloquial and self._accepted_colloquial(word, following):
                return "colloquial", {"word": word}, colloquial.standard_form(word)
            return None
        if self._foreign(key, lang):
            return None
        if colloquial.zipf(key, lang) >= self.params.min_zipf:
            if self.params.colloquial:
                return "colloquial", {"word": word}, colloquial.standard_form(word) if lang == "fi" else None
            return None
        suggestions = list(speller.near(word)) if lang == "sv" else _ranked(speller.suggest(word), lang)
        if not suggestions:
            return None  # nothing near it in the dictionary: a name, a new word or a foreign one, not a slip
        if any(s.islower() and s.replace(" ", "") == key for s in suggestions):
            return None  # a compound the dictionary lacks ("takaisinperintä"), not a misspelling
        if word[:1].isupper() and not any(
            difflib.SequenceMatcher(None, key, s.casefold()).ratio() >= CLOSE_SUGGESTION for s in suggestions
        ):
            return None  # an unknown capitalised word at a sentence start: more likely a name than a typo
        return "typo", {"word": word, "suggestions": ", ".join(suggestions[:MAX_SHOWN])}, suggestions[0]

    def _accepted(self, word: str, abbreviation: str, hyphen: bool, lang: str, speller) -> bool:
        if speller.spell(word):
            return True
        if hyphen and speller.spell(word + "-"):
            return True  # the first part of a shared compound: "sosiaali- ja terveyspalvelut"
        if abbreviation and (speller.spell(abbreviation) or speller.spell(word + ".")):
            return True  # an abbreviation: "puh.", "esim.", "bl.a."
        parts = [p for p in word.replace("–", "-").split("-") if p]
        if len(parts) > 1 and all(p[:1].isupper() or speller.spell(p) for p in parts):
            return True  # "Kanta-palvelut": a name and a word
        return lang == "sv" and _swedish_compound(word.casefold(), speller)

    def _accepted_colloquial(self, word: str, following: str) -> bool:
        if _colloquial_base(word):
            return True
        if word.casefold() in colloquial.FI_INTENSIFIERS and following:
            from somevahti.text import finnish

            return any(a.word_class in colloquial.INTENSIFIED_CLASSES for a in finnish.analyse(following))
        return False

    def _foreign(self, key: str, lang: str) -> bool:
        """A word of the other language (its speller knows it), or common in English or the other language
        and rarer in this one: not ours to judge."""
        other_speller = _speller("sv" if lang == "fi" else "fi")
        if other_speller is not None and len(key) > 3 and other_speller.spell(key):
            return True
        own = colloquial.zipf(key, lang)
        for other in ("en", "sv" if lang == "fi" else "fi"):
            theirs = colloquial.zipf(key, other)
            if theirs >= self.params.min_zipf and theirs > own:
                return True
        return False

    def _grammar_hits(self, f, start, end):
        skip = non_prose_spans(f.text)
        for err in _grammar(f.text[start:end]):
            if err["code"] not in self.params.grammar_codes:
                continue
            s, e = start + err["start"], start + err["start"] + err["length"]
            if inside(skip, s, e):
                continue
            yield Hit(
                f.field,
                (s, e),
                {"text": f.text[s:e], "description": err["description"]},
                "grammar",
                err["suggestions"][0] if err["suggestions"] else None,
            )
