"""The classifier: one logistic regression per Jigsaw label over hashed text and lexicon features.

Trained from the shipped Suomi24 annotations and hand-written neutral comments (``data/``) by
``train()``; the weights are saved as
a NumPy archive (no pickle) in the user's cache directory, never in the repository, and rebuilt
when the training data, the lexicons or this code change (the file name carries their hash).
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from somevahti.triage import features
from somevahti.triage.features import Analysed

LABELS = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")
DATA = Path(__file__).with_name("data") / "suomi24-toxicity-dev.tsv"
NEUTRAL = Path(__file__).with_name("data") / "neutral-comments.tsv"
SEED = 20231
# Regularisation and decision thresholds, chosen from a coarse grid (C 0.1/0.5/2, thresholds
# 0.3-0.6) by 5-fold cross-validation on dev.tsv (bench/triage_eval.py); class weights balance each
# label. Toxicity gets a lower threshold: its annotated rows are deliberately borderline.
C = dict.fromkeys(LABELS, 0.5)
THRESHOLD = {**dict.fromkeys(LABELS, 0.5), "toxicity": 0.4}
DENSE_WEIGHT = 3.0


@dataclass(frozen=True)
class Example:
    id: str
    label: str  # one of LABELS
    positive: bool
    text: str
    lang: str = "fi"


def read_annotations(path: Path = DATA) -> list[Example]:
    """Rows (id, label or not-label, text) of the Suomi24 annotations; '#' lines are the header."""
    csv.field_size_limit(10**8)
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    out = []
    for row in csv.DictReader(lines, delimiter="\t"):
        label = row["label"].removeprefix("not-")
        if label in LABELS:
            out.append(Example(row["id"], label, not row["label"].startswith("not-"), row["text"]))
    return out


def read_neutral(path: Path = NEUTRAL) -> list[Example]:
    """The hand-written neutral comments (fi, sv, en): not toxic, hence negatives for every label."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader([line for line in f if not line.startswith("#")], delimiter="\t"))
    return [
        Example(f"neutral:{i}", "toxicity", False, r["text"], r["language"]) for i, r in enumerate(rows, 1)
    ]


def training_examples() -> list[Example]:
    return read_annotations() + read_neutral()


def label_sets(examples: list[Example]) -> dict[str, list[tuple[int, bool]]]:
    """Per label, (example index, positive) pairs: the annotated rows plus the implied ones.

    A comment annotated not-toxic is a negative for every other label (the Jigsaw subtypes are
    kinds of toxicity). The converse, subtype positives as extra toxicity positives, lowered the
    cross-validated toxicity F1 (they are blatant, the annotated toxicity rows borderline) and is
    not used.
    """
    out: dict[str, list[tuple[int, bool]]] = {lab: [] for lab in LABELS}
    for i, ex in enumerate(examples):
        out[ex.label].append((i, ex.positive))
        if ex.label == "toxicity" and not ex.positive:
            for lab in LABELS[1:]:
                out[lab].append((i, False))
    return out


