"""Lexicon rules: curated word lists matched on base forms (tone, confidential matters, promises).

The words live in data (``packs/lexicons/NAME.LANG.yaml``, or the pack's own ``lexicons:``);
docs/lexicons.md lists the built-in lexicons and their categories. Finnish is matched on
Voikko base forms and compound parts ("idiooteille", "kunnanhallitusidiootit" → idiootti),
Swedish on hunspell stems, English on words; each text field in its own language.

Params:

``lexicons``
    lexicon names; a name without a language (``insults``) stands for its group
    ``insults.fi``, ``insults.sv``, ``insults.en``.
``categories``
    only terms of these categories (empty: every category of the lexicons). A category that
    none of the lexicons has is an error in the pack.
``near``
    lexicon names of targets: a term counts only when a target is in the same sentence
    (criticism of the employer, colleagues, elected officials or competitors).
``near_organisation``
    the pack's organisation names (any inflected form) count as targets too; by default
    whenever ``near`` is given. Set it to false for competitors.
    With targets, a term negated just before ("johto ei ole kyvytön", "inte dumt att fråga
    chefen", "not useless") is not criticism and is skipped.
``languages``
    check only texts in these languages (empty: every language a lexicon covers).
``fields``
    which text fields: ``body`` (the text versions), ``title``, ``alt`` (image descriptions).
``max_hits``
    at most this many findings per field.
``semantic``
    labels of the semantic layer's clause examples (rules/meaning.py): when the words find
    nothing in a field, a sentence that reads as one of them by meaning is a finding too
    (variant ``semantic``; ``term`` is the sentence, and the message says why).
``semantic_threshold``
    the probability a sentence needs for that (default 0.6).

A hit's variant is the matched term's category; data: ``{term, text, category}``; the span
covers the matched words.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Literal

from pydantic import Field

from somevahti.errors import PackError
from somevahti.findings import Hit
from somevahti.rules import meaning, register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text.lexicon import Lexicon, Match, Matcher, load_lexicons, names_lexicon
from somevahti.text.tokens import Token, sentences, tokenize

# Negation words that, within three words before a term, undo criticism near a target.
NEGATIONS = {
    "fi": {"ei", "eivät", "en", "et", "emme", "ette", "eikä"},
    "sv": {"inte", "ej", "aldrig", "icke", "knappast"},
    "en": {"not", "never", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "hardly"},
}
NEGATION_WINDOW = 3


def load_by_language(names: list[str], pack) -> dict[str, list[Lexicon]]:
    """The lexicons of ``names`` (names or groups), by the language they declare."""
    out: dict[str, list[Lexicon]] = defaultdict(list)
    for name in names:
        for lex in load_lexicons(name, pack):
            out[lex.language].append(lex)
    return dict(out)


def build_matchers(
    by_lang: dict[str, list[Lexicon]], categories: set[str] | None = None
) -> dict[str, Matcher]:
    """One matcher per language over the entries of the wanted categories (None: all)."""
    out = {}
    for lang, lexicons in by_lang.items():
        if categories is not None:
            lexicons = [
                Lexicon(lx.name, lx.language, [e for e in lx.entries if e.category in categories], lx.licence)
                for lx in lexicons
            ]
        if any(lx.entries for lx in lexicons):
            out[lang] = Matcher(lexicons, lang)
    return out


def organisation_matchers(pack, languages) -> dict[str, Matcher]:
    """Matchers for the pack's organisation names, per language."""
    names = pack.organisation.all_names()
    return {lang: Matcher([names_lexicon(names, lang)], lang) for lang in languages}


def field_tokens(ctx, f) -> list[Token]:
    """The tokens of a field, shared by every rule checking the same document."""
    key = ("tokens", f.field)
    if key not in ctx.cache:
        ctx.cache[key] = tokenize(f.text)
    return ctx.cache[key]


def field_sentences(ctx, f) -> list[tuple[int, int]]:
    key = ("sentences", f.field)
    if key not in ctx.cache:
        ctx.cache[key] = sentences(f.text)
    return ctx.cache[key]


def sentence_index(spans: list[tuple[int, int]], starts: list[int], offset: int) -> int:
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < spans[i][1] else -1


