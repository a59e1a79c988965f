"""Triage of incoming comments: language, labels and scores, rule reasons, category, clauses."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from somevahti.i18n import _, ui_language
from somevahti.policy.schema import Pack
from somevahti.text import langid, semantic
from somevahti.triage import categories, rules
from somevahti.triage import semantic as tsemantic
from somevahti.triage.model import LABELS, Model, decide, load_or_train, prepare

LANGUAGES = ("fi", "sv", "en")
# Lexicon categories that show where a label comes from.
LABEL_EVIDENCE = {
    "toxicity": ("obscene", "insult", "slur", "sexual", "violence"),
    "severe_toxicity": ("sexual", "obscene", "selfharm", "slur"),
    "obscene": ("obscene", "sexual"),
    "threat": ("violence", "selfharm"),
    "insult": ("insult", "insult_marker", "slur"),
    "identity_attack": ("slur", "group"),
}
EXCERPT = 80


@dataclass
class Comment:
    id: object
    text: str
    language: str | None = None
    author: str | None = None
    post: str | None = None
    channel: str | None = None


@dataclass
class Result:
    id: object
    category: str
    labels: list[str]
    scores: dict[str, float]
    clauses: list[str]
    reasons: list[dict]
    language: str
    extra: dict = field(default_factory=dict)
    found: list = field(
        default_factory=list, repr=False, compare=False
    )  # the rule reasons behind ``reasons``

    def source_label(self) -> str:
        source = self.extra.get("source")
        return f"{source}:{self.id}" if source and source != "-" else str(self.id)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "category": self.category,
            "labels": self.labels,
            "scores": self.scores,
            "clauses": self.clauses,
            "reasons": self.reasons,
            "language": self.language,
            **self.extra,
        }


@cache
def messages() -> dict:
    return yaml.safe_load(Path(__file__).with_name("messages.yaml").read_text(encoding="utf-8"))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _training_note(path) -> None:
    print(
        _("somevahti: training the triage model (first use, a few seconds): {path}").format(path=path),
        file=sys.stderr,
    )


def _semantic_error() -> str | None:
    try:
        semantic.backend()
    except semantic.SemanticUnavailable as exc:
        print(
            _("somevahti: the semantic layer is off, triage uses its rules alone: {error}").format(error=exc),
            file=sys.stderr,
        )
        return str(exc)
    return None


@contextmanager
def _collector_paused():
    """A batch makes many small objects while the word caches hold hundreds of thousands more; the
    cyclic collector would walk those caches again and again (a quarter of a batch's time, measured
    with bench/triage_bench.py). Reference counting frees what a batch leaves behind; the collector
    runs again after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Triager:
    """Build once per process (loads or trains the model), then triage any number of comments."""

    def __init__(
        self, pack: Pack, model: Model | None = None, ui: str | None = None, use_semantic: bool | None = None
    ):
        self.pack = pack
        # The semantic layer (text/semantic.py) when its model loads; without it the rules alone decide.
        self.use_semantic = semantic.available() if use_semantic is None else use_semantic
        self.semantic_error = None if self.use_semantic or use_semantic is False else _semantic_error()
        self.model = model if model is not None else load_or_train(log=_training_note)
        org = pack.organisation
        self.own_domains = tuple(dict.fromkeys(org.web_domains + org.email_domains))
        self.names = rules.OrganisationNames(org.all_names(), self.own_domains)
        self.organisation = pack.clauses_of
        self.ui = ui or ui_language()

    def language_of(self, c: Comment) -> str:
        given = (c.language or "").lower()[:2]
        if given in LANGUAGES:
            return given
        if langid.finnish_by_voikko(c.text):
            return "fi"
        return langid.detect(c.text, LANGUAGES) or (self.pack.languages.allowed or ["fi"])[0]

    def message(self, rule: str, lang: str | None = None, **params) -> str:
        table = messages()
        entry = table.get(rule) or table["label"]
        return entry.get(lang or self.ui, entry["fi"]).format(**params)

    def reasons_in_all_languages(self, result: Result) -> list[dict]:
        """``result.reasons`` with the message in every language:
        {"rule", "span", "message": {fi, sv, en}}."""
        return [
            {
                "rule": r.rule,
                "span": [r.start, r.end],
                "message": {
                    lang: self.message(r.rule.split(":", 1)[0], lang, text=_excerpt(r.text), **r.params)
                    for lang in LANGUAGES
                },
            }
            for r in result.found
        ]

    def triage(self, comments: list[Comment]) -> list[Result]:
        with _collector_paused():
            return self._triage(comments)

    def _triage(self, comments: list[Comment]) -> list[Result]:
        langs = [self.language_of(c) for c in comments]
        items, dense = prepare([c.text for c in comments], langs, self.names.matcher)
        if not comments:
            return []
        probs = self.model.scores(items, dense)
        chosen = decide(probs, items)
        results = [
            self._result(c, a, p, d) for c, a, p, d in zip(comments, items, probs, chosen, strict=True)
        ]
        if self.use_semantic:
            self._semantic(comments, results, items)
        return results

    def _semantic(self, comments: list[Comment], results: list[Result], items) -> None:
        """The learned category where the rules' category is weak (triage/semantic.py); one batch."""
        weaker = [self._without_threat_label(r) for r in results]
        idx = [i for i, r in enumerate(results) if tsemantic.needs_scoring(r.category, weaker[i])]
        if not idx:
            return
        scored = tsemantic.scorer().score([comments[i].text for i in idx])
        for i, s in zip(idx, scored, strict=True):
            r = results[i]
            recourse = any(x.rule == "recourse" for x in r.found)
            category, reason = tsemantic.combine(
                r.category,
                s,
                comments[i].text,
                set(r.labels),
                weaker[i],
                recourse,
                own_voice=rules.speaks_for_self(items[i]),
            )
            r.extra["semantic"] = {
                "category": str(s.label),
                "confidence": round(s.confidence, 3),
                "nearest": [t for _, t, _ in s.nearest],
            }
            if reason is None:
                continue
            r.category = category
            r.found = [reason, *r.found]
            r.reasons = [self._reason_json(reason), *r.reasons]
            r.clauses = categories.clauses_for(category, r.found, self.organisation)

    @staticmethod
    def _without_threat_label(r: Result) -> str | None:
        """For a threat that rests on the ``threat`` label alone (no threat rule): the category the
        rules give without that label; None for every other result."""
        if r.category != "escalate_threat" or any(
            x.rule in ("threat", "selfharm", "suicidal") for x in r.found
        ):
            return None
        rest = [x for x in r.found if x.rule != "label:threat"]
        return categories.decide(set(r.labels) - {"threat"}, rest)[0]

    def _result(self, c: Comment, a, probs, chosen) -> Result:
        scores = {lab: round(float(s), 3) for lab, s in zip(LABELS, probs, strict=True)}
        labels = [lab for lab, on in zip(LABELS, chosen, strict=True) if on]
        about = self.names.find(a)
        reasons = (
            rules.crime_rules(a)
            + rules.misuse_rules(a, self.own_domains)
            + rules.threat_rules(a)
            + self._label_reasons(a, labels, scores)
            + rules.misinformation_rule(a, about)
            + rules.personal_case_rule(a)
            + rules.complaint_rule(a)
            + rules.recourse_rule(a)
            + rules.question_rule(a)
            + rules.thanks_rule(a)
            + about
        )
        category, ordered = categories.decide(set(labels), reasons)
        return Result(
            c.id,
            category,
            labels,
            scores,
            categories.clauses_for(category, ordered, self.organisation),
            [self._reason_json(r) for r in ordered],
            a.lang,
            found=ordered,
        )

    def _label_reasons(self, a, labels: list[str], scores: dict) -> list[rules.Reason]:
        out = []
        for lab in labels:
            evidence = next((m for m in a.matches if m.category in LABEL_EVIDENCE[lab]), None)
            start, end = (evidence.start, evidence.end) if evidence else (0, len(a.text))
            out.append(
                rules.Reason(
                    f"label:{lab}",
                    start,
                    end,
                    a.text[start:end],
                    {"label": lab, "score": f"{scores[lab]:.0%}"},
                )
            )
        return out

    def _reason_json(self, r: rules.Reason) -> dict:
        rule = r.rule.split(":", 1)[0]
        return {
            "rule": r.rule,
            "span": [r.start, r.end],
            "message": self.message(rule, text=_excerpt(r.text), **r.params),
        }
