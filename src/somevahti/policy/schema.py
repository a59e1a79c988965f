"""The policy pack schema. A pack is YAML validated against these models on load."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from somevahti.document import AccountKind, Channel, PostDocument, PostKind
from somevahti.findings import Severity

LANGS = ("fi", "sv", "en")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Localised(Strict):
    """A text in Finnish, Swedish and English (Finnish first)."""

    fi: str
    sv: str
    en: str

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.fi


class Scope(Strict):
    """Where a rule or a requirement applies; an empty list means everywhere."""

    channels: list[Channel] = Field(default_factory=list)
    account_kinds: list[AccountKind] = Field(default_factory=list)
    kinds: list[PostKind] = Field(default_factory=list)

    def matches(self, channel: Channel | None, account_kind: AccountKind, kind: PostKind) -> bool:
        if self.channels and channel not in self.channels:
            return False
        if self.account_kinds and account_kind not in self.account_kinds:
            return False
        return not (self.kinds and kind not in self.kinds)


class LanguageRequirement(Scope):
    languages: list[str]


class Languages(Strict):
    allowed: list[str] = Field(default_factory=lambda: ["fi"])
    required: list[LanguageRequirement] = Field(default_factory=list)

    def required_for(self, channel, account_kind, kind) -> list[str]:
        needed: list[str] = []
        for req in self.required:
            if req.matches(channel, account_kind, kind):
                needed += [lang for lang in req.languages if lang not in needed]
        return needed


class Organisation(Strict):
    name: str
    names: list[str] = Field(default_factory=list, description="other names and short forms")
    email_domains: list[str] = Field(default_factory=list)
    web_domains: list[str] = Field(default_factory=list)
    website: str | None = None

    @field_validator("email_domains", "web_domains")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return [d.lower().lstrip("@.") for d in v]

    def all_names(self) -> list[str]:
        return [self.name, *self.names]


class ChannelSettings(Strict):
    max_chars: int | None = None
    enabled: bool = True


class RuleSpec(Strict):
    id: str
    family: str
    severity: Severity
    clauses: list[str] = Field(min_length=1)
    message: Localised
    messages: dict[str, Localised] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)
    when: Scope = Field(default_factory=Scope)
    enabled: bool = True

    def message_for(self, variant: str | None) -> Localised:
        return self.messages.get(variant, self.message) if variant else self.message


# --- the policy document (issue 12): the organisation's own chapters and the rules' examples -------

class DocumentChapter(Strict):
    """One chapter of the organisation's written policy, with the clauses it holds, in order."""

    id: str
    title: Localised
    intro: Localised | None = None
    clauses: list[str] = Field(default_factory=list)

    @field_validator("clauses")
    @classmethod
    def _known_clauses(cls, v: list[str]) -> list[str]:
        from somevahti.policy.clauses import clauses

        unknown = [c for c in v if c not in clauses()]
        if unknown:
            raise ValueError(f"unknown clause id {unknown[0]!r}")
        return v


class RuleExample(Strict):
    """A post a rule catches, and what the rule reports on it (fills its message in the document).

    tests/policy/test_examples.py runs the check on every built-in example and holds these to it."""

    post: PostDocument
    variant: str | None = None
    data: dict[str, str] = Field(default_factory=dict)


class PolicyDocument(Strict):
    """How the readable policy is laid out: the organisation's chapters (the clauses of its policy
    not placed in a chapter follow at the end), the language the policy was written in, examples."""

    original_language: Literal["fi", "sv", "en"] | None = None
    intro: Localised | None = None
    chapters: list[DocumentChapter] = Field(default_factory=list)
    examples: dict[str, RuleExample] = Field(default_factory=dict)


def _check_document(pack: Pack) -> None:
    rule_ids = {r.id for r in pack.rules} | set(pack.disable)
    for rid in pack.document.examples:
        if rid not in rule_ids:
            raise ValueError(f"document.examples: no rule {rid!r} in this pack")
    seen: set[str] = set()
    for chapter in pack.document.chapters:
        for cid in chapter.clauses:
            if cid in seen:
                raise ValueError(f"document.chapters: clause {cid!r} is placed in two chapters")
            seen.add(cid)


class Pack(Strict):
    id: str
    version: str = "1"
    title: Localised | None = None
    extends: str | None = None
    clauses_of: str | None = Field(default=None, description="whose written policy this is: kela, kirkkonummi, ...")
    organisation: Organisation
    languages: Languages = Field(default_factory=Languages)
    hashtags: list[str] = Field(default_factory=list)
    contacts: dict[str, str] = Field(default_factory=dict)
    channels: dict[Channel, ChannelSettings] = Field(default_factory=dict)
    directory: str | None = None
    lexicons: dict[str, Any] = Field(default_factory=dict)
    guidance: list[str] = Field(default_factory=list, description="clause ids shown as guidance")
    sources: list[str] = Field(default_factory=list, description="the written policy this pack enforces")
    rules: list[RuleSpec] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list, description="ids of inherited rules to switch off")
    # Sections owned by later parts of the product (inbox targets, incident routing, audits).
    inbox: dict[str, Any] = Field(default_factory=dict)
    incidents: dict[str, Any] = Field(default_factory=dict)
    audits: dict[str, Any] = Field(default_factory=dict)
    document: PolicyDocument = Field(default_factory=PolicyDocument)
    base_dir: str | None = Field(default=None, exclude=True)
    kind: Literal["pack"] = "pack"

    @model_validator(mode="after")
    def _unique_rule_ids(self):
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if rule.id in seen:
                raise ValueError(f"rules[{i}]: duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self

    @model_validator(mode="after")
    def _document_fits(self):
        _check_document(self)
        return self

    @property
    def first_language(self) -> str:
        return self.languages.allowed[0] if self.languages.allowed else "fi"

    def channel_settings(self, channel) -> ChannelSettings:
        return self.channels.get(channel) or ChannelSettings()

