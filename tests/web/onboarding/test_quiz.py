"""The quiz is made from any pack's own rules and examples: the right rule is among four options that
cannot also be right, the same seed remakes the same quiz, and the pass mark is the pack's."""

from __future__ import annotations

import pytest

from somevahti.policy import load_pack
from somevahti.web.onboarding import quiz

PACKS = ["kirkkonummi", "ranua", "foretaget", "kela"]


@pytest.mark.parametrize("name", PACKS)
def test_each_question_shows_an_example_and_offers_its_rule_among_others(name):
    pack = load_pack(name)
    rules = {r.id: r for r in pack.rules}
    questions = quiz.generate(pack, 7, "fi")
    assert len(questions) == min(5, len(pack.document.examples))
    assert len({q.rule_id for q in questions}) == len(questions), "no rule asked twice"
    for q in questions:
        texts = pack.document.examples[q.rule_id].post.texts()
        assert q.post in texts.values(), "the post shown is the rule's own example"
        ids = [o.rule_id for o in q.options]
        assert q.rule_id in ids and len(ids) == len(set(ids)) == 4
        own = set(rules[q.rule_id].clauses)
        for other in ids:
            if other != q.rule_id:
                assert not own & set(rules[other].clauses), (
                    "a wrong option cites none of the right rule's clauses"
                )
        assert len({o.label for o in q.options}) == 4, "no two options read the same"


@pytest.mark.parametrize("name", ["ranua", "foretaget"])
def test_the_seed_remakes_the_quiz_and_other_seeds_vary_it(name):
    pack = load_pack(name)
    first, again = quiz.generate(pack, 123, "fi"), quiz.generate(pack, 123, "sv")
    assert [(q.rule_id, [o.rule_id for o in q.options]) for q in first] == [
        (q.rule_id, [o.rule_id for o in q.options]) for q in again
    ], "same seed, same quiz in any language"
    assert first[0].options[0].label != again[0].options[0].label, "labels are in the reader's language"
    variants = {tuple(q.rule_id for q in quiz.generate(pack, seed, "fi")) for seed in range(20)}
    assert len(variants) > 5
    orders = {tuple(o.rule_id for o in quiz.generate(pack, seed, "fi")[0].options) for seed in range(20)}
    assert len(orders) > 5, "the options are shuffled"


def test_fewer_questions_when_the_pack_has_fewer_examples_and_none_without():
    pack = load_pack("kela")
    few = pack.model_copy(
        update={
            "document": pack.document.model_copy(
                update={"examples": dict(list(pack.document.examples.items())[:2])}
            )
        }
    )
    assert len(quiz.generate(few, 1, "fi")) == quiz.question_count(few) == 2
    assert (
        quiz.generate(load_pack("generic"), 1, "fi") == [] and quiz.question_count(load_pack("generic")) == 0
    )
    three = pack.model_copy(update={"onboarding": pack.onboarding.model_copy(update={"questions": 3})})
    assert len(quiz.generate(three, 1, "fi")) == 3


def test_score_and_the_packs_pass_mark():
    pack = load_pack("kirkkonummi")
    ids = ["a", "b", "c", "d", "e"]
    assert quiz.score(ids, ids) == 1.0
    assert quiz.score(ids, ["a", "b", "c", "d", "x"]) == 0.8 and quiz.passes(pack, 0.8)
    assert quiz.score(ids, ["a", "b", "c", None, None]) == 0.6 and not quiz.passes(pack, 0.6)
    strict = pack.model_copy(update={"onboarding": pack.onboarding.model_copy(update={"pass_mark": 1.0})})
    assert not quiz.passes(strict, 0.8) and quiz.passes(strict, 1.0)
