"""Lexicons (curated word lists, data) and a matcher that finds their terms in text by base form.

A lexicon file (YAML) beside the packs, ``packs/lexicons/NAME.yaml``::

    language: fi                       # fi | sv | en
    licence: "CC0-1.0, written for somevahti"
    terms:
      - idiootti                       # a base form: every inflection and compound part matches
      - {term: salassa pidettävä, category: confidential}   # consecutive base forms
      - {term: vitu, prefix: true}     # any word starting so (slang Voikko does not know)
      - {pattern: "\\bv[i*!1]tt?u\\w*", category: profanity}  # a regular expression on the text
      - {term: politiker, forms: [politikern, politikerna]}  # more forms of one term (same category)
      - {term: kunnanhallitus, infix: true}  # also inside a word or its base form ("kunnanhallitusidiootit")

Finnish words are matched on Voikko base forms and compound parts, Swedish on hunspell stems
(plus ``suffix: true`` for the last part of a compound), English on the lower-cased word.
A hyphenated Finnish word also matches on the base forms of its parts ("Kela-kortin" → kela,
kortti). Compound parts include derivational bases ("valitettavasti" → valittaa): a verb term
that has innocent derivatives takes ``compounds: false``.

Lexicons come one language per file; ``NAME.LANG.yaml`` files form a group that
:func:`load_lexicons` resolves by ``NAME`` alone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from somevahti.errors import PackError
from somevahti.safeload import ParseError, loads_yaml
from somevahti.text import finnish, swedish
from somevahti.text.tokens import Token, tokenize

LEXICON_DIR = Path(__file__).resolve().parent.parent / "packs" / "lexicons"


@dataclass(frozen=True)
class Entry:
    term: str = ""
    words: tuple[str, ...] = ()
    category: str = ""
    prefix: bool = False
    suffix: bool = False
    infix: bool = False
    compounds: bool = True
    pattern: regex.Pattern | None = None
    note: str = ""
    surface: str = ""  # the written form when it differs from the term (``forms:``)

    @property
    def key(self) -> str:
        """What prefix/suffix entries compare with: the form itself, else the term."""
        return self.surface or self.term


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
    unknown = set(raw) - {
        "term",
        "pattern",
        "category",
        "prefix",
        "suffix",
        "infix",
        "compounds",
        "note",
        "forms",
    }
    if unknown:
        raise PackError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    pattern = None
    if raw.get("pattern"):
        try:
            pattern = regex.compile(raw["pattern"], regex.IGNORECASE)
        except regex.error as e:
            raise PackError(f"{where}: bad pattern {raw['pattern']!r}: {e}") from None
    term = str(raw.get("term") or "").strip().casefold()
    return Entry(
        term=term,
        words=tuple(term.split()),
        category=raw.get("category", default_category),
        prefix=bool(raw.get("prefix")),
        suffix=bool(raw.get("suffix")),
        infix=bool(raw.get("infix")),
        compounds=raw.get("compounds", True),
        pattern=pattern,
        note=raw.get("note", ""),
    )


def _entries(raw, where: str, default_category: str) -> list[Entry]:
    """One entry, plus one per extra form (``forms:``) that shows the main term in findings."""
    first = _entry(raw, where, default_category)
    forms = raw.get("forms", []) if isinstance(raw, dict) else []
    if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
        raise PackError(f"{where}: 'forms' is a list of words")
    if forms and first.pattern is not None:
        raise PackError(f"{where}: 'forms' goes with 'term', not with 'pattern'")
    out = [first]
    for form in forms:
        words = tuple(form.strip().casefold().split())
        out.append(
            Entry(
                term=first.term,
                words=words,
                category=first.category,
                prefix=first.prefix,
                suffix=first.suffix,
                infix=first.infix,
                compounds=first.compounds,
                note=first.note,
                surface=" ".join(words),
            )
        )
    return out


def parse_lexicon(data: dict, name: str, where: str) -> Lexicon:
    if not isinstance(data, dict) or "terms" not in data:
        raise PackError(f"{where}: a lexicon is a mapping with 'language' and 'terms'")
    if not isinstance(data["terms"] or [], list):
        raise PackError(f"{where}: 'terms' is a list of terms")
    default_category = data.get("category", name)
    entries = [
        e
        for i, t in enumerate(data["terms"] or [])
        for e in _entries(t, f"{where}: terms[{i}]", default_category)
    ]
    return Lexicon(
        name,
        data.get("language", "fi"),
        entries,
        data.get("licence", ""),
        {k: v for k, v in data.items() if k not in {"terms"}},
    )


@lru_cache(maxsize=256)
def _load_file(path: str) -> Lexicon:
    p = Path(path)
    try:
        data = loads_yaml(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{p}: no such lexicon file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise PackError(f"{p}: cannot be read ({e})") from None
    except ParseError as e:
        raise PackError(f"{p}{':' + str(e.line) if e.line else ''}: {e}") from None
    return parse_lexicon(data, p.stem, str(p))


def load_lexicon(name: str, pack=None) -> Lexicon:
    """A lexicon by name: the pack's ``lexicons:`` (inline terms or a file), else the built-in directory."""
    spec = pack.lexicons.get(name) if pack is not None else None
    base = Path(pack.base_dir) if pack is not None and pack.base_dir else LEXICON_DIR.parent
    if isinstance(spec, dict) and "terms" in spec:
        return parse_lexicon(spec, name, f"lexicons.{name}")
    if isinstance(spec, str | dict):
        file = spec if isinstance(spec, str) else spec.get("file")
        if not isinstance(file, str) or not file:
            raise PackError(f"lexicons.{name}: give inline 'terms' (with 'language') or a 'file' path")
        path = (base / file) if not Path(file).is_absolute() else Path(file)
        return _load_file(str(path.resolve()))
    builtin = LEXICON_DIR / f"{name}.yaml"
    if builtin.exists():
        return _load_file(str(builtin))
    raise PackError(f"unknown lexicon {name!r}: not in the pack's lexicons nor in {LEXICON_DIR}")


