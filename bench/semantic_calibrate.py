"""Calibrate the semantic layer's thresholds by cross-validation on the labelled examples only.

    taskset -c 1 python bench/semantic_calibrate.py [triage|clauses] [--folds 5] [--c 64]

Out-of-fold probabilities (stratified k-fold over text/semantic_examples/NAME*.yaml, the same
logistic regression as text/semantic.Scorer) give, per threshold, the precision of the top label
among the examples whose top probability reaches it, and the share of examples that reach it; per
label, the precision and recall of "probability of this label >= t". No blind set is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def out_of_fold(
    name: str, folds: int = 5, seed: int = 0, c: float = 64.0
) -> tuple[np.ndarray, list[str], list]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from somevahti.text import semantic

    examples = semantic.read_examples(name)
    x = semantic.examples_matrix(tuple(e.text for e in examples))
    y = np.array([e.label for e in examples])
    classes = sorted(set(y))
    probs = np.zeros((len(y), len(classes)))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        m = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x[train], y[train])
        probs[np.ix_(test, [classes.index(c) for c in m.classes_])] = m.predict_proba(x[test])
    return probs, classes, list(y)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", nargs="?", default="triage")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=64.0, help="the logistic regression's C (Scorer's default 64)")
    args = ap.parse_args()
    probs, classes, y = out_of_fold(args.name, args.folds, c=args.c)
    top = probs.argmax(1)
    pmax = probs.max(1)
    right = np.array([classes[j] == t for j, t in zip(top, y, strict=True)])
    print(f"{args.name}: {len(y)} examples, C {args.c:g}, out-of-fold accuracy {right.mean():.1%}")
    print("top label: threshold  precision  share reaching it")
    for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        on = pmax >= t
        print(f"  {t:4.2f}  {right[on].mean() if on.any() else float('nan'):6.1%}  {on.mean():6.1%}")
    print("per label, P/R of 'probability >= t' (t = 0.4 0.5 0.6 0.7):")
    truth = np.array(y)
    for j, c in enumerate(classes):
        cells = []
        for t in (0.4, 0.5, 0.6, 0.7):
            on = probs[:, j] >= t
            tp = int((on & (truth == c)).sum())
            p = tp / on.sum() if on.sum() else float("nan")
            r = tp / (truth == c).sum()
            cells.append(f"{p:4.2f}/{r:4.2f}")
        print(f"  {c:24s} " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
