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
# comments below what the tests' small model (conftest.py: a third of dev.tsv) measured (figures
# below; when these floors were first set: round 1 fi 87/92, sv 47/50, en 49/51; round 2 fi 36/50,
# sv 16/24, en 14/24, all 66/98). The full model gets the same or one or two more right (docs/triage.md).
FLOORS = {
    # Round 5 of the examples (text/semantic_examples/triage-3.yaml): every set is now a dev set. The tests'
    # small model measured round 1 fi 90/92, sv 48/50, en 50/51, all 189/193; round 2 fi 46/50, sv 19/24,
    # en 21/24, all 86/98; round 3 fi 65/73, sv 45/50, en 28/30, all 138/153; round 4 fi 56/70, sv 43/50,
    # en 29/30, all 128/150. Floors about two comments below (one per language for small counts).
    ("blind_comments.jsonl", "fi"): 0.95,
    ("blind_comments.jsonl", "sv"): 0.92,
    ("blind_comments.jsonl", "en"): 0.96,
    ("blind_comments.jsonl", "all"): 0.96,
    ("blind2_comments.jsonl", "fi"): 0.88,
    ("blind2_comments.jsonl", "sv"): 0.70,
    ("blind2_comments.jsonl", "en"): 0.79,
    ("blind2_comments.jsonl", "all"): 0.85,
    # Round 3 (issue 14), with the semantic layer, first run: fi 52/73, sv 38/50, en 26/30, all 116/153.
    ("blind3_comments.jsonl", "fi"): 0.86,
    ("blind3_comments.jsonl", "sv"): 0.86,
    ("blind3_comments.jsonl", "en"): 0.86,
    ("blind3_comments.jsonl", "all"): 0.88,
    # Round 4 (blind4_comments.jsonl, committed before any code ran on it), one run with the full model:
    # before (main's code) fi 48/70, sv 35/50, en 23/30, all 106/150; after fi 53/70, sv 41/50, en 27/30,
    # all 121/150 (docs/triage.md); with round 5 of the examples fi 57/70, sv 44/50, en 29/30, 130/150.
    ("blind4_comments.jsonl", "fi"): 0.77,
    ("blind4_comments.jsonl", "sv"): 0.82,
    ("blind4_comments.jsonl", "en"): 0.90,
    ("blind4_comments.jsonl", "all"): 0.84,
    # Round 5 (blind5_comments.jsonl, committed before any code ran on it), one run with the full model:
    # before (stop 17's code) fi 56/75, sv 36/52, en 19/33, all 111/160; after fi 59/75, sv 38/52,
    # en 23/33, all 120/160 (docs/triage.md). The tests' smaller toxicity model got fi 58/75, sv 30/52,
    # en 20/33, all 108/160 (more sv/en near-misses go to remove). Round 5 is a dev set now; after the
    # toxicity labels stopped overruling a truer learned category (triage/semantic.py, "Round 6 of the
    # examples") the tests' model gets fi 63/75, sv 38/52, en 26/33, all 127/160 (the full model fi 63,
    # sv 40, en 27, 130/160); floors about two comments below.
    ("blind5_comments.jsonl", "fi"): 0.81,
    ("blind5_comments.jsonl", "sv"): 0.69,
    ("blind5_comments.jsonl", "en"): 0.72,
    ("blind5_comments.jsonl", "all"): 0.77,
    # Round 6 (blind6_comments.jsonl, committed before any code ran on it), one run with the full model:
    # before round 6's combination fi 58/75, sv 42/52, en 28/33, all 128/160; after fi 58/75, sv 43/52,
    # en 29/33, all 130/160 (docs/triage.md). The tests' model: fi 58/75, sv 42/52, en 27/33, all 127/160;
    # floors about two comments below.
    ("blind6_comments.jsonl", "fi"): 0.74,
    ("blind6_comments.jsonl", "sv"): 0.77,
    ("blind6_comments.jsonl", "en"): 0.75,
    ("blind6_comments.jsonl", "all"): 0.77,
    # Round 7 (blind7_comments.jsonl, committed before any code ran on it), one run with the full model:
    # before fi 54/75, sv 31/52, en 19/33, all 104/160; with triage-4.yaml (written after reading its
    # misses, so a dev set from then on) fi 58/75, sv 36/52, en 21/33, all 115/160 (docs/triage.md). The
    # tests' model: before 53/30/18, 101/160; after fi 55/75, sv 34/52, en 19/33, all 108/160. Floors about
    # two comments below (the tests' model moves by a comment or two with the number of BLAS threads).
    ("blind7_comments.jsonl", "fi"): 0.69,
    ("blind7_comments.jsonl", "sv"): 0.61,
    ("blind7_comments.jsonl", "en"): 0.54,
    ("blind7_comments.jsonl", "all"): 0.65,
    # Round 8 (blind8_comments.jsonl, committed before any code ran on it), one run with the full model:
    # fi 49/75, sv 35/52, en 22/33, all 106/160 (66 %), one crime in ignore (b8-en-002, a meeting time for
    # a crowd at a truck, no violence word). The tests' model: fi 50/75, sv 33/52, en 19/33, all 102/160.
    # Floors about two comments below.
    ("blind8_comments.jsonl", "fi"): 0.64,
    ("blind8_comments.jsonl", "sv"): 0.59,
    ("blind8_comments.jsonl", "en"): 0.51,
    ("blind8_comments.jsonl", "all"): 0.62,
    # Round 9 (blind9_comments.jsonl, committed before any code ran on it), one run with the full model
    # and the code of 2026-12-08 (IGNORE_WATCH, blows with an object): fi 54/75, sv 34/52, en 25/33, all
    # 113/160 (71 %), no threat or crime in ignore; then recourse, suicidal statements and the writer as
    # the object (written after reading its misses: a dev set from then on) fi 55, sv 36, en 26, all 117.
    # The tests' model: fi 54/75, sv 35/52, en 23/33, all 112/160. Floors about two comments below.
    ("blind9_comments.jsonl", "fi"): 0.69,
    ("blind9_comments.jsonl", "sv"): 0.63,
    ("blind9_comments.jsonl", "en"): 0.63,
    ("blind9_comments.jsonl", "all"): 0.67,
}


