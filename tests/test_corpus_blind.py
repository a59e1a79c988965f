"""The blind held-out corpus (tests/corpus_blind/<pack>.yaml) through each built-in pack.

These posts were written after the packs were tuned, in other voices than tests/corpus, and
labelled from the written policy before the checker ran on them (docs/quality.md tells the
rounds and the figures). The floors are what general fixes reached, not 1.0: a rule with enough
labelled posts must keep precision and recall above them, and clean posts must stay free of
errors and warnings. The machinery (document, checker, scoring) is tests/test_corpus.py's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from somevahti.policy import load_pack
from tests import test_corpus as base
from tests.test_corpus import PACKS, table

BLIND = Path(__file__).parent / "corpus_blind"
PRECISION_FLOOR = 0.8
RECALL_FLOOR = 0.7
MIN_SUPPORT = 3  # a rule's floors apply once it has this many labelled or fired posts


def corpus(pack: str) -> list[dict]:
    return base.corpus(pack, BLIND)


def results(pack: str) -> list[tuple[dict, list]]:
    return base.results(pack, BLIND)


def scores(pack: str) -> dict[str, dict[str, int]]:
    return base.scores(pack, BLIND)


def mistakes(pack: str) -> str:
    return base.mistakes(pack, BLIND)


def test_blind_corpus_is_large_varied_and_separate():
    posts = [p for pack in PACKS for p in corpus(pack)]
    assert len(posts) >= 160
    assert sum(1 for p in posts if not p["expect"]) * 10 >= len(posts) * 4, "at least 40% clean"
    ids = Counter(p["id"] for p in posts)
    assert not [i for i, n in ids.items() if n > 1], "post ids are unique"
    tuned = {p["id"] for pack in PACKS for p in base.corpus(pack)}
    assert not ids.keys() & tuned, "the blind posts are not the tuned corpus"
    kinds = Counter((p.get("kind", "post"), p.get("account_kind", "shared")) for p in posts)
    assert len(kinds) >= 5, kinds  # posts, replies and comments from shared, expert and personal accounts
    assert {p.get("channel") for p in posts} >= {"facebook", "instagram", "x", "linkedin", "youtube"}


@pytest.mark.parametrize("pack", PACKS)
def test_every_blind_label_is_a_rule_of_the_pack(pack):
    rule_ids = {r.id for r in load_pack(pack).rules}
    labelled = {rid for post in corpus(pack) for rid in post["expect"]}
    assert labelled <= rule_ids, f"labels that are not rules: {labelled - rule_ids}"


@pytest.mark.parametrize("pack", PACKS)
def test_blind_precision_and_recall_per_rule(pack):
    rows = scores(pack)
    low = []
    for rid, r in rows.items():
        if r["tp"] + r["fp"] >= MIN_SUPPORT and r["tp"] / (r["tp"] + r["fp"]) < PRECISION_FLOOR:
            low.append(rid)
        if r["tp"] + r["fn"] >= MIN_SUPPORT and r["tp"] / (r["tp"] + r["fn"]) < RECALL_FLOOR:
            low.append(rid)
    assert not low, f"below the floors: {sorted(set(low))}\n{table(pack, rows)}\n{mistakes(pack)}"


@pytest.mark.parametrize("pack", PACKS)
def test_blind_overall_figures(pack):
    """Across all rules of the pack, the blind set keeps micro precision and recall at 0.9."""
    rows = scores(pack).values()
    tp, fp, fn = (sum(r[k] for r in rows) for k in ("tp", "fp", "fn"))
    assert tp / (tp + fp) >= 0.9 and tp / (tp + fn) >= 0.9, f"tp {tp} fp {fp} fn {fn}\n{mistakes(pack)}"


@pytest.mark.parametrize("pack", PACKS)
def test_blind_clean_posts_stay_clean(pack):
    noisy = base.noisy_clean_posts(pack, BLIND)
    assert not noisy, "clean blind posts with findings:\n" + "\n".join(noisy)


if __name__ == "__main__":  # `python -m tests.test_corpus_blind` prints the per-rule table
    for name in PACKS:
        print(table(name, scores(name)))
        print(mistakes(name) or "  (no mistakes)")
