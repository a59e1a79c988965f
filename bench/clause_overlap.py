"""How close the clause examples come to the labelled corpora (issue 14): examples must not echo them.

    python bench/clause_overlap.py [--limit 0.30] [--all] [EXAMPLES.yaml ...]

For every example sentence (default: text/semantic_examples/clauses-4.yaml) the highest Jaccard
similarity of its lower-cased character 4-gram set against every text of tests/corpus*/**/*.yaml
(each post's string fields, and each sentence of them, so that a sentence copied into a long post
is caught too). tests/corpus_blind10/, when it exists, is the next blind set and is never opened.
Exits 1 when an example is above the limit, listing it with the closest text. Written for somevahti,
CC0-1.0.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
EXAMPLES = ROOT / "src" / "somevahti" / "text" / "semantic_examples"
SKIP_DIRS = {"corpus_blind10"}  # the next blind set (round 11): never read it
LABEL_KEYS = {"id", "expect", "note", "pinned_in_days", "channel"}


def grams(text: str, n: int = 4) -> frozenset[str]:
    t = " ".join(text.lower().split())
    return frozenset(t[i : i + n] for i in range(max(len(t) - n + 1, 1)))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _strings(value, key=None):
    if isinstance(value, str):
        if key not in LABEL_KEYS and len(value.split()) >= 3:
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def corpus_texts() -> list[tuple[str, str]]:
    """(where, text) for every post text of tests/corpus*/ and every sentence of it."""
    out = []
    for d in sorted(TESTS.glob("corpus*")):
        if not d.is_dir() or d.name in SKIP_DIRS:
            continue
        for path in sorted(d.rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            for item in data if isinstance(data, list) else [data]:
                where = f"{path.relative_to(TESTS)}:{item.get('id', '?') if isinstance(item, dict) else '?'}"
                for text in _strings(item):
                    out.append((where, text))
                    parts = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text) if len(p.split()) >= 3]
                    if len(parts) > 1:
                        out += [(where, p) for p in parts]
    return out


def examples(paths: list[Path]) -> list[tuple[str, str, str]]:
    out = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for label, by_lang in data.items():
            for lang, texts in by_lang.items():
                out += [(label, lang, t) for t in texts]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--limit", type=float, default=0.30)
    ap.add_argument("--all", action="store_true", help="print every example's closest text")
    args = ap.parse_args()
    files = args.files or [EXAMPLES / "clauses-4.yaml"]
    texts = [(where, text, grams(text)) for where, text in corpus_texts()]
    over = 0
    scores = []
    for label, lang, ex in examples(files):
        g = grams(ex)
        score, where, text = max(((jaccard(g, tg), w, t) for w, t, tg in texts), default=(0.0, "", ""))
        scores.append(score)
        if score > args.limit:
            over += 1
        if score > args.limit or args.all:
            flag = "OVER" if score > args.limit else "    "
            near = " ".join(text.split())[:120]
            print(f"{flag} {score:.2f} [{label}/{lang}] {ex}\n          ~ {where}: {near}")
    scores.sort()
    n = len(scores)
    if n:
        print(
            f"{n} examples against {len(texts)} corpus texts: max {scores[-1]:.2f}, "
            f"median {scores[n // 2]:.2f}, above {args.limit:.2f}: {over}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
