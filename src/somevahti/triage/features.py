"""What the classifier sees of a comment: base forms and lexicon counts.

Finnish words become Voikko base forms and compound parts, so "kusipäähomo" counts as an insult
and a group word and "tapetaan" as the verb "tappaa". The lexicon counts are the same features in
every language, which lets a Finnish-trained model score Swedish and English comments through
their own lexicons (see docs/triage.md for what that transfer achieves).

Hashed character n-grams of the text were tried and dropped: 2-5-grams across spaces, 2-5 or 3-4
within words moved the cross-validated mean F1 on dev.tsv by 0.2-0.3 points (59.1-59.4 against
58.9-59.1 without, 3-5 seeds, inside the spread between seeds) and the category accuracy on the
blind comment sets not at all, while costing a tenth of a cold pass's time.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from somevahti.text import finnish
from somevahti.text.lexicon import Match, Matcher
from somevahti.text.tokens import Token, tokenize
from somevahti.triage.lexicons import matcher

LEXICON_CATEGORIES = (
    "obscene",
    "sexual",
    "insult",
    "insult_marker",
    "slur",
    "group",
    "violence",
    "selfharm",
    "second_person",
    "threat_form",
)
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


@lru_cache(maxsize=200_000)
def _finnish_base_forms(word: str) -> tuple[str, ...]:
    return tuple(sorted(finnish.lemmas(word) | finnish.compound_parts(word)))


def analyse(text: str, lang: str, m: Matcher | None = None) -> Analysed:
    """``m``: the matcher to use (default: the triage lexicons of ``lang``); the triager adds the
    organisation's names to it, so one pass over the words finds both."""
    tokens = tokenize(text)
    m = m or matcher(lang)
    matches = m.find(text, tokens)
    counts = Counter(x.category for x in matches)
    base_forms = []
    if lang == "fi":
        for t in tokens:
            base_forms += _finnish_base_forms(t.text)
    else:
        base_forms = [t.lower for t in tokens]
    return Analysed(text, lang, tokens, matches, counts, base_forms, memo={"matcher": m})


def dense_features(a: Analysed, threat_hits: int) -> list[float]:
    """Lexicon counts and shape: language-neutral, so they carry over to Swedish and English."""
    n_words = max(1, len(a.tokens))
    letters = sum(map(str.isalpha, a.text))
    caps = sum(map(str.isupper, a.text)) / max(1, letters)
    row = [math.log1p(a.counts[c]) for c in LEXICON_CATEGORIES[:-1]]
    row.append(math.log1p(threat_hits))
    row += [
        sum(a.counts[c] for c in ("obscene", "sexual", "insult", "slur")) / n_words,
        caps,
        math.log1p(a.text.count("!")),
        math.log1p(n_words) / 5,
    ]
    return row


N_DENSE = len(LEXICON_CATEGORIES) + 4

_words = HashingVectorizer(
    analyzer=str.split, n_features=N_WORD, alternate_sign=False, norm=None, lowercase=False
)


def text_matrix(items: list[Analysed]):
    """Hashed base forms (Finnish) or lower-cased words (raw counts), a sparse matrix."""
    return _words.transform([" ".join(a.base_forms) for a in items]).astype(np.float64)
