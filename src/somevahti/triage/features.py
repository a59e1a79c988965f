"""What the classifier sees of a comment: normalised characters, base forms and lexicon counts.

Finnish words become Voikko base forms and compound parts, so "kusipäähomo" counts as an insult
and a group word and "tapetaan" as the verb "tappaa". The lexicon counts are the same features in
every language, which lets a Finnish-trained model score Swedish and English comments through
their own lexicons (see docs/triage.md for what that transfer achieves).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import regex
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from somevahti.text.lexicon import Match
from somevahti.text.tokens import Token, tokenize
from somevahti.triage.lexicons import matcher

LEXICON_CATEGORIES = ("obscene", "sexual", "insult", "insult_marker", "slur", "group", "violence",
                      "selfharm", "second_person", "threat_form")
_REPEATS = regex.compile(r"(.)\1{2,}")
_SPACED = regex.compile(r"\b(\p{L})[ .*]+(?=\p{L}{2,})")  # "v itun", "p.aska" → "vitun", "paska"
_LETTER = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
N_CHAR = 2**18
N_WORD = 2**16


@dataclass
class Analysed:
    """A comment after tokenising and lexicon matching (computed once, used by rules and model)."""

    text: str
    lang: str
    tokens: list[Token]
    matches: list[Match]
    counts: Counter = field(default_factory=Counter)
    base_forms: list[str] = field(default_factory=list)
    token_starts: dict[int, int] | None = None
    memo: dict = field(default_factory=dict)  # results of rules asked more than once (threats)


def normalise(text: str) -> str:
    return _SPACED.sub(r"\1", _REPEATS.sub(r"\1\1", text.casefold()))


def analyse(text: str, lang: str) -> Analysed:
    tokens = tokenize(text)
    m = matcher(lang)
    matches = m.find(text, tokens)
    counts = Counter(x.category for x in matches)
    base_forms = []
    if lang == "fi":
        from somevahti.text import finnish

        for t in tokens:
            base_forms += sorted(finnish.lemmas(t.text) | finnish.compound_parts(t.text))
    else:
        base_forms = [t.lower for t in tokens]
    return Analysed(text, lang, tokens, matches, counts, base_forms)


def dense_features(a: Analysed, threat_hits: int) -> list[float]:
    """Lexicon counts and shape: language-neutral, so they carry over to Swedish and English."""
    n_words = max(1, len(a.tokens))
    letters = len(_LETTER.findall(a.text))
    caps = len(_UPPER.findall(a.text)) / max(1, letters)
    row = [math.log1p(a.counts[c]) for c in LEXICON_CATEGORIES[:-1]]
    row.append(math.log1p(threat_hits))
    row += [sum(a.counts[c] for c in ("obscene", "sexual", "insult", "slur")) / n_words,
            caps, math.log1p(a.text.count("!")), math.log1p(n_words) / 5]
    return row


N_DENSE = len(LEXICON_CATEGORIES) + 4

MAX_CHARS = 2000  # n-grams of a long comment's beginning say enough and keep the time per comment flat


def char_ngrams(text: str) -> list[str]:
    """Character 2- to 5-grams of the normalised text, words padded with spaces (slices are fast)."""
    s = " " + " ".join(text[:MAX_CHARS].split()) + " "
    return [s[i:i + n] for n in (2, 3, 4, 5) for i in range(len(s) - n + 1)]


_chars = HashingVectorizer(analyzer=char_ngrams, n_features=N_CHAR, alternate_sign=False, norm=None,
                           lowercase=False)
_words = HashingVectorizer(analyzer=str.split, n_features=N_WORD, alternate_sign=False, norm=None,
                           lowercase=False)


def text_matrix(items: list[Analysed]) -> sparse.csr_matrix:
    """Hashed character n-grams of the normalised text and hashed base forms (raw counts)."""
    chars = _chars.transform([normalise(a.text) for a in items])
    words = _words.transform([" ".join(a.base_forms) for a in items])
    return sparse.hstack([chars, words], format="csr", dtype=np.float64)
