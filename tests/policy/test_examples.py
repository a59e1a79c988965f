"""Each rule's example in the policy document is a post the rule really catches, and the message the
document shows is the one the check gives on it (same variant, same values)."""

from __future__ import annotations

import pytest

from somevahti.check import CheckContext, Checker
from somevahti.policy import load_pack

SEED_PACKS = ["kirkkonummi", "kela", "ranua", "foretaget"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SEED_PACKS)
def test_every_rule_has_an_example_that_it_catches(name):
    pack = load_pack(name)
    examples = pack.document.examples
    assert sorted(examples) == sorted(r.id for r in pack.rules if r.enabled), "every rule has an example"
    checker = Checker(pack)
    for rule in checker.rules:
        example = examples[rule.spec.id]
        doc = example.post
        assert rule.spec.when.matches(doc.channel, doc.account_kind, doc.kind), (
            f"{rule.spec.id}: out of scope"
        )
        hits = list(rule.check(CheckContext(doc, pack, checker.directory, checker.use_ner)))
        assert hits, f"{rule.spec.id}: its example is no longer caught"
        reported = [(h.variant, {k: str(v) for k, v in h.data.items()}) for h in hits]
        assert (example.variant, example.data) in reported, (
            f"{rule.spec.id}: the check now reports {reported}"
        )
        assert any(f.rule == rule.spec.id for f in checker.check(doc))