GROUP_LANGUAGES = ("fi", "sv", "en")


def _exists(name: str, pack) -> bool:
    return (pack is not None and name in pack.lexicons) or (LEXICON_DIR / f"{name}.yaml").exists()


def load_lexicons(name: str, pack=None) -> list[Lexicon]:
    """A lexicon by name, or the group ``NAME.fi``, ``NAME.sv``, ``NAME.en`` when ``NAME`` alone is none."""
    if _exists(name, pack):
        return [load_lexicon(name, pack)]
    group = [
        load_lexicon(f"{name}.{lang}", pack) for lang in GROUP_LANGUAGES if _exists(f"{name}.{lang}", pack)
    ]
    if not group:
        raise PackError(
            f"unknown lexicon {name!r}: not in the pack's lexicons nor in {LEXICON_DIR} "
            f"(neither {name}.yaml nor {name}.fi/.sv/.en.yaml)"
        )
    return group


def names_lexicon(
    names: list[str], lang: str, name: str = "organisation", category: str = "organisation"
) -> Lexicon:
    """A lexicon of proper names (an organisation's names) that finds them in any inflected form.

    In Finnish each word of a name is also taken in its Voikko base form(s) ("Kirkkonummen kunta"
    → kirkkonummi kunta, so "Kirkkonummen kunnan" matches); hunspell's Swedish stems of names are
    not used ("FÖRETAGET" would become any "företag"). A one-word name also matches as the start
    of a word ("FÖRETAGETs") unless Voikko knows the Finnish name and inflects it itself ("Kelassa",
    while "kelasin" stays the verb), and, in Finnish, as a compound part ("Kela-kortti").
    """
    entries: list[Entry] = []
    seen: set[tuple[str, ...]] = set()
    for full in names:
        words = full.casefold().split()
        if not words:
            continue
        variants = [tuple(words)]
        if lang == "fi":
            bases = [sorted(word_keys(w, lang)[0] - {w}) or [w] for w in words]
            variants += itertools.islice(itertools.product(*bases), 8)
        for v in variants:
            if v not in seen:
                seen.add(v)
                entries.append(Entry(term=full.casefold(), words=v, category=category, surface=" ".join(v)))
        if len(words) == 1 and len(words[0]) >= 4 and not (lang == "fi" and _voikko_knows(words[0])):
            entries.append(Entry(term=full.casefold(), words=tuple(words), category=category, prefix=True))
    return Lexicon(name, lang, entries, "the pack's own names")


def _voikko_knows(word: str) -> bool:
    return bool(finnish.analyse(word))


