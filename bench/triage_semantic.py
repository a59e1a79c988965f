"""The semantic layer in triage: its learned category alone per language, cross-lingual transfer
(Swedish comments scored by a scorer trained without any Swedish example), and speed.

    taskset -c 0 python bench/triage_semantic.py [FILE.jsonl ...]   # default: the round-3 blind comments

Speed: the triage of the comments with the semantic layer on, in batches of 32 (comments/s, cold:
every text new to the embedding cache; warm: cached), and the p95 latency of one comment triaged
alone (cold). The machine is shared: run it pinned to one core and repeat to see the spread.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from somevahti.policy import load_pack
    from somevahti.text import semantic
    from somevahti.triage import Comment, Triager
    from somevahti.triage import semantic as tsemantic

    files = [Path(a) for a in sys.argv[1:]] or [ROOT / "tests" / "triage" / "blind3_comments.jsonl"]
    cases = [
        json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    texts = [c["text"] for c in cases]
    full = tsemantic.scorer()
    no_sv = semantic.Scorer(semantic.read_examples("triage", ("fi", "en")))
    only_sv = semantic.Scorer(semantic.read_examples("triage", ("sv",)))
    vectors = semantic.embed(texts)
    print("learned category alone (no rules), share correct, needs_review counted wrong:")
    for name, scorer in (("all examples", full), ("without Swedish", no_sv), ("Swedish only", only_sv)):
        got = [s.label for s in scorer.score_vectors(vectors)]
        hits, total = Counter(), Counter()
        for c, g in zip(cases, got, strict=True):
            total[c["language"]] += 1
            hits[c["language"]] += g == c["category"]
        print(
            f"  {name:16s} " + "  ".join(f"{lang} {hits[lang]}/{total[lang]}" for lang in ("fi", "sv", "en"))
        )

    triager = Triager(load_pack("generic"), ui="en")
    comments = [Comment(c["id"], c["text"], c["language"]) for c in cases]
    semantic.reset()
    tsemantic.scorer.cache_clear()
    tsemantic.scorer()  # examples from the disk cache, as in a running service
    for label in ("cold", "warm"):
        t = time.perf_counter()
        for i in range(0, len(comments), 32):
            triager.triage(comments[i : i + 32])
        dt = time.perf_counter() - t
        print(f"{label}: {len(comments) / dt:.0f} comments/s with the semantic layer")
    semantic.reset()
    tsemantic.scorer.cache_clear()
    tsemantic.scorer()
    one = []
    for c in comments:
        t = time.perf_counter()
        triager.triage([c])
        one.append(time.perf_counter() - t)
    print(
        f"one comment at a time, cold: p50 {np.percentile(one, 50) * 1000:.1f} ms, "
        f"p95 {np.percentile(one, 95) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
