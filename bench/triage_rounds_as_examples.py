"""Does teaching the semantic layer with the older blind rounds help on a round it has not seen?

    taskset -c 1 python bench/triage_rounds_as_examples.py [ROUND.jsonl ...]   # default: rounds 1-4

Leave one round out: for each round, triage it (full pipeline, rules + semantic layer) once with the
shipped examples alone and once with the shipped examples plus every OTHER round's comments as
labelled examples (their category, their language). Prints correct/total per language for both, so
a decision to ship the rounds as training data rests on rounds the model did not learn from.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.triage_blind_eval import evaluate  # noqa: E402

ROUNDS = [ROOT / "tests" / "triage" / f"blind{n}_comments.jsonl" for n in ("", "2", "3", "4")]


def as_examples(path: Path):
    from somevahti.text.semantic import Example

    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(c["category"], c["language"], c["text"]) for c in cases]


def run(path: Path, extra: list) -> dict:
    from somevahti.text import semantic
    from somevahti.triage import semantic as tsemantic

    scorer = semantic.Scorer(semantic.read_examples("triage") + extra)
    original = tsemantic.scorer
    tsemantic.scorer = lambda languages=None: scorer
    try:
        return evaluate(path)
    finally:
        tsemantic.scorer = original


def cells(out: dict) -> str:
    return "  ".join(f"{k} {out['hits'][k]}/{out['total'][k]}" for k in ("fi", "sv", "en", "all"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rounds", nargs="*", type=Path, default=ROUNDS)
    args = ap.parse_args()
    for held in args.rounds:
        extra = [e for r in args.rounds if r != held for e in as_examples(r)]
        base, more = run(held, []), run(held, extra)
        print(f"{held.name}: examples only   {cells(base)}")
        print(f"{' ' * len(held.name)}  + other rounds ({len(extra)})  {cells(more)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