def accuracy(name: str) -> dict[str, float]:
    cases = [
        json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    hits, total = Counter(), Counter()
    for pack in {c.get("pack", "generic") for c in cases}:
        mine = [c for c in cases if c.get("pack", "generic") == pack]
        results = Triager(load_pack(pack), ui="en").triage(
            [Comment(c["id"], c["text"], c["language"]) for c in mine]
        )
        for case, res in zip(mine, results, strict=True):
            for key in (case["language"], "all"):
                total[key] += 1
                hits[key] += res.category == case["category"]
    return {key: hits[key] / total[key] for key in total}


@pytest.mark.parametrize(
    "name",
    [
        "blind_comments.jsonl",
        "blind2_comments.jsonl",
        "blind3_comments.jsonl",
        "blind4_comments.jsonl",
        "blind5_comments.jsonl",
        "blind6_comments.jsonl",
        "blind7_comments.jsonl",
        "blind8_comments.jsonl",
        "blind9_comments.jsonl",
    ],
)
def test_category_accuracy_on_blind_sets(name):
    got = accuracy(name)
    low = {
        key: f"{got[key]:.1%} < {floor:.0%}"
        for (n, key), floor in FLOORS.items()
        if n == name and got[key] < floor
    }
    assert not low, f"{name}: {low}"


def test_blind_sets_cover_every_category_and_language():
    from somevahti.triage.categories import CATEGORIES

    for name in (
        "blind_comments.jsonl",
        "blind2_comments.jsonl",
        "blind3_comments.jsonl",
        "blind4_comments.jsonl",
        "blind5_comments.jsonl",
        "blind6_comments.jsonl",
        "blind7_comments.jsonl",
        "blind8_comments.jsonl",
        "blind9_comments.jsonl",
    ):
        cases = [
            json.loads(line)
            for line in (HERE / name).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        assert set(Counter(c["category"] for c in cases)) == set(CATEGORIES) - {"needs_review"}
        assert set(Counter(c["language"] for c in cases)) == {"fi", "sv", "en"}


@pytest.mark.parametrize(
    ("name", "most"),
    [
        ("blind3_comments.jsonl", 0),
        ("blind4_comments.jsonl", 0),
        ("blind5_comments.jsonl", 0),
        ("blind6_comments.jsonl", 0),
        ("blind7_comments.jsonl", 0),
        ("blind8_comments.jsonl", 0),
        ("blind9_comments.jsonl", 0),
    ],
)
def test_threats_and_crimes_are_not_ignored(name, most):
    """A comment that may be a threat or a crime reaches a person: its category or needs_review,
    not ignore. Round 3's first run left one of 37 in ignore (b3-fi-008, stolen e-bikes offered
    with a wink: the learned category was ignore); with round 5 of the examples none is. Round 4 (25
    threats and crimes): none in ignore, before and after; round 5 (40): none, before and after. Round 6
    (40): one, before and after round 6's combination (b6-fi-002, a lakeside cabin with no neighbours
    pointed out: a threat told entirely as a situation, read as a plain remark); kept as the known miss.
    Round 7 (40): one, before and after triage-4.yaml (b7-sv-041, the plough driver promised "a spade").
    Round 8 (40): one (b8-en-002, a crowd called to a truck at a time and place, no violence word).
    Since 2026-12-08 none of the three: a rule-less ignore goes to a person from a threat or crime
    reading of 0.20 (``semantic.IGNORE_WATCH``, b6-fi-002 and b8-en-002), and a blow promised with an
    object is a threat pattern (b7-sv-041); both written after reading these misses."""
    cases = [
        json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    dangerous = [c for c in cases if c["category"] in ("escalate_threat", "report_crime")]
    ignored = []
    for pack in {c.get("pack", "generic") for c in dangerous}:
        mine = [c for c in dangerous if c.get("pack", "generic") == pack]
        results = Triager(load_pack(pack), ui="en").triage(
            [Comment(c["id"], c["text"], c["language"]) for c in mine]
        )
        ignored += [c["id"] for c, r in zip(mine, results, strict=True) if r.category == "ignore"]
    assert len(dangerous) >= 25 and len(ignored) <= most, ignored
