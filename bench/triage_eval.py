"""Cross-validated evaluation of the triage labels on the Suomi24 dev split, beside the reference.

    python bench/triage_eval.py                 # 5-fold CV on dev.tsv, repeated over 3 seeds
    python bench/triage_eval.py --heldout FILE  # train on all of dev.tsv, score FILE (same columns)

Each label is scored on the rows annotated for it (label or not-label), as in the reference:
precision, recall and F1 of the positive class, then their mean over the six labels. The
hand-written neutral comments are always in the training folds, never in the test folds.
Also prints the category accuracy on the hand-labelled comment sets in tests/triage/ (the 36 written
with the rules, and the blind sets labelled before the triager ran on them): per language, with the
language given and withheld, and the confusions (expected -> got, count).

    python bench/triage_eval.py --categories-only [--misses]   # the category sets only
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from somevahti.triage import model as M

REFERENCE = {
    "toxicity": None,
    "severe_toxicity": 20.7,
    "obscene": None,
    "threat": 27.2,
    "insult": None,
    "identity_attack": None,
    "mean": 51.2,
}
ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = [
    ROOT / "tests" / "triage" / name
    for name in (
        "labelled_comments.jsonl",
        "blind_comments.jsonl",
        "blind2_comments.jsonl",
        "blind3_comments.jsonl",
    )
]


def decisions(model: M.Model, items, dense) -> np.ndarray:
    return M.decide(model.scores(items, dense), items)


def score(examples, predicted) -> dict[str, tuple[float, float, float]]:
    out = {}
    for j, lab in enumerate(M.LABELS):
        idx = [i for i, e in enumerate(examples) if e.label == lab]
        y = [examples[i].positive for i in idx]
        p, r, f, _ = precision_recall_fscore_support(
            y, [predicted[i, j] for i in idx], average="binary", zero_division=0
        )
        out[lab] = (p, r, f)
    return out


def semantic_probs(vectors: np.ndarray, examples: list, train: list[int], test: list[int]) -> np.ndarray:
    """Per label, a logistic regression on the semantic layer's embeddings: (len(test), labels)
    probabilities."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((len(test), len(M.LABELS)))
    train_set = set(train)
    for j, pairs in enumerate(M.label_sets(examples).values()):
        pairs = [(i, p) for i, p in pairs if i in train_set]
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        lr.fit(vectors[[i for i, _ in pairs]], [p for _, p in pairs])
        out[:, j] = lr.predict_proba(vectors[test])[:, 1]
    return out


def cross_validate(seeds: int, folds: int, semantic: bool = False) -> dict:
    """Label scores per fold-averaged seed; with ``semantic`` also the embeddings alone and the mean
    of both."""
    dev, neutral = M.read_annotations(), M.read_neutral()
    items, dense = M.prepare([e.text for e in dev + neutral], [e.lang for e in dev + neutral])
    vectors = None
    if semantic:
        from somevahti.text import semantic as S

        vectors = S.examples_matrix(
            tuple(e.text for e in dev + neutral)
        )  # cached on disk after the first run
    n = len(dev)
    runs: dict[str, list] = {"rules+classifier": [], "semantic alone": [], "classifier+semantic": []}
    for seed in range(seeds):
        predicted = {k: np.zeros((n, len(M.LABELS)), dtype=bool) for k in runs}
        split = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
        for train, test in split.split(dev, [f"{e.label}{e.positive}" for e in dev], [e.id for e in dev]):
            rows = list(train) + list(range(n, n + len(neutral)))
            model = M.fit([items[i] for i in rows], dense[rows], [(dev + neutral)[i] for i in rows])
            test_items = [items[i] for i in test]
            base = model.scores(test_items, dense[test])
            predicted["rules+classifier"][test] = M.decide(base, test_items)
            if semantic:
                sem = semantic_probs(vectors, dev + neutral, rows, list(test))
                predicted["semantic alone"][test] = M.decide(sem, test_items)
                predicted["classifier+semantic"][test] = M.decide((base + sem) / 2, test_items)
        for k in runs:
            runs[k].append(score(dev, predicted[k]))
    return {
        k: {lab: tuple(np.mean([r[lab] for r in v], axis=0)) for lab in M.LABELS}
        for k, v in runs.items()
        if semantic or k == "rules+classifier"
    }


