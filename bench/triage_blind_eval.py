"""Triage category accuracy on the blind comment sets, per language, with the semantic layer.

    taskset -c 1 python bench/triage_blind_eval.py [--misses] [FILE.jsonl ...]   # default: rounds 1-3
    python bench/triage_blind_eval.py --extra-examples semantic_examples/candidates/triage-4.yaml FILE...

Prints per file: correct/total per language (needs_review counted wrong), how many threats and
crimes ended in ``ignore``, and how many comments went to ``needs_review``. The tests' floors
(tests/triage/test_blind.py) use the tests' small model; this uses the process's model.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD = ("blind_comments.jsonl", "blind2_comments.jsonl", "blind3_comments.jsonl")


def evaluate(path: Path, use_semantic: bool | None = None) -> dict:
    from somevahti.policy import load_pack
    from somevahti.triage import Comment, Triager

    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    hits, total, review = Counter(), Counter(), Counter()
    pairs = []  # (expected, got) per comment
    ignored, misses = [], []
    for pack in sorted({c.get("pack", "generic") for c in cases}):
        mine = [c for c in cases if c.get("pack", "generic") == pack]
        triager = Triager(load_pack(pack), ui="en", use_semantic=use_semantic)
        results = triager.triage([Comment(c["id"], c["text"], c["language"]) for c in mine])
        for case, res in zip(mine, results, strict=True):
            ok = res.category == case["category"]
            pairs.append((case["category"], res.category))
            for key in (case["language"], "all"):
                total[key] += 1
                hits[key] += ok
                review[key] += res.category == "needs_review"
            if case["category"] in ("escalate_threat", "report_crime") and res.category == "ignore":
                ignored.append(case["id"])
            if not ok:
                misses.append(
                    f"  {case['id']} want {case['category']} got {res.category}: {case['text'][:70]}"
                )
    return {
        "hits": hits,
        "total": total,
        "review": review,
        "ignored": ignored,
        "misses": misses,
        "pairs": pairs,
    }


def with_extra(paths: list[Path]) -> None:
    """Let the triage scorer read candidate example files too (this process only)."""
    import yaml

    from somevahti.text import semantic
    from somevahti.triage import semantic as tsemantic

    shipped = semantic.read_examples

    def read_examples(name, languages=None):
        out = shipped(name, languages)
        if name == "triage":
            for path in paths:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                out += [
                    semantic.Example(label, lang, text)
                    for label, by_lang in data.items()
                    for lang, texts in by_lang.items()
                    if languages is None or lang in languages
                    for text in texts
                ]
        return out

    semantic.read_examples = read_examples
    tsemantic.scorer.cache_clear()


def per_category(pairs: list[tuple[str, str]]) -> list[str]:
    """Precision and recall of each expected category (needs_review is never expected: a miss)."""
    lines = []
    for c in sorted({want for want, _ in pairs}):
        tp = sum(1 for want, got in pairs if want == c and got == c)
        said = sum(1 for _, got in pairs if got == c)
        real = sum(1 for want, _ in pairs if want == c)
        p = f"{tp / said:.2f}" if said else " nan"
        lines.append(f"  {c:24s} tp {tp:3d}  fp {said - tp:3d}  fn {real - tp:3d}  P {p}  R {tp / real:.2f}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--rules-only", action="store_true", help="use_semantic=False")
    ap.add_argument("--per-category", action="store_true", help="precision and recall per category")
    ap.add_argument(
        "--extra-examples",
        action="append",
        type=Path,
        default=[],
        help="a candidate example file (label -> language -> sentences), read with the shipped ones",
    )
    args = ap.parse_args()
    if args.extra_examples:
        with_extra(args.extra_examples)
    files = args.files or [ROOT / "tests" / "triage" / n for n in OLD]
    for f in files:
        out = evaluate(f, False if args.rules_only else None)
        cells = "  ".join(
            f"{k} {out['hits'][k]}/{out['total'][k]} ({out['hits'][k] / out['total'][k]:.0%})"
            for k in ("fi", "sv", "en", "all")
        )
        print(
            f"{f.name}: {cells}  needs_review {out['review']['all']}  threats/crimes in ignore "
            f"{len(out['ignored'])} {out['ignored']}"
        )
        if args.per_category:
            print("\n".join(per_category(out["pairs"])))
        if args.misses:
            print("\n".join(out["misses"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
