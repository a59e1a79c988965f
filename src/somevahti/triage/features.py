"""What the classifier sees of a comment: normalised characters, base forms and lexicon counts.

Finnish words become Voikko base forms and compound parts, so "kusipäähomo" counts as an insult
and a group word and "tapetaan" as the verb "tappaa". The lexicon counts are the same features in
every language, which lets a Finnish-trained model score Swedish and English comments through
their own lexicons (see docs/triage.md for what that transfer achieves).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer

from somevahti.text import finnish
from somevahti.text.lexicon import Match, Matcher
from somevahti.text.tokens import Token, tokenize
from somevahti.triage.lexicons import matcher

LEXICON_CATEGORIES = ("obscene", "sexual", "insult", "insult_marker", "slur", "group", "violence",
                      "selfharm", "second_person", "threat_form")
_REPEATS = re.compile(r"(.)\1{2,}")
_SPACED = re.compile(r"\b([^\W\d_])[ .*]+(?=[^\W\d_]{2,})")  # "v itun", "p.aska" → "vitun", "paska"
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
    row += [sum(a.counts[c] for c in ("obscene", "sexual", "insult", "slur")) / n_words,
            caps, math.log1p(a.text.count("!")), math.log1p(n_words) / 5]
    return row


N_DENSE = len(LEXICON_CATEGORIES) + 4

MAX_CHARS = 2000  # n-grams of a long comment's beginning say enough and keep the time per comment flat

# Character n-grams are the 3- and 4-grams inside each space-padded word, hashed exactly as sklearn's
# HashingVectorizer(analyzer="char_wb", ngram_range=NGRAMS) hashes them (raw counts), but each distinct
# word only once: its hashed n-grams are cached, so a word seen before costs a dictionary look-up and
# each batch hashes its new words in one call. tests/triage/test_char_hashing.py holds the two equal.
# What they add is robustness to spellings Voikko does not know; the cross-validated F1 on dev.tsv is
# 59.3-59.4 with 2-5-grams across spaces, 2-5 or 3-4 within words, or none at all (3 seeds), so the
# cheapest of those is used.
NGRAMS = (3, 4)
CACHE_SIZE = 200_000
# (n-gram, 1) pairs hash as the n-gram strings would, without a Python generator per n-gram.
_hasher = FeatureHasher(n_features=N_CHAR, input_type="pair", alternate_sign=False, dtype=np.float64)
_in_word: dict[str, np.ndarray] = {}


def _word_grams(word: str) -> list[str]:
    s = " " + word + " "
    return [s[i:i + n] for n in range(NGRAMS[0], NGRAMS[1] + 1) for i in range(len(s) - n + 1)]


def _fill(words: list[str]) -> None:
    missing = [w for w in dict.fromkeys(words) if w not in _in_word]
    if not missing:
        return
    if len(_in_word) + len(missing) > CACHE_SIZE:
        _in_word.clear()
        missing = list(dict.fromkeys(words))
    x = _hasher.transform([zip(_word_grams(w), repeat(1)) for w in missing])
    counts = x.data.astype(np.int64)
    columns = np.repeat(x.indices.astype(np.int32), counts)  # every n-gram once per occurrence
    ends = np.concatenate([[0], np.cumsum(counts)])[x.indptr].tolist()
    for r, w in enumerate(missing):
        _in_word[w] = columns[ends[r]:ends[r + 1]]


def char_matrix(texts: list[str]) -> sparse.csr_matrix:
    """Hashed counts of the character n-grams inside each word (padded with spaces) of each text."""
    docs = [text[:MAX_CHARS].split() for text in texts]
    _fill([w for words in docs for w in words])
    cols = [_in_word[w] for words in docs for w in words]
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([sum(len(_in_word[w]) for w in words) for words in docs], out=indptr[1:])
    data = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
    x = sparse.csr_matrix((np.ones(len(data)), data, indptr), shape=(len(texts), N_CHAR))
    x.sum_duplicates()
    return x


_words = HashingVectorizer(analyzer=str.split, n_features=N_WORD, alternate_sign=False, norm=None,
                           lowercase=False)


def text_matrix(items: list[Analysed]) -> sparse.csr_matrix:
    """Hashed character n-grams of the normalised text and hashed base forms (raw counts)."""
    chars = char_matrix([normalise(a.text) for a in items])
    words = _words.transform([" ".join(a.base_forms) for a in items])
    return sparse.hstack([chars, words], format="csr", dtype=np.float64)
