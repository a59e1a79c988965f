"""Train the triage classifier from the data shipped in src/somevahti/triage/data/ and save it.

    python scripts/train_triage.py        # into ~/.cache/somevahti/triage/ (or $SOMEVAHTI_CACHE)
    python scripts/train_triage.py --out m.npz

Deterministic (fixed seed, liblinear): the same data, lexicons and code give the same weights.
`somevahti triage` does this by itself on first use; the model is never committed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from somevahti.triage import model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="where to write the weights (default: the cache path)")
    ap.add_argument("--limit", type=int, help="train on about N annotation rows, every k-th (for tests)")
    args = ap.parse_args(argv)
    annotations = model.read_annotations()
    step = max(1, -(-len(annotations) // args.limit)) if args.limit else 1
    examples = annotations[::step] + model.read_neutral()
    start = time.perf_counter()
    trained = model.train(examples)
    out = args.out or model.cache_path()
    trained.save(out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(
        f"trained on {len(examples)} rows in {time.perf_counter() - start:.1f} s -> {out} (sha256 {digest})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
