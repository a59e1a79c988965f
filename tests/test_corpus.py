"""The labelled corpus (tests/corpus/<pack>.yaml) through each built-in organisation pack.

Every post lists the rules that must fire on it (``expect``); any other rule that fires is a false
alarm. Per rule we count true positives, false positives and misses, and hold each rule to
precision and recall floors. Clean posts (nothing expected but suggestions) must get no error- or
warning-level finding: a false alarm there is what makes communications staff stop listening.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
import yaml

from somevahti.check import Checker
from somevahti.document import PostDocument
from somevahti.findings import Severity
from somevahti.policy import load_pack

CORPUS = Path(__file__).parent / "corpus"
PACKS = ("kela", "kirkkonummi", "ranua", "foretaget")
LABELS = ("id", "expect", "note", "pinned_in_days")
PRECISION_FLOOR = 0.8
RECALL_FLOOR = 0.8
MIN_POSITIVES = 2  # every rule is labelled on at least this many posts


def corpus(pack: str, where: Path = CORPUS) -> list[dict]:
    return yaml.safe_load((where / f"{pack}.yaml").read_text(encoding="utf-8"))


@cache
def checker(pack: str) -> Checker:
    return Checker(load_pack(pack))


def document(post: dict) -> PostDocument:
    """The post without its labels; ``pinned_in_days: N`` pins it until N days from today."""
    data = {k: v for k, v in post.items() if k not in LABELS}
    if "pinned_in_days" in post:
        data["pinned_until"] = date.today() + timedelta(days=post["pinned_in_days"])
    return PostDocument.model_validate(data)


@cache
def results(pack: str, where: Path = CORPUS) -> list[tuple[dict, list]]:
    """(post, findings) for every post of a pack's corpus in ``where``; each pack's Checker is built once."""
    return [(post, checker(pack).check(document(post))) for post in corpus(pack, where)]


def scores(pack: str, where: Path = CORPUS) -> dict[str, dict[str, int]]:
    rules = {r.id: {"tp": 0, "fp": 0, "fn": 0} for r in load_pack(pack).rules}
    for post, findings in results(pack, where):
        fired = {f.rule for f in findings}
        expected = set(post["expect"])
        for rid in fired | expected:
            row = rules.setdefault(rid, {"tp": 0, "fp": 0, "fn": 0})
            row["tp" if rid in fired and rid in expected else "fp" if rid in fired else "fn"] += 1
    return rules


def table(pack: str, rows: dict[str, dict[str, int]]) -> str:
    lines = [f"{pack}: {'rule':34} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}"]
    for rid, r in sorted(rows.items()):
        prec = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else 1.0
        rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else 1.0
        lines.append(
            f"{'':{len(pack) + 2}}{rid:34} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {prec:>6.2f} {rec:>6.2f}"
        )
    return "\n".join(lines)


def mistakes(pack: str, where: Path = CORPUS) -> str:
    lines = []
    for post, findings in results(pack, where):
        fired = {f.rule for f in findings}
        expected = set(post["expect"])
        if fired != expected:
            extra = ", ".join(f"{f.rule}@{f.field}: {f.message}" for f in findings if f.rule not in expected)
            lines.append(f"  {post['id']}: missed {sorted(expected - fired)} false {extra or '[]'}")
    return "\n".join(lines)


def noisy_clean_posts(pack: str, where: Path = CORPUS) -> list[str]:
    """Clean posts (no labels) with error- or warning-level findings, one line each."""
    noisy = []
    for post, findings in results(pack, where):
        if post["expect"]:
            continue
        loud = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
        if loud:
            noisy.append(
                f"{post['id']}: " + "; ".join(f"{f.rule} {f.field} {f.span}: {f.message}" for f in loud)
            )
    return noisy


def test_corpus_is_large_and_mostly_realistic():
    posts = [p for pack in PACKS for p in corpus(pack)]
    assert len(posts) >= 200
    clean = [p for p in posts if not p["expect"]]
    assert len(clean) * 3 >= len(posts), "at least a third of the corpus is clean"
    ids = Counter(p["id"] for p in posts)
    assert not [i for i, n in ids.items() if n > 1], "post ids are unique"


@pytest.mark.parametrize("pack", PACKS)
def test_every_label_is_a_rule_of_the_pack_and_every_rule_is_labelled(pack):
    rule_ids = {r.id for r in load_pack(pack).rules}
    labelled = Counter(rid for post in corpus(pack) for rid in post["expect"])
    assert set(labelled) <= rule_ids, f"labels that are not rules: {set(labelled) - rule_ids}"
    thin = {rid: labelled[rid] for rid in rule_ids if labelled[rid] < MIN_POSITIVES}
    assert not thin, f"rules with fewer than {MIN_POSITIVES} labelled posts: {thin}"


@pytest.mark.parametrize("pack", PACKS)
def test_precision_and_recall_per_rule(pack):
    rows = scores(pack)
    low = []
    for rid, r in rows.items():
        if r["tp"] + r["fp"] and r["tp"] / (r["tp"] + r["fp"]) < PRECISION_FLOOR:
            low.append(rid)
        if r["tp"] + r["fn"] and r["tp"] / (r["tp"] + r["fn"]) < RECALL_FLOOR:
            low.append(rid)
    assert not low, f"below the floors: {sorted(set(low))}\n{table(pack, rows)}\n{mistakes(pack)}"


@pytest.mark.parametrize("pack", PACKS)
def test_clean_posts_stay_clean(pack):
    noisy = noisy_clean_posts(pack)
    assert not noisy, "clean posts with findings:\n" + "\n".join(noisy)


@pytest.mark.parametrize("pack", PACKS)
def test_every_message_is_filled_in_and_points_at_a_field(pack):
    fields = {"text", "title", "media", "pinned", "pinned_until"}
    for post, findings in results(pack):
        for f in findings:
            assert "{" not in f.message, f"{post['id']}: {f.rule} left a placeholder: {f.message}"
            assert f.field.split(".")[0].split("[")[0] in fields, (post["id"], f.field)