def heldout(path: Path) -> dict[str, tuple[float, float, float]]:
    model = M.train()
    test = M.read_annotations(path)
    items, dense = M.prepare([e.text for e in test], ["fi"] * len(test))
    return score(test, decisions(model, items, dense))


def print_table(result, title: str) -> None:
    print(title)
    print(f"{'label':18s} {'P':>6s} {'R':>6s} {'F1':>6s}   reference F1 (FinBERT-large)")
    for lab in M.LABELS:
        p, r, f = result[lab]
        ref = REFERENCE[lab]
        print(
            f"{lab:18s} {p * 100:6.1f} {r * 100:6.1f} {f * 100:6.1f}   {'' if ref is None else f'{ref:.1f}'}"
        )
    mean = np.mean([result[lab][2] for lab in M.LABELS]) * 100
    print(f"{'mean over labels':18s} {'':6s} {'':6s} {mean:6.1f}   {REFERENCE['mean']:.1f}")


def read_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def triage_cases(cases: list[dict], detect: bool = False) -> list[str]:
    """The category of each case, triaged with the pack it names (``pack``, else generic); with
    ``detect`` the given language is withheld, so the triager detects it."""
    from somevahti.policy import load_pack
    from somevahti.triage import Comment, Triager

    got: list[str | None] = [None] * len(cases)
    for pack in sorted({c.get("pack", "generic") for c in cases}):
        idx = [i for i, c in enumerate(cases) if c.get("pack", "generic") == pack]
        comments = [
            Comment(cases[i]["id"], cases[i]["text"], None if detect else cases[i].get("language"))
            for i in idx
        ]
        for i, res in zip(idx, Triager(load_pack(pack), ui="en").triage(comments), strict=True):
            got[i] = res.category
    return got


def category_report(path: Path, detect: bool = False, misses: bool = False) -> None:
    """Accuracy per language and overall, then the confusions (expected → got, count)."""
    cases = read_cases(path)
    got = triage_cases(cases, detect)
    hits, total, confusions = Counter(), Counter(), Counter()
    for case, category in zip(cases, got, strict=True):
        lang = case.get("language", "fi")
        total[lang] += 1
        hits[lang] += category == case["category"]
        if category != case["category"]:
            confusions[case["category"], category] += 1
    how = "language detected" if detect else "language given"
    print(f"\nCategory accuracy on {path.relative_to(ROOT)} ({how}):")
    for lang in sorted(total):
        print(f"  {lang}: {hits[lang]}/{total[lang]} = {hits[lang] / total[lang]:.1%}")
    n, k = sum(total.values()), sum(hits.values())
    print(f"  all: {k}/{n} = {k / n:.1%}")
    if confusions:
        print("  confusions (expected -> got: count):")
        for (want, have), count in sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"    {want} -> {have}: {count}")
    if misses:
        for case, category in zip(cases, got, strict=True):
            if category != case["category"]:
                print(f"    {case['id']}: {case['category']} -> {category}: {case['text']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--heldout", type=Path, help="annotation file to score after training on all of dev.tsv")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--categories-only", action="store_true", help="skip the label scores, report categories only"
    )
    ap.add_argument("--misses", action="store_true", help="also list every comment whose category is wrong")
    ap.add_argument(
        "--semantic",
        action="store_true",
        help="also score the labels from the semantic layer's embeddings alone "
        "and averaged with the classifier",
    )
    args = ap.parse_args()
    if args.categories_only:
        pass
    elif args.heldout:
        print_table(heldout(args.heldout), f"Trained on dev.tsv, scored on {args.heldout}:")
    else:
        for name, result in cross_validate(args.seeds, args.folds, args.semantic).items():
            print_table(
                result, f"{args.folds}-fold cross-validation on dev.tsv, mean of {args.seeds} seeds, {name}:"
            )
    for path in CASE_FILES:
        if path.exists():
            category_report(path, misses=args.misses)
            category_report(path, detect=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
