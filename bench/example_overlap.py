"""How close labelled examples come to texts they must stay apart from (blind sets, other examples).

    python bench/example_overlap.py EXAMPLES.yaml [...] --against SET.jsonl|OTHER.yaml [...] [--max 0.30]

For every example sentence in the YAML file(s) (label -> language -> sentences, as in
text/semantic_examples/), the highest Jaccard similarity of its set of lower-cased character
4-grams with any text of the --against files (JSON Lines with a "text" field, or example YAML).
Prints the examples above --max (default 0.30) with their closest text's source and id, then a
summary: how many examples, the largest similarity, how many are above. Exit 1 when any is above,
so that a loop can reword until it exits 0. Pass the files explicitly: a blind set that is still
unseen is not to be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml


def grams(text: str, n: int = 4) -> frozenset[str]:
    t = " ".join(text.lower().split())
    return frozenset(t[i : i + n] for i in range(max(len(t) - n + 1, 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def read_yaml(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        (f"{path.name}:{label}/{lang}", text)
        for label, by_lang in data.items()
        for lang, texts in (by_lang or {}).items()
        for text in texts or ()
    ]


def read_texts(path: Path) -> list[tuple[str, str]]:
    if path.suffix in (".yaml", ".yml"):
        return read_yaml(path)
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            out.append((f"{path.name}:{row.get('id', n)}", row["text"]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("examples", nargs="+", type=Path)
    ap.add_argument("--against", nargs="+", type=Path, required=True)
    ap.add_argument("--max", type=float, default=0.30)
    args = ap.parse_args()
    others = [(src, grams(text), text) for p in args.against for src, text in read_texts(p)]
    above, worst, count = 0, 0.0, 0
    for path in args.examples:
        for src, text in read_yaml(path):
            g = grams(text)
            # an example file compared with itself: skip the identical sentence
            best = max(
                ((jaccard(g, og), osrc, otext) for osrc, og, otext in others if otext != text),
                default=(0.0, "", ""),
            )
            count += 1
            worst = max(worst, best[0])
            if best[0] > args.max:
                above += 1
                print(f"{best[0]:.2f}  {src}: {text}\n      ~ {best[1]}: {best[2]}")
    print(f"{count} examples, highest similarity {worst:.2f}, {above} above {args.max:.2f}")
    return 1 if above else 0


if __name__ == "__main__":
    sys.exit(main())
