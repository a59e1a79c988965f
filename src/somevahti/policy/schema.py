"""The policy pack schema. A pack is YAML validated against these models on load."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

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


class GuidancePlacement(Scope):
    """A guidance clause shown in the composer where it matters: for these channels, account kinds
    and post kinds, and (``audiences``) only for posts to a closed group or only for public ones."""

    clause: str
    audiences: list[Literal["public", "closed_group"]] = Field(default_factory=list)

    def applies(self, channel, account_kind, kind, closed_group: bool) -> bool:
        audience = "closed_group" if closed_group else "public"
        return self.matches(channel, account_kind, kind) and (
            not self.audiences or audience in self.audiences
        )


class Composer(Strict):
    """What the web composer shows (issue 10): guidance clauses by context, the website's news feed."""

    guidance: list[GuidancePlacement] = Field(default_factory=list)
    news_feed: str | None = Field(default=None, description="RSS or Atom address of the website's news")


LanguageMode = Literal["one_update", "thread", "separate"]
# How language versions go out when the pack does not say (KIRK-5.3: on Facebook the Swedish text
# goes into the Finnish update; threads where the platform threads).
LANGUAGE_MODE_DEFAULTS: dict[Channel, str] = {
    Channel.FACEBOOK: "one_update",
    Channel.INSTAGRAM: "one_update",
    Channel.LINKEDIN: "one_update",
    Channel.YOUTUBE: "one_update",
    Channel.X: "thread",
    Channel.BLUESKY: "thread",
    Channel.MASTODON: "thread",
}
APPROVER_ROLES = ("communications_admin", "unit_editor", "supervisor")


class Approval(Strict):
    """Whether a publication needs someone's approval before it is sent, and whose (web roles)."""

    required: bool = False
    approvers: list[Literal["communications_admin", "unit_editor", "supervisor"]] = Field(
        default_factory=lambda: ["communications_admin"]
    )


class Publishing(Strict):
    """How the publish engine sends this pack's posts (docs/publishing.md)."""

    languages: dict[Channel, LanguageMode] = Field(
        default_factory=dict, description="per channel: one_update, thread or separate"
    )
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


# --- inbox, incidents, audits and guidance placement (issue 12): typed like rules ----------------
# Every field is optional: what a pack leaves out comes from web/inbox/defaults.yaml (inbox and
# incidents) or from the audit rules' own defaults.

