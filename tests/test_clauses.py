"""The clause catalogue is a contract: it matches shared/policy-clauses.md id for id."""

import re
from pathlib import Path

import pytest

from somevahti.policy.clauses import KINDS, clauses

SHARED = Path(__file__).resolve().parents[2] / "shared" / "policy-clauses.md"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this clone")
def test_catalogue_matches_the_shared_clause_list():
    rows = re.findall(
        r"^\|\s*([A-Z]+-[0-9A-Za-z.]+)\s*\|\s*(\w+)\s*\|", SHARED.read_text(encoding="utf-8"), re.M
    )
    assert rows, "the shared list has clause rows"
    assert {cid: kind for cid, kind in rows} == {c.id: c.kind for c in clauses().values()}


def test_every_clause_has_a_kind_and_an_english_text():
    for clause in clauses().values():
        assert clause.kind in KINDS
        assert clause.text["en"].strip()