@lru_cache(maxsize=200_000)
def word_keys(word: str, lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(base forms incl. the word itself, compound parts) used for matching a word."""
    low = word.casefold()
    if lang == "fi":
        parts = finnish.compound_parts(word)
        if "-" in word:  # "Kela-kortin": Voikko may not know the whole; each part's base forms count
            for piece in word.split("-"):
                if piece:
                    parts = parts | finnish.lemmas(piece)
        return finnish.lemmas(word) | {low}, parts
    if lang == "sv":
        return swedish.stems(word) | {low}, frozenset()
    return frozenset({low}), frozenset()


@lru_cache(maxsize=200_000)
def _candidates(word: str, lang: str) -> frozenset[str]:
    keys, parts = word_keys(word, lang)
    return keys | parts


class Matcher:
    """Finds the terms of one or more lexicons in a text; build once, use for many texts.

    A pattern runs only when the text contains one of the literal beginnings its matches must
    have (``\\b(takaa|lupaa)(mme|n)`` needs "takaa" or "lupaa"), and only where one of them
    begins, so a text costs a few substring searches instead of a regex scan per pattern.
    """

    def __init__(self, lexicons: list[Lexicon], lang: str):
        self.lang = lang
        self.first: dict[str, list[Entry]] = {}
        self.prefixes, self.suffixes, self.infixes = _AffixIndex(), _AffixIndex(), _AffixIndex()
        self.patterns: list[tuple[frozenset[str] | None, Entry]] = []
        for lex in lexicons:
            for e in lex.entries:
                if e.pattern is not None:
                    self.patterns.append((literal_prefixes(e.pattern.pattern), e))
                elif e.prefix:
                    self.prefixes.add(e)
                elif e.suffix:
                    self.suffixes.add(e)
                elif e.infix:
                    self.infixes.add(e)
                else:
                    self.first.setdefault(e.words[0], []).append(e)
        self._first_words = frozenset(self.first)
        self._has_affixes = bool(self.prefixes or self.suffixes or self.infixes)
        self._literals = frozenset(n for needed, _ in self.patterns if needed is not None for n in needed)
        self._memo: dict[str, tuple[tuple[Entry, ...], tuple[Entry, ...]]] = {}

    _MEMO_SIZE = 100_000

    def _word_matches(self, e: Entry, word: str, keys, parts) -> bool:
        return word in keys or (e.compounds and word in parts)

    def _hits_of(self, word: str) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
        """(entries whose first word this word is, affix entries it matches), memoised per word."""
        found = self._memo.get(word)
        if found is not None:
            return found
        keys, parts = word_keys(word, self.lang)
        firsts = tuple(
            e
            for cand in _candidates(word, self.lang) & self._first_words
            for e in self.first[cand]
            if self._word_matches(e, e.words[0], keys, parts)
        )
        low = word.casefold()
        forms = (low, *keys)
        affix = (
            (
                (self.prefixes.starting((low,)) if self.prefixes else ())
                + (self.suffixes.ending(forms) if self.suffixes else ())
                + (self.infixes.inside(forms) if self.infixes else ())
            )
            if self._has_affixes
            else ()
        )
        if len(self._memo) >= self._MEMO_SIZE:
            self._memo.clear()
        self._memo[word] = (firsts, affix)
        return firsts, affix

    def find(self, text: str, tokens: list[Token] | None = None) -> list[Match]:
        tokens = tokens if tokens is not None else tokenize(text)
        out: list[Match] = []
        for i, tok in enumerate(tokens):
            firsts, affix = self._hits_of(tok.text)
            for e in firsts:
                j = i
                for w in e.words[1:]:
                    j += 1
                    if j >= len(tokens) or not self._word_matches(
                        e, w, *word_keys(tokens[j].text, self.lang)
                    ):
                        break
                else:
                    out.append(Match(e, tok.start, tokens[j].end, text[tok.start : tokens[j].end]))
            for e in affix:
                out.append(Match(e, tok.start, tok.end, tok.text))
        if self.patterns:
            out += self._pattern_matches(text)
        return _dedupe(out)

    def _pattern_matches(self, text: str) -> list[Match]:
        low = text.lower()
        aligned = len(low) == len(text)  # lower() keeps every offset (not so for "İ")
        starts = {n: _occurrences(low, n) for n in self._literals if n in low}
        out = []
        for needed, e in self.patterns:
            if needed is None or not aligned:
                found = e.pattern.finditer(text)
            elif needed.isdisjoint(starts):
                continue
            else:
                found = _matches_at(
                    e.pattern, text, sorted({p for n in needed if n in starts for p in starts[n]})
                )
            out += [Match(e, m.start(), m.end(), m.group(0)) for m in found]
        return out


def _occurrences(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _matches_at(pattern: regex.Pattern, text: str, starts: list[int]):
    """What ``pattern.finditer(text)`` finds when every match must begin at one of ``starts``
    (sorted): a match tried at each, none overlapping the one before."""
    end = 0
    for p in starts:
        if p >= end and (m := pattern.match(text, p)):
            yield m
            end = m.end()


class _AffixIndex:
    """Affix entries by key length, so a word costs a dictionary look-up per length, not a scan of
    every entry. Hits come in the order the entries were added (the lexicons' order)."""

    def __init__(self):
        self.count = 0
        self.by_key: dict[str, list[tuple[int, Entry]]] = {}
        self.by_length: dict[int, dict[str, list[tuple[int, Entry]]]] = {}

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, e: Entry) -> None:
        self.by_key.setdefault(e.key, []).append((self.count, e))
        self.by_length.setdefault(len(e.key), {})[e.key] = self.by_key[e.key]
        self.count += 1

    @staticmethod
    def _entries(hits: list) -> tuple[Entry, ...]:
        if not hits:
            return ()
        found = dict(h for piece in hits for h in piece)
        return tuple(found[i] for i in sorted(found))

    def starting(self, forms) -> tuple[Entry, ...]:
        """Entries whose key starts one of ``forms``."""
        return self._entries(
            [hit for f in forms for n, table in self.by_length.items() if (hit := table.get(f[:n]))]
        )

    def ending(self, forms) -> tuple[Entry, ...]:
        return self._entries(
            [hit for f in forms for n, table in self.by_length.items() if (hit := table.get(f[-n:]))]
        )

    def inside(self, forms) -> tuple[Entry, ...]:
        """Entries whose key occurs in one of ``forms`` (few keys: a substring test each)."""
        if len(self.by_key) <= _FEW_INFIXES:
            return self._entries([hit for key, hit in self.by_key.items() if any(key in f for f in forms)])
        return self._entries(
            [
                hit
                for f in forms
                for n, table in self.by_length.items()
                for i in range(len(f) - n + 1)
                if (hit := table.get(f[i : i + n]))
            ]
        )


_FEW_INFIXES = 16
_PREFIX_LEN = 4
_MAX_PREFIXES = 256


@lru_cache(maxsize=4096)
def literal_prefixes(pattern: str) -> frozenset[str] | None:
    """Lower-cased literal beginnings one of which every match of ``pattern`` starts with, or None
    when a match may start with anything (or the pattern uses syntax only ``regex`` knows)."""
    import re._constants as c
    import re._parser as sre

    def walk(items: list, k: int) -> set[str]:
        if k == 0 or not items:
            return {""}
        (op, av), rest = items[0], items[1:]
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return walk(rest, k)
        if op is c.LITERAL:
            return {chr(av).lower() + r for r in walk(rest, k - 1)}
        if op is c.SUBPATTERN:
            return walk(list(av[-1]) + rest, k)
        if op is c.BRANCH:
            return set().union(*(walk(list(alt) + rest, k) for alt in av[1]))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            once = walk(list(av[2]) + rest, k) if av[1] == 1 else walk(list(av[2]), k)
            return once if av[0] >= 1 else once | walk(rest, k)
        if op is c.IN and all(o is c.LITERAL for o, _ in av):
            return {chr(v).lower() + r for _, v in av for r in walk(rest, k - 1)}
        return {""}

    try:
        # \\p{..} classes (regex module) stand for any character: they end a literal beginning.
        found = walk(list(sre.parse(regex.sub(r"\\[pP]\{[^}]*\}", ".", pattern))), _PREFIX_LEN)
    except Exception:  # noqa: BLE001 - syntax of the regex module (\\p{..}, (?-i:..)): no filter
        return None
    if "" in found or len(found) > _MAX_PREFIXES:
        return None
    return frozenset(found)


def _dedupe(matches: list[Match]) -> list[Match]:
    seen, out = set(), []
    for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        key = (m.start, m.end, m.entry.category)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
