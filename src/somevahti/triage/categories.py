"""From labels and rule reasons to one handling category and the clauses that ask for it."""

from __future__ import annotations

from somevahti.policy.clauses import clauses
from somevahti.triage.rules import Reason

CATEGORIES = (
    "remove",
    "escalate_threat",
    "escalate_misuse",
    "report_crime",
    "respond_negative",
    "respond_question",
    "correct_misinformation",
    "redirect",
    "acknowledge",
    "ignore",
    "needs_review",
)
CLAUSES = {
    "report_crime": ("RANUA-S.7", "RANUA-H.1", "RANUA-H.2", "KIRK-5.11"),
    "escalate_threat": ("KIRK-8.6", "KELA-2.4", "KIRK-8.7", "RANUA-H.1"),
    "escalate_misuse": ("KIRK-8.7", "KIRK-8.9", "RANUA-P.5"),
    "remove": ("KIRK-5.11", "RANUA-H.1"),
    "correct_misinformation": ("KIRK-5.16",),
    "redirect": ("KIRK-5.14", "RANUA-S.7"),
    "respond_negative": ("KIRK-5.12", "KIRK-5.13", "RANUA-S.7"),
    "respond_question": ("KIRK-5.14", "KIRK-5.13", "RANUA-S.7", "SF-4"),
    "acknowledge": ("KIRK-5.13", "RANUA-S.7"),
    "ignore": ("RANUA-S.7",),
    # The semantic layer was unsure, or saw a possible threat or crime the rules did not: a person looks.
    "needs_review": ("RANUA-S.7",),
}
# Harmful content about the organisation also goes to communications.
ORGANISATION_HARM = ("KELA-2.3", "KELA-3.3")
HARMFUL = {"report_crime", "escalate_threat", "remove", "correct_misinformation"}
MISUSE = ("phishing", "impersonation", "link-executable", "link-lookalike")  # in this order in the reasons
TOXIC = {"toxicity", "severe_toxicity", "obscene", "insult", "identity_attack"}
# Labels that praise or a question with swearing may carry and still not be removed ("Perkele, hienoa!",
# "Vad fan, går det att returnera …?"): the swear word makes the classifier see obscenity, and in
# Swedish and English, whose scores come from lexicon counts alone, insult too; the rule has checked
# that no insult word is there.
SWEARING_LABELS = {"toxicity", "obscene", "insult"}


def decide(labels: set[str], reasons: list[Reason]) -> tuple[str, list[Reason]]:
    """The category, and the reasons that decided it (first) followed by the others."""
    by_rule: dict[str, list[Reason]] = {}
    for r in reasons:
        by_rule.setdefault(r.rule, []).append(r)

    def pick(*rules: str) -> list[Reason]:
        return [r for rule in rules for r in by_rule.get(rule, [])]

    threat = pick("threat", "selfharm", "suicidal")
    crime = pick("csam", "doxxing", "incitement")
    toxic = sorted(TOXIC & labels)
    if (by_rule.get("praise-swearing") or by_rule.get("question-swearing")) and labels <= SWEARING_LABELS:
        toxic = []
    misuse = pick(*MISUSE)
    if misuse:
        misuse += pick("link-shortener")
    order = [
        ("report_crime", crime),
        ("escalate_misuse", misuse),
        ("escalate_threat", threat or pick("label:threat")),
        ("remove", pick(*(f"label:{lab}" for lab in toxic))),
        ("correct_misinformation", pick("misinformation")),
        ("redirect", pick("personal-case")),
        ("respond_negative", pick("complaint", "recourse")),
        ("respond_question", pick("question")),
        ("acknowledge", pick("thanks")),
    ]
    for category, deciding in order:
        if deciding:
            rest = [r for r in reasons if r not in deciding]
            return category, deciding + rest
    return "ignore", list(reasons)


def clauses_for(category: str, reasons: list[Reason], organisation: str | None) -> list[str]:
    """Clause ids for the handling, only the pack's own organisation's (all with no organisation)."""
    ids = list(CLAUSES[category])
    if category in HARMFUL and any(r.rule == "about-organisation" for r in reasons):
        ids += ORGANISATION_HARM
    known = clauses()
    return [c for c in ids if c in known and (organisation is None or known[c].organisation == organisation)]
