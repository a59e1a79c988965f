"""The onboarding quiz, made from the pack alone: each question shows one of the pack's example posts
(``document.examples``) and asks which of four rules it breaks: the rule the example belongs to and
three other rules of the pack that cite none of its clauses. The questions, their order and the order
of the options follow from a seed, so an attempt is remade exactly from the seed kept with it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from somevahti.policy.clauses import clauses
from somevahti.policy.render import _example, fill
from somevahti.policy.schema import Pack, RuleSpec

OPTIONS = 4


@dataclass(frozen=True)
class Option:
    rule_id: str
    label: str


@dataclass(frozen=True)
class Question:
    rule_id: str  # the right answer
    post: str
    media: tuple[str, ...]
    options: tuple[Option, ...]


def rule_label(rule: RuleSpec, lang: str) -> str:
    """A rule as a reader knows it: the text of the first clause of the policy it enforces."""
    catalogue = clauses()
    for cid in rule.clauses:
        if cid in catalogue:
            return f"{catalogue[cid].text_in(lang)} ({cid})"
    return fill(rule.message.get(lang), {}, lang)


def _rules(pack: Pack) -> list[RuleSpec]:
    return sorted((r for r in pack.rules if r.enabled), key=lambda r: r.id)


def _distractors(pack: Pack, rule: RuleSpec, lang: str = "fi") -> list[RuleSpec]:
    """Rules of the pack that cannot also be right: they cite none of the rule's clauses, and no two
    options read the same (compared in Finnish, so the choice is the same in every language)."""
    own, seen = set(rule.clauses), {rule_label(rule, lang)}
    out = []
    for other in _rules(pack):
        label = rule_label(other, lang)
        if other.id != rule.id and not own & set(other.clauses) and label not in seen:
            seen.add(label)
            out.append(other)
    return out


def askable(pack: Pack) -> list[RuleSpec]:
    """The rules a question can be made of: enabled, with an example post, with another rule to tell apart."""
    return [r for r in _rules(pack) if r.id in pack.document.examples and _distractors(pack, r)]


def question_count(pack: Pack) -> int:
    return min(pack.onboarding.questions, len(askable(pack)))


def generate(pack: Pack, seed: int, lang: str) -> list[Question]:
    """The quiz for this seed, in the reader's language. The rules chosen and the option order do not
    depend on the language (labels are only looked up in it)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible from the stored seed; the new seed is from secrets
    pool = askable(pack)
    chosen = rng.sample(pool, min(pack.onboarding.questions, len(pool)))
    out = []
    for rule in chosen:
        others = _distractors(pack, rule)
        options = [rule, *rng.sample(others, min(OPTIONS - 1, len(others)))]
        rng.shuffle(options)
        example = _example(pack, rule, lang)
        out.append(
            Question(
                rule.id,
                example.post,
                tuple(example.media),
                tuple(Option(r.id, rule_label(r, lang)) for r in options),
            )
        )
    return out


def score(rule_ids: list[str], answers: list[str | None]) -> float:
    """The share of questions answered with their own rule."""
    if not rule_ids:
        return 0.0
    right = sum(1 for i, rid in enumerate(rule_ids) if i < len(answers) and answers[i] == rid)
    return right / len(rule_ids)


def passes(pack: Pack, value: float) -> bool:
    return value + 1e-9 >= pack.onboarding.pass_mark
