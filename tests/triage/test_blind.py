"""Category accuracy on the blind sets (comments labelled before the triager ran on them; see
docs/triage.md): floors a little below the measured figures, so a change that makes the triage of
unseen comments worse fails here. Round 1 (blind_comments.jsonl) is the set the rules were then
improved on; round 2 (blind2_comments.jsonl) was written afterwards and never tuned on."""

import json
from collections import Counter
from pathlib import Path

import pytest

from somevahti.policy import load_pack
from somevahti.triage import Comment, Triager

HERE = Path(__file__).parent
# (file, language) -> the lowest accepted share of correct categories (language given), about two
# comments below what the tests' small model (conftest.py: a third of dev.tsv) measured: round 1
# fi 87/92, sv 47/50, en 49/51; round 2 fi 36/50, sv 16/24, en 14/24, all 66/98. The full model
# gets the same or one or two more right (docs/triage.md).
FLOORS = {
    ("blind_comments.jsonl", "fi"): 0.92, ("blind_comments.jsonl", "sv"): 0.90,
    ("blind_comments.jsonl", "en"): 0.92, ("blind_comments.jsonl", "all"): 0.92,
    ("blind2_comments.jsonl", "fi"): 0.68, ("blind2_comments.jsonl", "sv"): 0.62,
    ("blind2_comments.jsonl", "en"): 0.54, ("blind2_comments.jsonl", "all"): 0.64,
}


def accuracy(name: str) -> dict[str, float]:
    cases = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    hits, total = Counter(), Counter()
    for pack in {c.get("pack", "generic") for c in cases}:
        mine = [c for c in cases if c.get("pack", "generic") == pack]
        results = Triager(load_pack(pack), ui="en").triage([Comment(c["id"], c["text"], c["language"]) for c in mine])
        for case, res in zip(mine, results, strict=True):
            for key in (case["language"], "all"):
                total[key] += 1
                hits[key] += res.category == case["category"]
    return {key: hits[key] / total[key] for key in total}


@pytest.mark.parametrize("name", ["blind_comments.jsonl", "blind2_comments.jsonl"])
def test_category_accuracy_on_blind_sets(name):
    got = accuracy(name)
    low = {key: f"{got[key]:.1%} < {floor:.0%}" for (n, key), floor in FLOORS.items() if n == name and got[key] < floor}
    assert not low, f"{name}: {low}"


def test_blind_sets_cover_every_category_and_language():
    from somevahti.triage.categories import CATEGORIES

    for name in ("blind_comments.jsonl", "blind2_comments.jsonl"):
        cases = [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        assert set(Counter(c["category"] for c in cases)) == set(CATEGORIES)
        assert set(Counter(c["language"] for c in cases)) == {"fi", "sv", "en"}
