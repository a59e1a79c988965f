"""Threats of violence: a violence word with intent or a target near it (any language).

Fires on "tapan sinut", "kaikki tapetaan", "pitäisi ampua", "annan turpaan", "kuula kalloon",
"jag ska döda dig", "I will kill you"; stays quiet on reports ("poliisi ampui karhun"), on
harmless objects ("tappaa aikaa", "polttaa roskia") and on violence words without intent or a
target. Finnish passive present ("ammutaan") and first person singular ("tapan") count as intent;
verbs with harmless senses (lexicon note "needs a target": polttaa, hakata) need a person near.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from somevahti.triage.features import Analysed

WINDOW = 4
# telling someone to kill themselves; the writer saying they will end their own life
SELF = ("selfharm", "suicidal")
# The writer as the object right after the violence word is hyperbole about one's own day, not a threat
# ("appen kommer ta livet av mig", "this queue is killing me", "tää helle tappaa mut")
# (per language: Finnish "me" is "we", the subject)
SELF_OBJECT = {
    "fi": {"minut", "mut", "mua", "minua", "meidät", "meitä"},
    "sv": {"mig", "mej", "oss"},
    "en": {"me", "us"},
}
_FI_INTENT_FORM = regex.compile(r"(?:[aeiouyäö]n|kaa|kää|koon|köön)$")  # tapan, tappakaa, tappakoon
_FI_PASSIVE = regex.compile(r"[td][aä]{2}n$")  # tapetaan, lyödään


@dataclass(frozen=True)
class Hit:
    kind: str  # threat | selfharm | suicidal
    start: int
    end: int
    text: str


def _token_index(a: Analysed, pos: int) -> int:
    """The index of the token a match starting at ``pos`` begins in (-1 between tokens)."""
    starts = a.token_starts
    if starts is None:
        starts = a.token_starts = {t.start: i for i, t in enumerate(a.tokens)}
    found = starts.get(pos)
    if found is not None:
        return found
    return next((i for i, t in enumerate(a.tokens) if t.start <= pos < t.end), -1)


def _near(a: Analysed) -> dict[str, set[int]]:
    near: dict[str, set[int]] = {
        "threat_context": set(),
        "threat_target": set(),
        "harmless_object": set(),
        "slur": set(),
        "group": set(),
    }
    for m in a.matches:
        if m.category in near:
            near[m.category].add(_token_index(a, m.start))
    return near


def violent_words(a: Analysed, near: dict[str, set[int]] | None = None, others: bool = False) -> list:
    """Violence and self-harm matches, less those with a harmless object ("tappaa aikaa"); with
    ``others``, only the harm meant for someone else (not the writer's own suicidal statement)."""
    near = near if near is not None else _near(a)
    kinds = ("selfharm",) if others else SELF
    out = []
    for m in a.matches:
        if m.category in kinds or (
            m.category == "violence"
            and not near["harmless_object"]
            & set(range(_token_index(a, m.start) + 1, _token_index(a, m.start) + 3))
        ):
            out.append(m)
    return out


def threats(a: Analysed) -> list[Hit]:
    if "threats" not in a.memo:
        a.memo["threats"] = _threats(a)
    return a.memo["threats"]


def threats_to_others(a: Analysed) -> list[Hit]:
    """The threats and the urging of self-harm, without the writer's own suicidal statements: what the
    ``threat`` label and the label model's threat feature count."""
    return [h for h in threats(a) if h.kind != "suicidal"]


def _threats(a: Analysed) -> list[Hit]:
    near = _near(a)
    out = []
    for m in violent_words(a, near):
        if m.category in SELF:
            out.append(Hit(m.category, m.start, m.end, m.text))
            continue
        if _writer_is_object(a, m):
            continue
        i = _token_index(a, m.start)
        window = set(range(i - WINDOW, i + WINDOW + 1)) - {i}
        word = a.tokens[i].lower if i >= 0 else ""
        inflected = a.lang == "fi" and word != m.entry.term
        intent = bool(near["threat_context"] & window) or (inflected and bool(_FI_INTENT_FORM.search(word)))
        target = bool((near["threat_target"] | near["slur"] | near["group"]) & window)
        direct = m.entry.pattern is not None or len(m.entry.words) > 1
        if m.entry.note == "needs a target" and not target:
            continue  # "kokko poltetaan", "hakataan puita"
        if direct or (intent and target) or (inflected and bool(_FI_PASSIVE.search(word))):
            out.append(Hit("threat", m.start, m.end, m.text))
    return out


def _writer_is_object(a: Analysed, m) -> bool:
    following = next((t for t in a.tokens if t.start >= m.end), None)
    return following is not None and following.lower in SELF_OBJECT.get(a.lang, SELF_OBJECT["en"])