def outermost(matches: list[Match], text: str) -> list[Match]:
    """One finding per stretch of text: drop matches inside a longer one, join overlapping
    matches of one category ("det borde till och med du" + "till och med du förstå")."""
    out: list[Match] = []
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if out and m.end <= out[-1].end:
            continue
        if out and m.start < out[-1].end and m.category == out[-1].category:
            last = out.pop()
            m = Match(last.entry, last.start, m.end, text[last.start : m.end])
        out.append(m)
    return out


class LexiconParams(Params):
    lexicons: list[str] = Field(min_length=1)
    categories: list[str] = Field(default_factory=list)
    near: list[str] = Field(default_factory=list)
    near_organisation: bool | None = None
    languages: list[str] = Field(default_factory=list)
    fields: list[Literal["body", "title", "alt"]] = Field(default_factory=lambda: ["body", "title", "alt"])
    max_hits: int = Field(default=20, ge=1)
    semantic: list[str] = Field(default_factory=list)
    semantic_threshold: float = Field(default=0.65, gt=0, le=1)


@register
class LexiconRule(RuleFamily):
    name = "lexicon"
    Params = LexiconParams

    def setup(self) -> None:
        p = self.params
        by_lang = load_by_language(p.lexicons, self.pack)
        if p.languages:
            by_lang = {lang: lx for lang, lx in by_lang.items() if lang in p.languages}
        wanted = set(p.categories) or None
        if wanted:
            known = {e.category for lexicons in by_lang.values() for lx in lexicons for e in lx.entries}
            if missing := sorted(wanted - known):
                raise PackError(
                    f"rule {self.spec.id}: no category {', '.join(missing)} in the lexicons "
                    f"{', '.join(p.lexicons)} (they have: {', '.join(sorted(known))})"
                )
        self.matchers = build_matchers(by_lang, wanted)
        self.targets: dict[str, list[Matcher]] = defaultdict(list)
        with_org = p.near_organisation if p.near_organisation is not None else bool(p.near)
        if p.near:
            for lang, m in build_matchers(load_by_language(p.near, self.pack)).items():
                self.targets[lang].append(m)
        if with_org:
            for lang, m in organisation_matchers(self.pack, self.matchers).items():
                self.targets[lang].append(m)
        self.needs_target = bool(p.near) or bool(with_org)

    def check(self, ctx):
        for f in ctx.fields:
            if f.role not in self.params.fields or not f.text.strip():
                continue
            lang = ctx.language_of(f)
            matcher = self.matchers.get(lang)
            if matcher is None:
                continue
            tokens = field_tokens(ctx, f)
            matches = outermost(matcher.find(f.text, tokens), f.text)
            if matches and self.needs_target:
                matches = self._near_targets(ctx, f, lang, tokens, matches)
            if not matches and self.params.semantic and f.role == "body":
                yield from self._by_meaning(ctx, f)
                continue
            for m in matches[: self.params.max_hits]:
                yield Hit(
                    f.field,
                    (m.start, m.end),
                    variant=m.category,
                    data={"term": m.entry.term or m.text, "text": m.text, "category": m.category},
                )

    def _by_meaning(self, ctx, f):
        found = meaning.best(ctx, f, self.params.semantic, self.params.semantic_threshold)
        if found:
            (start, end), label, p, example, marker = found
            text = f.text[start:end]
            yield Hit(
                f.field,
                (start, end),
                variant="semantic",
                data={
                    "term": meaning.excerpt(text),
                    "text": text,
                    "category": label,
                    "why": meaning.why(label, p, example, marker),
                },
            )

    def _near_targets(self, ctx, f, lang, tokens, matches: list[Match]) -> list[Match]:
        spans = field_sentences(ctx, f)
        starts = [s for s, _ in spans]
        with_target = {
            sentence_index(spans, starts, t.start)
            for m in self.targets.get(lang, ())
            for t in m.find(f.text, tokens)
        }
        with_target.discard(-1)
        negations = NEGATIONS.get(lang, set())
        index = {t.start: i for i, t in enumerate(tokens)}
        kept = []
        for m in matches:
            if sentence_index(spans, starts, m.start) not in with_target:
                continue
            i = index.get(m.start, 0)
            if any(t.text.casefold() in negations for t in tokens[max(0, i - NEGATION_WINDOW) : i]):
                continue
            kept.append(m)
        return kept