class Model:
    """Weights for the text features and the dense lexicon features, per label."""

    def __init__(self, idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray, dense_only: np.ndarray):
        self.idf, self.coef, self.intercept, self.dense_only = idf, coef, intercept, dense_only
        self.coef_t = np.ascontiguousarray(coef.T) if coef.size else coef

    def matrix(self, items: list[Analysed], dense: np.ndarray) -> sparse.csr_matrix:
        """Sublinear tf-idf of the text features, rows L2-normalised, then the weighted dense features."""
        text = features.text_matrix(items)
        text.data = np.log1p(text.data) * self.idf[text.indices]
        text = normalize(text, copy=False)
        return sparse.hstack([text, sparse.csr_matrix(dense * DENSE_WEIGHT)], format="csr")

    def scores(self, items: list[Analysed], dense: np.ndarray) -> np.ndarray:
        """(n, len(LABELS)) probabilities. Non-Finnish comments use the lexicon-only weights."""
        full = self.matrix(items, dense) @ self.coef_t + self.intercept[:, 0]
        lexical = (dense * DENSE_WEIGHT) @ self.dense_only[:, :-1].T + self.dense_only[:, -1]
        finnish = np.array([a.lang == "fi" for a in items])[:, None]
        return 1 / (1 + np.exp(-np.where(finnish, full, lexical)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez_compressed(
            tmp, idf=self.idf, coef=self.coef, intercept=self.intercept, dense_only=self.dense_only
        )
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Model:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["idf"], z["coef"], z["intercept"], z["dense_only"])


def fit(items: list[Analysed], dense: np.ndarray, examples: list[Example]) -> Model:
    """Train on analysed examples (the caller computes analyses and dense rows once), on one BLAS
    thread: the solvers' sums are ordered by the thread count, so that every machine gets the same model
    (as text/semantic.Scorer does)."""
    with threadpool_limits(limits=1):
        return _fit(items, dense, examples)


def _fit(items: list[Analysed], dense: np.ndarray, examples: list[Example]) -> Model:
    text = features.text_matrix(items)
    df = np.asarray((text > 0).sum(axis=0)).ravel()
    idf = (np.log((1 + len(items)) / (1 + df)) + 1).astype(np.float32)
    model = Model(idf, np.zeros((0,)), np.zeros((0,)), np.zeros((0,)))
    x_all = model.matrix(items, dense)
    used = np.unique(x_all.indices)  # unseen hashed columns keep a zero weight; fit on the rest only
    x_used = x_all[:, used]
    coef, intercept, dense_only = [], [], []
    for label, pairs in label_sets(examples).items():
        rows = [i for i, _ in pairs]
        y = np.array([p for _, p in pairs])
        lr = LogisticRegression(
            C=C[label],
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=5000,
            random_state=SEED,
        )
        lr.fit(x_used[rows], y)
        full = np.zeros(x_all.shape[1], dtype=np.float32)
        full[used] = lr.coef_[0]
        coef.append(full)
        intercept.append(lr.intercept_)
        lex = LogisticRegression(C=C[label], class_weight="balanced", max_iter=2000, random_state=SEED)
        lex.fit(dense[rows] * DENSE_WEIGHT, y)
        dense_only.append(np.append(lex.coef_[0], lex.intercept_))
    return Model(idf, np.vstack(coef), np.vstack(intercept), np.vstack(dense_only))


def fingerprint() -> str:
    """Hash of what the model is built from: data, lexicons and the feature and model code."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for p in [
        DATA,
        NEUTRAL,
        here / "features.py",
        here / "model.py",
        here / "threats.py",
        *sorted((here / "lexicons").glob("*.yaml")),
    ]:
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()[:16]


def cache_path() -> Path:
    """``$SOMEVAHTI_CACHE/triage/`` or ``~/.cache/somevahti/triage/``, file named by the fingerprint."""
    if os.environ.get("SOMEVAHTI_CACHE"):
        base = Path(os.environ["SOMEVAHTI_CACHE"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "somevahti"
    return base / "triage" / f"model-{fingerprint()}.npz"


def train(examples: list[Example] | None = None) -> Model:
    examples = training_examples() if examples is None else examples
    items, dense = prepare([e.text for e in examples], [e.lang for e in examples])
    return fit(items, dense, examples)


def load_or_train(path: Path | None = None, log=None) -> Model:
    """The cached model, trained from the shipped data first if there is none (a few seconds)."""
    path = path or cache_path()
    if path.exists():
        try:
            return Model.load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is rebuilt below
    if log:
        log(path)
    model = train()
    try:
        model.save(path)
    except OSError:
        pass  # a read-only home still triages, training again next time
    return model


def prepare(texts: list[str], langs: list[str], matcher=None) -> tuple[list[Analysed], np.ndarray]:
    """Analyses and dense feature rows for texts (the threat rule is one of the features).
    ``matcher(lang)``: the lexicon matcher per language (default: the triage lexicons)."""
    from somevahti.triage.threats import threats_to_others

    items = [
        features.analyse(t, lang, matcher(lang) if matcher else None)
        for t, lang in zip(texts, langs, strict=True)
    ]
    dense = np.array([features.dense_features(a, len(threats_to_others(a))) for a in items], dtype=np.float64)
    return items, dense.reshape(len(items), features.N_DENSE)


def decide(probs: np.ndarray, items: list[Analysed]) -> np.ndarray:
    """The labels a comment carries: score over the threshold; for threat, the score needs a
    violence word to back it, and a threat the rule finds counts whatever the score (a writer's own
    suicidal statement is not the ``threat`` label: it is escalated by its rule, not by the label)."""
    from somevahti.triage.threats import threats_to_others, violent_words

    out = probs >= np.array([THRESHOLD[lab] for lab in LABELS])
    t = LABELS.index("threat")
    out[:, t] &= np.array([bool(violent_words(a, others=True)) for a in items], dtype=bool)
    out[:, t] |= np.array([bool(threats_to_others(a)) for a in items], dtype=bool)
    return out
