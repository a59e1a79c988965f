"""Lexicons (curated word lists, data) and a matcher that finds their terms in text by base form.

A lexicon file (YAML) beside the packs, ``packs/lexicons/NAME.yaml``::

    language: fi                       # fi | sv | en
    licence: "CC0-1.0, written for somevahti"
    terms:
      - idiootti                       # a base form: every inflection and compound part matches
      - {term: salassa pidettävä, category: confidential}   # consecutive base forms
      - {term: vitu, prefix: true}     # any word starting so (slang Voikko does not know)
      - {pattern: "\\bv[i*!1]tt?u\\w*", category: profanity}  # a regular expression on the text

Finnish words are matched on Voikko base forms and compound parts, Swedish on hunspell stems
(plus ``suffix: true`` for the last part of a compound), English on the lower-cased word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex
import yaml

from somevahti.errors import PackError
from somevahti.text.tokens import Token, tokenize

LEXICON_DIR = Path(__file__).resolve().parent.parent / "packs" / "lexicons"


@dataclass(frozen=True)
class Entry:
    term: str = ""
    words: tuple[str, ...] = ()
    category: str = ""
    prefix: bool = False
    suffix: bool = False
    compounds: bool = True
    pattern: regex.Pattern | None = None
    note: str = ""


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int
    end: int
    text: str

    @property
    def category(self) -> str:
        return self.entry.category


@dataclass
class Lexicon:
    name: str
    language: str
    entries: list[Entry]
    licence: str = ""
    meta: dict = field(default_factory=dict)


def _entry(raw, where: str, default_category: str) -> Entry:
    if isinstance(raw, str):
        raw = {"term": raw}
    if not isinstance(raw, dict) or not (raw.get("term") or raw.get("pattern")):
        raise PackError(f"{where}: each term is a string or a mapping with 'term' or 'pattern'")
    unknown = set(raw) - {"term", "pattern", "category", "prefix", "suffix", "compounds", "note"}
    if unknown:
        raise PackError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    pattern = None
    if raw.get("pattern"):
        try:
            pattern = regex.compile(raw["pattern"], regex.IGNORECASE)
        except regex.error as e:
            raise PackError(f"{where}: bad pattern {raw['pattern']!r}: {e}") from None
    term = str(raw.get("term") or "").strip().casefold()
    return Entry(term=term, words=tuple(term.split()), category=raw.get("category", default_category),
                 prefix=bool(raw.get("prefix")), suffix=bool(raw.get("suffix")),
                 compounds=raw.get("compounds", True), pattern=pattern, note=raw.get("note", ""))


def parse_lexicon(data: dict, name: str, where: str) -> Lexicon:
    if not isinstance(data, dict) or "terms" not in data:
        raise PackError(f"{where}: a lexicon is a mapping with 'language' and 'terms'")
    default_category = data.get("category", name)
    entries = [_entry(t, f"{where}: terms[{i}]", default_category) for i, t in enumerate(data["terms"] or [])]
    return Lexicon(name, data.get("language", "fi"), entries, data.get("licence", ""),
                   {k: v for k, v in data.items() if k not in {"terms"}})


@lru_cache(maxsize=256)
def _load_file(path: str) -> Lexicon:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{p}: no such lexicon file") from None
    except yaml.YAMLError as e:
        raise PackError(f"{p}: malformed YAML: {e}") from None
    return parse_lexicon(data, p.stem, str(p))


def load_lexicon(name: str, pack=None) -> Lexicon:
    """A lexicon by name: the pack's ``lexicons:`` (inline terms or a file), else the built-in directory."""
    spec = (pack.lexicons.get(name) if pack is not None else None)
    base = Path(pack.base_dir) if pack is not None and pack.base_dir else LEXICON_DIR.parent
    if isinstance(spec, dict) and "terms" in spec:
        return parse_lexicon(spec, name, f"lexicons.{name}")
    if isinstance(spec, str | dict):
        file = spec if isinstance(spec, str) else spec.get("file")
        path = (base / file) if not Path(file).is_absolute() else Path(file)
        return _load_file(str(path.resolve()))
    builtin = LEXICON_DIR / f"{name}.yaml"
    if builtin.exists():
        return _load_file(str(builtin))
    raise PackError(f"unknown lexicon {name!r}: not in the pack's lexicons nor in {LEXICON_DIR}")


def word_keys(word: str, lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(base forms incl. the word itself, compound parts) used for matching a word."""
    low = word.casefold()
    if lang == "fi":
        from somevahti.text import finnish

        return finnish.lemmas(word) | {low}, finnish.compound_parts(word)
    if lang == "sv":
        from somevahti.text import swedish

        return swedish.stems(word) | {low}, frozenset()
    return frozenset({low}), frozenset()


class Matcher:
    """Finds the terms of one or more lexicons in a text; build once, use for many texts."""

    def __init__(self, lexicons: list[Lexicon], lang: str):
        self.lang = lang
        self.first: dict[str, list[Entry]] = {}
        self.prefixes: list[Entry] = []
        self.suffixes: list[Entry] = []
        self.patterns: list[Entry] = []
        for lex in lexicons:
            for e in lex.entries:
                if e.pattern is not None:
                    self.patterns.append(e)
                elif e.prefix:
                    self.prefixes.append(e)
                elif e.suffix:
                    self.suffixes.append(e)
                else:
                    self.first.setdefault(e.words[0], []).append(e)

    def _word_matches(self, e: Entry, word: str, keys, parts) -> bool:
        return word in keys or (e.compounds and word in parts)

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        tokens = tokens if tokens is not None else tokenize(text)
        keyed = [word_keys(t.text, self.lang) for t in tokens]
        out: list[Match] = []
        for i, tok in enumerate(tokens):
            keys, parts = keyed[i]
            for cand in keys | parts:
                for e in self.first.get(cand, ()):
                    if not self._word_matches(e, e.words[0], keys, parts):
                        continue
                    j = i
                    for w in e.words[1:]:
                        j += 1
                        if j >= len(tokens) or not self._word_matches(e, w, *keyed[j]):
                            break
                    else:
                        out.append(Match(e, tok.start, tokens[j].end, text[tok.start:tokens[j].end]))
            low = tok.lower
            for e in self.prefixes:
                if low.startswith(e.term):
                    out.append(Match(e, tok.start, tok.end, tok.text))
            for e in self.suffixes:
                if low.endswith(e.term) or any(k.endswith(e.term) for k in keys):
                    out.append(Match(e, tok.start, tok.end, tok.text))
        for e in self.patterns:
            for m in e.pattern.finditer(text):
                out.append(Match(e, m.start(), m.end(), m.group(0)))
        return _dedupe(out)


def _dedupe(matches: list[Match]) -> list[Match]:
    seen, out = set(), []
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        key = (m.start, m.end, m.entry.category)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
