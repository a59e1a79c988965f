from somevahti.triage.categories import clauses_for, decide
from somevahti.triage.rules import Reason


def r(rule):
    return Reason(rule, 0, 1, "x")


def test_order_of_handling():
    assert decide(set(), [r("question"), r("complaint")])[0] == "respond_negative"
    assert decide(set(), [r("question"), r("personal-case")])[0] == "redirect"
    assert decide(set(), [r("question"), r("recourse")])[0] == "respond_negative"  # "or I call the paper"
    assert decide(set(), [r("suicidal"), r("question")])[0] == "escalate_threat"  # a person sees it now
    assert decide({"insult"}, [r("label:insult"), r("question")])[0] == "remove"
    assert decide({"insult"}, [r("label:insult"), r("threat")])[0] == "escalate_threat"
    assert (
        decide({"identity_attack"}, [r("threat"), r("incitement"), r("label:identity_attack")])[0]
        == "report_crime"
    )
    # a spurious identity_attack score does not make a threat against one person a crime
    assert decide({"identity_attack"}, [r("threat"), r("label:identity_attack")])[0] == "escalate_threat"
    assert decide(set(), [r("impersonation"), r("question")])[0] == "escalate_misuse"
    assert decide(set(), [r("phishing"), r("threat")])[0] == "escalate_misuse"
    assert decide(set(), [r("link-shortener")])[0] == "ignore"  # a short link alone is no misuse
    assert decide(set(), [r("thanks")])[0] == "acknowledge"
    category, reasons = decide(set(), [r("thanks"), r("doxxing")])
    assert category == "report_crime" and reasons[0].rule == "doxxing"


def test_a_question_with_swearing_is_answered_not_removed():
    asks = [r("label:obscene"), r("label:toxicity"), r("question"), r("question-swearing")]
    assert decide({"obscene", "toxicity"}, asks)[0] == "respond_question"
    assert decide({"obscene", "identity_attack"}, asks + [r("label:identity_attack")])[0] == "remove"
    assert decide({"obscene"}, [r("label:obscene"), r("question")])[0] == "remove"  # no question-swearing


def test_praise_with_swearing_is_acknowledged_not_removed():
    praise = [r("label:obscene"), r("label:toxicity"), r("thanks"), r("praise-swearing")]
    assert decide({"obscene", "toxicity"}, praise)[0] == "acknowledge"
    assert decide({"obscene", "toxicity", "insult"}, praise)[0] == "acknowledge"
    assert decide({"obscene", "identity_attack"}, praise + [r("label:identity_attack")])[0] == "remove"
    assert decide({"obscene", "severe_toxicity"}, praise + [r("label:severe_toxicity")])[0] == "remove"
    assert decide({"obscene"}, [r("label:obscene"), r("thanks")])[0] == "remove"  # no praise-swearing reason


def test_clauses_only_of_the_packs_organisation():
    assert clauses_for("escalate_threat", [], "kela") == ["KELA-2.4"]
    assert set(clauses_for("escalate_threat", [], None)) >= {"KIRK-8.6", "KELA-2.4"}
    assert clauses_for("respond_question", [], "foretaget") == ["SF-4"]
    assert clauses_for("remove", [r("about-organisation")], "kela") == ["KELA-2.3", "KELA-3.3"]
    assert clauses_for("remove", [], "kela") == []
    assert set(clauses_for("escalate_misuse", [], "kirkkonummi")) == {"KIRK-8.7", "KIRK-8.9"}
