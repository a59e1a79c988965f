"""The check engine: a document and a pack in, findings out. Called by CLI, web and API alike."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from somevahti.document import PostDocument
from somevahti.findings import SEVERITY_ORDER, Finding, Hit
from somevahti.policy.directory import Directory, directory_for
from somevahti.policy.schema import Pack
from somevahti.rules import get_family
from somevahti.rules.base import RuleFamily

_LANG_IN_FIELD = re.compile(r"\.(fi|sv|en|[a-z]{2})$")


@dataclass(frozen=True)
class TextField:
    field: str  # e.g. "text.sv", "media[0].alt.fi", "title"
    lang: str  # the language the field claims, or "" when it does not say
    text: str
    role: str  # "body", "alt" or "title"


@dataclass
class CheckContext:
    doc: PostDocument
    pack: Pack
    directory: Directory
    use_ner: bool = True
    cache: dict = field(default_factory=dict)

    @cached_property
    def bodies(self) -> list[TextField]:
        return [
            TextField(self.doc.text_field(lang), lang, text, "body")
            for lang, text in self.doc.texts().items()
        ]

    @cached_property
    def alts(self) -> list[TextField]:
        out = []
        for i, media in enumerate(self.doc.media):
            for lang, text in media.alt_texts().items():
                out.append(TextField(f"media[{i}].alt" + (f".{lang}" if lang else ""), lang, text, "alt"))
        return out

    @cached_property
    def fields(self) -> list[TextField]:
        title = [TextField("title", "", self.doc.title, "title")] if self.doc.title else []
        return self.bodies + title + self.alts

    def text_of(self, field_name: str) -> str | None:
        for f in self.fields:
            if f.field == field_name:
                return f.text
        return None

    def language_of(self, f: TextField) -> str:
        """The language of a field: what it claims, else detected among the pack's languages."""
        if f.lang:
            return f.lang
        key = ("lang", f.field)
        if key not in self.cache:
            from somevahti.text.langid import detect

            self.cache[key] = detect(f.text, self.pack_languages) or self.pack.first_language
        return self.cache[key]

    @cached_property
    def pack_languages(self) -> list[str]:
        langs = list(self.pack.languages.allowed)
        for req in self.pack.languages.required:
            langs += [lang for lang in req.languages if lang not in langs]
        return langs or ["fi"]

    def message_language(self, field_name: str) -> str:
        m = _LANG_IN_FIELD.search(field_name)
        if m and m.group(1) in ("fi", "sv", "en"):
            return m.group(1)
        for f in self.fields:
            if f.field == field_name or field_name.startswith(f.field):
                lang = self.language_of(f)
                return lang if lang in ("fi", "sv", "en") else self.pack.first_language
        return self.pack.first_language if self.pack.first_language in ("fi", "sv", "en") else "fi"


class _Defaults(dict):
    def __missing__(self, key):
        return "{" + key + "}"


class Checker:
    """A pack made ready to check documents; build once, check many."""

    def __init__(
        self,
        pack: Pack,
        directory: Directory | None = None,
        use_ner: bool = True,
        extra_directories: list[str] | None = None,
    ):
        self.pack = pack
        self.directory = directory or directory_for(pack, extra_directories)
        self.use_ner = use_ner
        self.rules: list[RuleFamily] = []
        for spec in pack.rules:
            if not spec.enabled:
                continue
            family = get_family(spec.family)
            if family.uses_ner and not use_ner:
                continue
            self.rules.append(family(spec, pack))

    def check(self, doc: PostDocument) -> list[Finding]:
        ctx = CheckContext(doc, self.pack, self.directory, self.use_ner)
        findings: list[Finding] = []
        for rule in self.rules:
            if not rule.spec.when.matches(doc.channel, doc.account_kind, doc.kind):
                continue
            for hit in rule.check(ctx):
                findings.append(self._finding(rule, hit, ctx))
        findings.sort(
            key=lambda f: (f.field, f.span[0] if f.span else -1, SEVERITY_ORDER[f.severity], f.rule)
        )
        return findings

    def _finding(self, rule: RuleFamily, hit: Hit, ctx: CheckContext) -> Finding:
        lang = ctx.message_language(hit.field)
        template = rule.spec.message_for(hit.variant).get(lang)
        message = template.format_map(_Defaults({k: str(v) for k, v in hit.data.items() if k != "why"}))
        if isinstance(why := hit.data.get("why"), dict):  # a semantic finding says why (rules/meaning.py)
            message += " " + why.get(lang, why.get("fi", ""))
        return Finding(
            rule=rule.spec.id,
            clauses=list(rule.spec.clauses),
            severity=rule.spec.severity,
            message=message,
            field=hit.field,
            span=hit.span,
            suggestion=hit.suggestion,
            family=rule.spec.family,
        )
