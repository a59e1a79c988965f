"""The fast character n-gram hashing gives exactly the matrix sklearn's HashingVectorizer gives, so
the trained model and its scores do not change (bench/triage_bench.py measures the speed)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer

from somevahti.triage import features


def reference(texts):
    return HashingVectorizer(analyzer="char_wb", ngram_range=features.NGRAMS, n_features=features.N_CHAR,
                             alternate_sign=False, norm=None, lowercase=False
                             ).transform([text[:features.MAX_CHARS] for text in texts])


def same(texts) -> bool:
    return (reference(texts) != features.char_matrix(texts)).nnz == 0


def test_edge_cases():
    assert same(["", " ", "\n\t", "a", "a b", "a b c d e", "ab  cd\tef\ngh", "x" * 2500, "y " * 1500,
                 "tapan sinut", "Kela-kortti ja kelan tuki", "😀 é ä ö å", "v itun p.aska !!!"])


def test_random_short_words():
    rnd = random.Random(5)
    alphabet = "ab c  ä\tö\nxy-é😀."
    assert same(["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(500)])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=5))
def test_any_text(texts):
    assert same(texts)


def test_a_full_cache_is_emptied_and_refilled(monkeypatch):
    monkeypatch.setattr(features, "CACHE_SIZE", 5)
    texts = ["yksi kaksi kolme neljä viisi kuusi", "", "seitsemän kahdeksan", "yksi kaksi"]
    assert same(texts) and same(texts[::-1])
