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
    # a weaker reading still reaches a person when the rules found nothing at all
    category, reason = combine("ignore", scored("ignore", 0.7, report_crime=0.21), LONG)
    assert category == "needs_review" and reason.rule == "semantic:report_crime"
    assert combine("ignore", scored("ignore", 0.7, report_crime=0.15), LONG) == ("ignore", None)


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


def test_an_insult_is_not_a_threat_because_it_resembles_one():
    """The labels already read the hostility as insult words: a learned threat or crime must be clear."""
    insult = {"toxicity", "insult"}
    assert combine("remove", scored("escalate_threat", 0.58), LONG, insult) == ("remove", None)
    assert combine("remove", scored("report_crime", 0.57), LONG, insult) == ("remove", None)
    assert combine("remove", scored("escalate_threat", 0.8), LONG, insult)[0] == "escalate_threat"
    # toxic in tone without insult words: the veiled threat still goes to the threat handlers
    assert combine("remove", scored("escalate_threat", 0.55), LONG, {"toxicity"})[0] == "escalate_threat"


def test_a_threat_reading_against_an_attacked_group_is_incitement():
    group = {"toxicity", "identity_attack"}
    category, reason = combine("remove", scored("escalate_threat", 0.42, report_crime=0.2), LONG, group)
    assert category == "report_crime" and reason.rule == "semantic:report_crime"
    assert reason.params["confidence"] == "62%"
    # a group insulted without any threat reading stays a removal
    assert combine("remove", scored("remove", 0.6, report_crime=0.3), LONG, group) == ("remove", None)
    weak = scored("escalate_threat", 0.3, report_crime=0.1)
    assert combine("remove", weak, LONG, group) == ("remove", None)


def test_the_bare_toxicity_score_yields_to_a_confident_learned_category():
    """ "My card was stolen, what do I do?" is not removed for the word "stolen"."""
    assert combine("remove", scored("redirect", 0.84), LONG, {"toxicity"})[0] == "redirect"
    assert combine("remove", scored("escalate_misuse", 0.95), LONG, {"toxicity"})[0] == "escalate_misuse"
    assert combine("remove", scored("redirect", 0.45), LONG, {"toxicity"}) == ("remove", None)
    assert combine("remove", scored("ignore", 0.9), LONG, {"toxicity"}) == ("remove", None)
    assert combine("remove", scored("redirect", 0.84), LONG, {"toxicity", "obscene"}) == ("remove", None)


def test_a_threat_from_the_label_alone_is_read_but_never_ignored():
    assert needs_scoring("escalate_threat", "ignore") and not needs_scoring("escalate_threat")
    # "the new ice cream is murderously good": thanks to the layer, not a threat
    category, reason = combine("escalate_threat", scored("acknowledge", 0.6), LONG, {"threat"}, "ignore")
    assert category == "acknowledge" and reason.rule == "semantic:acknowledge"
    # an insult the threat label saw: the removal the other labels ask for
    insult = {"threat", "insult"}
    assert combine("escalate_threat", scored("remove", 0.9), LONG, insult, "remove")[0] == "remove"
    # nothing else to go by: a person looks
    assert combine("escalate_threat", scored("ignore", 0.9), LONG, {"threat"}, "ignore")[0] == "needs_review"
    # any threat or crime reading keeps the threat
    uneasy = scored("acknowledge", 0.6, escalate_threat=0.3)
    assert combine("escalate_threat", uneasy, LONG, {"threat"}, "ignore") == ("escalate_threat", None)
    # the threat rule found it: it stands, whatever the layer says
    sure = scored("acknowledge", 0.99)
    assert combine("escalate_threat", sure, LONG, {"threat"}) == ("escalate_threat", None)


def test_the_category_without_a_bare_threat_label():
    from types import SimpleNamespace

    from somevahti.triage.engine import Triager
    from somevahti.triage.rules import Reason

    def result(category, labels, *rules):
        found = [Reason(r, 0, 1, "x", {}) for r in rules]
        return SimpleNamespace(category=category, labels=labels, found=found)

    assert Triager._without_threat_label(result("escalate_threat", ["threat"], "label:threat")) == "ignore"
    insult = result("escalate_threat", ["threat", "insult"], "label:threat", "label:insult")
    assert Triager._without_threat_label(insult) == "remove"
    by_rule = result("escalate_threat", ["threat"], "threat", "label:threat")
    assert Triager._without_threat_label(by_rule) is None
    assert Triager._without_threat_label(result("remove", ["insult"], "label:insult")) is None


def test_an_ultimatum_with_a_lawful_means_stays_a_complaint():
    """ "Plough the road by tomorrow or I go to the local paper. Consider yourselves warned." sounds like
    a threat to the layer; the rules' recourse keeps it a complaint unless the layer is near certain."""
    assert combine("respond_negative", scored("escalate_threat", 0.75), LONG, recourse=True) == (
        "respond_negative",
        None,
    )
    assert combine("respond_negative", scored("escalate_threat", 0.95), LONG, recourse=True)[0] == (
        "escalate_threat"
    )
    assert combine("respond_negative", scored("escalate_threat", 0.75), LONG)[0] == "escalate_threat"


def test_a_learned_own_case_needs_the_writer_speaking_of_themselves():
    """ "Lasketaanko lapsilisä tuloksi kun haetaan asumistukea?" asks about the rules: a learned own case
    does not turn it into a private matter; "my son's transport did not come, whom do I ask?" is one."""
    assert combine("respond_question", scored("redirect", 0.7), LONG, own_voice=False) == (
        "respond_question",
        None,
    )
    assert combine("respond_question", scored("redirect", 0.7), LONG)[0] == "redirect"
