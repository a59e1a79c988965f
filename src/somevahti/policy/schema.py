"""The policy pack schema. A pack is YAML validated against these models on load."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from somevahti.document import AccountKind, Channel, PostKind
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


class GuidancePlacement(Scope):
    """A guidance clause shown in the composer where it matters: for these channels, account kinds
    and post kinds, and (``audiences``) only for posts to a closed group or only for public ones."""

    clause: str
    audiences: list[Literal["public", "closed_group"]] = Field(default_factory=list)

    def applies(self, channel, account_kind, kind, closed_group: bool) -> bool:
        audience = "closed_group" if closed_group else "public"
        return self.matches(channel, account_kind, kind) and (not self.audiences or audience in self.audiences)


class Composer(Strict):
    """What the web composer shows (issue 10): guidance clauses by context, the website's news feed."""

    guidance: list[GuidancePlacement] = Field(default_factory=list)
    news_feed: str | None = Field(default=None, description="RSS or Atom address of the website's news")
LanguageMode = Literal["one_update", "thread", "separate"]
# How language versions go out when the pack does not say (KIRK-5.3: on Facebook the Swedish text
# goes into the Finnish update; threads where the platform threads).
LANGUAGE_MODE_DEFAULTS: dict[Channel, str] = {
    Channel.FACEBOOK: "one_update", Channel.INSTAGRAM: "one_update", Channel.LINKEDIN: "one_update",
    Channel.YOUTUBE: "one_update", Channel.X: "thread", Channel.BLUESKY: "thread", Channel.MASTODON: "thread",
}
APPROVER_ROLES = ("communications_admin", "unit_editor", "supervisor")


class Approval(Strict):
    """Whether a publication needs someone's approval before it is sent, and whose (web roles)."""

    required: bool = False
    approvers: list[Literal["communications_admin", "unit_editor", "supervisor"]] = Field(
        default_factory=lambda: ["communications_admin"])


class Publishing(Strict):
    """How the publish engine sends this pack's posts (docs/publishing.md)."""

    languages: dict[Channel, LanguageMode] = Field(default_factory=dict,
                                                   description="per channel: one_update, thread or separate")
    approval: dict[AccountKind, Approval] = Field(default_factory=dict, description="per account kind")
    video_captions_required: bool = False
    clauses: list[str] = Field(default_factory=list, description="the clauses these settings enforce")

    def language_mode(self, channel) -> str:
        return self.languages.get(channel) or LANGUAGE_MODE_DEFAULTS.get(channel, "separate")

    def approval_for(self, account_kind) -> Approval:
        return self.approval.get(account_kind) or Approval()


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
    composer: Composer = Field(default_factory=Composer)
    publishing: Publishing = Field(default_factory=Publishing)
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

    @property
    def first_language(self) -> str:
        return self.languages.allowed[0] if self.languages.allowed else "fi"

    def channel_settings(self, channel) -> ChannelSettings:
        return self.channels.get(channel) or ChannelSettings()
