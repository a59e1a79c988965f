"""Precision and recall of the meaning rules on the round-3 blind posts (tests/corpus_blind2/).

    python bench/meaning_eval.py [--misses]

The meaning rules are the pack rules whose clauses are about meaning (criticism and respect,
confidential and internal matters, customers' matters, promises, tone, competitors, positive
content on shared accounts, affiliation and own-opinion statements). Per rule and per language
of the post (fi/sv/en), counted in posts; "clean" posts are those with no label, and a clean
post is noisy when any meaning rule fires on it. Other rules that fire are listed separately.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import test_corpus as base  # noqa: E402

BLIND = (
    ROOT / "tests" / os.environ.get("MEANING_BLIND", "corpus_blind2")
)  # MEANING_BLIND=corpus_blind3: round 4
MEANING = {
    "kela": (
        "kela-criticism",
        "kela-confidential",
        "kela-customer-matters",
        "kela-manners",
        "kela-affiliation",
    ),
    "kirkkonummi": ("kirk-respect", "kirk-confidential", "kirk-tone"),
    "ranua": ("ranua-positive", "ranua-internal", "ranua-confidential-personal", "ranua-criticism"),
    "foretaget": (
        "foretaget-promises",
        "foretaget-competitors",
        "foretaget-secrets",
        "foretaget-tone",
        "foretaget-own-opinion",
    ),
}


def language(text: str) -> str:
    from somevahti.text import langid

    if langid.finnish_by_voikko(text):
        return "fi"
    return langid.detect(text, ("fi", "sv", "en")) or "fi"


def evaluate(misses: bool = False, blind: Path | None = None) -> dict:
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    by_lang: dict[str, dict[str, int]] = defaultdict(
        lambda: {"tp": 0, "fp": 0, "fn": 0, "clean": 0, "noisy": 0}
    )
    other = 0
    lines = []
    for pack, meaning in MEANING.items():
        if not ((blind or BLIND) / f"{pack}.yaml").exists():
            continue  # a set for some packs' rules only (round 10: the tone rules)
        for post, findings in base.results(pack, blind or BLIND):
            lang = language(post["text"])
            fired = {f.rule for f in findings}
            expected = set(post["expect"])
            other += len(fired - expected - set(meaning))
            for rid in (fired | expected) & set(meaning):
                kind = "tp" if rid in fired and rid in expected else "fp" if rid in fired else "fn"
                rows[rid][kind] += 1
                by_lang[lang][kind] += 1
                by_lang["all"][kind] += 1
            if not expected:
                for key in (lang, "all"):
                    by_lang[key]["clean"] += 1
                    by_lang[key]["noisy"] += bool(fired & set(meaning))
            if misses and (fired & set(meaning)) != expected:
                why = "; ".join(
                    f"{f.rule}: {f.message}" for f in findings if f.rule in meaning and f.rule not in expected
                )
                lines.append(f"  {post['id']} [{lang}]: missed {sorted(expected - fired)} false [{why}]")
    return {"rules": dict(rows), "languages": dict(by_lang), "other": other, "misses": lines}


def pr(r: dict) -> str:
    p = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else float("nan")
    rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else float("nan")
    return f"{r['tp']:>3} {r['fp']:>3} {r['fn']:>3}  P {p:5.2f}  R {rec:5.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    out = evaluate(args.misses)
    print(f"{'rule':30s}  tp  fp  fn")
    for rid in sorted(out["rules"]):
        print(f"{rid:30s} {pr(out['rules'][rid])}")
    print("per language (micro over the meaning rules):")
    for lang in ("fi", "sv", "en", "all"):
        r = out["languages"].get(lang)
        if r:
            print(f"  {lang:4s} {pr(r)}  clean posts with a meaning finding: {r['noisy']}/{r['clean']}")
    print(f"findings of other rules not labelled: {out['other']}")
    if args.misses:
        print("\n".join(out["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
