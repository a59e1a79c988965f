"""How triage combines the rules' category with the semantic layer's (triage/semantic.py)."""

from somevahti.text.semantic import Scored
from somevahti.triage import engine
from somevahti.triage.categories import CATEGORIES, clauses_for
from somevahti.triage.semantic import combine, needs_scoring


def scored(label: str, p: float, **others: float) -> Scored:
    probs = {c: 0.0 for c in CATEGORIES if c != "needs_review"}
    probs.update(others)
    probs[label] = p
    return Scored(label, p, probs, ((label, "esimerkki", 0.9),))


LONG = "Tämä on tarpeeksi pitkä kommentti arvioitavaksi"


def test_the_learned_category_decides_when_no_rule_fires():
    category, reason = combine("ignore", scored("escalate_threat", 0.7), LONG)
    assert category == "escalate_threat" and reason.rule == "semantic:escalate_threat"
    assert reason.params["example"] == "esimerkki" and reason.params["confidence"] == "70%"


def test_low_confidence_goes_to_a_person_not_to_ignore():
    assert combine("ignore", scored("respond_negative", 0.30), LONG)[0] == "needs_review"
    assert combine("ignore", scored("respond_negative", 0.40), LONG)[0] == "respond_negative"
    assert combine("ignore", scored("ignore", 0.2), LONG)[0] == "needs_review"
    assert combine("ignore", scored("ignore", 0.8), LONG) == ("ignore", None)


def test_a_possible_threat_is_never_silently_ignored():
    category, reason = combine("ignore", scored("ignore", 0.6, escalate_threat=0.3), LONG)
    assert category == "needs_review" and reason.rule == "semantic:escalate_threat"
    # also a short comment: the guard for "lol 😂" does not hide a threat
    assert combine("ignore", scored("ignore", 0.6, report_crime=0.3), "Odota vaan")[0] == "needs_review"
    assert combine("ignore", scored("ignore", 0.2), "lol 😂") == ("ignore", None)


def test_rules_stand_for_strong_categories_and_weak_ones_yield_only_upwards():
    assert not any(needs_scoring(c) for c in ("report_crime", "escalate_misuse", "escalate_threat"))
    assert combine("acknowledge", scored("respond_negative", 0.8), LONG)[0] == "respond_negative"  # sarcasm
    assert combine("acknowledge", scored("respond_negative", 0.35), LONG) == ("acknowledge", None)
    assert combine("acknowledge", scored("escalate_misuse", 0.45), LONG) == ("acknowledge", None)
    assert combine("respond_negative", scored("acknowledge", 0.9), LONG) == ("respond_negative", None)


def test_needs_review_has_clauses_and_a_name_in_every_language():
    assert clauses_for("needs_review", [], None) == ["RANUA-S.7"]
    names = engine.messages()["categories"]["needs_review"]
    assert set(names) == {"fi", "sv", "en"}


def test_a_confident_complaint_or_own_case_beats_the_rules_thanks_or_question():
    # sarcasm read as thanks by the rules; an own case told with a question
    assert (
        combine("acknowledge", scored("respond_negative", 0.45, acknowledge=0.2), LONG)[0]
        == "respond_negative"
    )
    assert combine("respond_question", scored("redirect", 0.45, respond_question=0.3), LONG)[0] == "redirect"
    # ... but not when the rules' own category is the more likely one to the scorer, nor the other way round
    assert (
        combine("respond_question", scored("redirect", 0.42, respond_question=0.45), LONG)[0]
        == "respond_question"
    )
    assert combine("redirect", scored("respond_question", 0.9), LONG) == ("redirect", None)


def test_a_short_comment_needs_a_sure_learned_category():
    assert combine("ignore", scored("remove", 0.5), "Haha 😂") == ("ignore", None)
    assert combine("ignore", scored("remove", 0.7), "Haha 😂")[0] == "remove"


def test_a_veiled_threat_that_also_insults_goes_to_the_threat_handlers_not_only_removed():
    assert needs_scoring("remove")
    category, reason = combine("remove", scored("escalate_threat", 0.6), LONG)
    assert category == "escalate_threat" and reason.rule == "semantic:escalate_threat"
    assert combine("remove", scored("report_crime", 0.55), LONG)[0] == "report_crime"
    # below OVERRIDE, or anything milder than a threat or crime: the rules' removal stands
    assert combine("remove", scored("escalate_threat", 0.45), LONG) == ("remove", None)
    assert combine("remove", scored("escalate_misuse", 0.9), LONG) == ("remove", None)
    assert combine("remove", scored("respond_negative", 0.9), LONG) == ("remove", None)
    assert combine("remove", scored("ignore", 0.2), LONG) == ("remove", None)  # never needs_review


def test_a_learned_removal_never_replaces_what_the_rules_read():
    """Removing a comment takes it from the public record's view: the toxicity the rules find decides
    that, not a resemblance. "Huono palvelu, jono ei liiku." is a complaint, even when its embedding
    sits near the insults."""
    assert combine("respond_negative", scored("remove", 0.9), LONG) == ("respond_negative", None)
    assert combine("respond_question", scored("remove", 0.9), LONG) == ("respond_question", None)
    assert combine("respond_negative", scored("escalate_threat", 0.6), LONG)[0] == "escalate_threat"