TriageCategory = Literal[
    "remove",
    "escalate_threat",
    "escalate_misuse",
    "report_crime",
    "respond_negative",
    "needs_review",
    "respond_question",
    "redirect",
    "correct_misinformation",
    "acknowledge",
    "ignore",
]
IncidentType = Literal["threat", "harassment", "impersonation", "phishing", "malware", "harmful_content"]
IncidentRole = Literal["supervisor", "it_security", "communications"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"
SAVED_REPLY_PLACEHOLDERS = ("signature", "feedback_channel")


def _known_clause_ids(ids: list[str]) -> list[str]:
    from somevahti.policy.clauses import clauses

    unknown = [c for c in ids if c not in clauses()]
    if unknown:
        raise ValueError(f"unknown clause id {unknown[0]!r}")
    return ids


class BusinessHours(Strict):
    timezone: str | None = None
    days: list[Weekday] | None = None
    start: str | None = Field(default=None, pattern=_CLOCK)
    end: str | None = Field(default=None, pattern=_CLOCK)
    holidays: str | None = Field(
        default=None, description="a country code for python-holidays; empty for none"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v):
        if v is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(v)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {v!r} (e.g. Europe/Helsinki)") from None
        return v


class SavedReply(Strict):
    id: str
    categories: list[TriageCategory] = Field(min_length=1)
    title: Localised
    text: Localised

    @field_validator("text")
    @classmethod
    def _known_placeholders(cls, v: Localised) -> Localised:
        import re

        for lang in LANGS:
            for name in re.findall(r"\{(\w*)\}", getattr(v, lang)):
                if name not in SAVED_REPLY_PLACEHOLDERS:
                    raise ValueError(
                        f"{lang}: unknown placeholder {{{name}}} (known: "
                        + ", ".join("{" + p + "}" for p in SAVED_REPLY_PLACEHOLDERS)
                        + ")"
                    )
        return v


class InboxSettings(Strict):
    business_hours: BusinessHours | None = None
    response_targets: dict[TriageCategory, Annotated[int | float, Field(gt=0)]] | None = Field(
        default=None, description="business hours from arrival to the first answer, per triage category"
    )
    feedback_channel: Localised | None = None
    saved_replies: list[SavedReply] | None = None

    def as_overrides(self) -> dict:
        """What the pack sets, as plain data to lay over the defaults."""
        return self.model_dump(mode="json", exclude_none=True)


class IncidentGuidance(Strict):
    platform: Localised | None = None
    police: Localised | None = None


class IncidentSettings(Strict):
    routes: dict[IncidentType, list[IncidentRole]] | None = None
    police: list[IncidentType] | None = Field(
        default=None, description="types for which the police guidance shows"
    )
    clauses: dict[IncidentType, list[str]] | None = None
    guidance: IncidentGuidance | None = None

    @field_validator("clauses")
    @classmethod
    def _known(cls, v):
        for ids in (v or {}).values():
            _known_clause_ids(ids)
        return v

    def as_overrides(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True)


class AuditThresholds(Strict):
    password_max_age_days: int = Field(
        default=180, gt=0, description="KIRK-8.3: at the latest every six months"
    )
    settings_review_days: int = Field(default=365, gt=0)
    dormant_after_days: int = Field(default=180, gt=0)


class AuditRuleSettings(Strict):
    enabled: bool = True
    clauses: list[str] | None = Field(
        default=None, description="the clauses its findings cite (default: the rule's)"
    )

    @field_validator("clauses")
    @classmethod
    def _known(cls, v):
        return _known_clause_ids(v) if v is not None else v


class AuditSettings(Strict):
    thresholds: AuditThresholds = Field(default_factory=AuditThresholds)
    rules: dict[str, AuditRuleSettings] = Field(default_factory=dict)

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, v):
        import difflib

        from somevahti.audits.base import registered_rules

        known = registered_rules()
        for name in v:
            if name not in known:
                hint = difflib.get_close_matches(name, list(known), n=1)
                did = (
                    f" (did you mean {hint[0]!r}?)" if hint else f" (audit rules: {', '.join(sorted(known))})"
                )
                raise ValueError(f"unknown audit rule {name!r}{did}")
        return v

    def clauses_for(self, rule: str) -> tuple[str, ...] | None:
        spec = self.rules.get(rule)
        return tuple(spec.clauses) if spec and spec.clauses is not None else None

    def disabled(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.rules.items() if not spec.enabled)


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


class Onboarding(Strict):
    """The onboarding path's quiz (web/onboarding): whether a person must pass it before the registry
    grants them access to an account, the share of right answers that passes, how many questions."""

    quiz_required: StrictBool = False
    pass_mark: float = Field(default=0.8, ge=0, le=1, strict=True, description="share of right answers, 0..1")
    questions: StrictInt = Field(default=5, ge=1, le=50, description="fewer when the pack has fewer examples")


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
    clauses_of: str | None = Field(
        default=None, description="whose written policy this is: kela, kirkkonummi, ..."
    )
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
    # Inbox targets, incident routing, audits and the composer's guidance and news feed.
    inbox: InboxSettings = Field(default_factory=InboxSettings)
    incidents: IncidentSettings = Field(default_factory=IncidentSettings)
    audits: AuditSettings = Field(default_factory=AuditSettings)
    composer: Composer = Field(default_factory=Composer)
    document: PolicyDocument = Field(default_factory=PolicyDocument)
    publishing: Publishing = Field(default_factory=Publishing)
    onboarding: Onboarding = Field(default_factory=Onboarding)
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
