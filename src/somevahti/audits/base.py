"""The audit registry, the snapshot the rules read and the finding they produce."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from somevahti.audits.records import (
    AccountRec,
    AttestationRec,
    GrantRec,
    PersonRec,
    Thresholds,
    UnitRec,
)

# Roles that can be named as the ones who must act.
COMMUNICATIONS, UNIT_EDITOR, SUPERVISOR, IT_SECURITY, OWNER = (
    "communications_admin",
    "unit_editor",
    "supervisor",
    "it_security",
    "account_owner",
)


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown (CLI or web)."""
    return message


@dataclass(frozen=True)
class AuditFinding:
    rule: str  # e.g. "leaver-access"
    key: str  # stable identity of what the finding is about, e.g. "grant:12"
    clauses: tuple[str, ...]
    message: str  # an English msgid with {placeholders}, translated on display
    params: dict = field(default_factory=dict, hash=False, compare=False)
    account_id: int | None = None
    person_id: int | None = None
    grant_id: int | None = None
    unit_id: int | None = None
    act_roles: tuple[str, ...] = ()  # who must act, by role
    act_people: tuple[int, ...] = ()  # who must act, by person id

    @property
    def identity(self) -> str:
        return f"{self.rule}|{self.key}"

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "key": self.key,
            "clauses": list(self.clauses),
            "message": self.message,
            "params": self.params,
            "account": self.account_id,
            "person": self.person_id,
            "grant": self.grant_id,
            "unit": self.unit_id,
            "act_roles": list(self.act_roles),
            "act_people": list(self.act_people),
        }


@dataclass
class Snapshot:
    today: date
    units: list[UnitRec]
    people: list[PersonRec]
    accounts: list[AccountRec]
    grants: list[GrantRec]
    attestations: list[AttestationRec]
    thresholds: Thresholds = field(default_factory=Thresholds)
    settings: object | None = None  # the pack's audits: section (rules switched off, clauses cited)

    @cached_property
    def person(self) -> dict[int, PersonRec]:
        return {p.id: p for p in self.people}

    @cached_property
    def active_grants_by_account(self) -> dict[int, list[GrantRec]]:
        out: dict[int, list[GrantRec]] = {}
        for g in self.grants:
            if g.active:
                out.setdefault(g.account_id, []).append(g)
        return out

    @cached_property
    def attestation(self) -> dict[int, AttestationRec]:
        return {a.account_id: a for a in self.attestations}

    def open_accounts(self) -> Iterator[AccountRec]:
        return (a for a in self.accounts if a.status != "closed")

    def account_owner_people(self, account: AccountRec) -> tuple[int, ...]:
        """The account's owner and active owner/admin grantees: the people who keep it."""
        ids = [account.owner_id] if account.owner_id else []
        for g in self.active_grants_by_account.get(account.id, ()):
            if g.role in ("owner", "admin") and g.person_id not in ids:
                ids.append(g.person_id)
        return tuple(i for i in ids if i in self.person)

    def email_on_org_domain(self, email: str) -> bool:
        domain = email.strip().lower().rsplit("@", 1)[-1] if "@" in email else ""
        return bool(domain) and any(
            domain == d or domain.endswith("." + d) for d in self.thresholds.email_domains
        )


Rule = Callable[[Snapshot], Iterable[AuditFinding]]


@dataclass(frozen=True)
class RuleInfo:
    name: str
    family: str
    clauses: tuple[str, ...]
    func: Rule


_RULES: dict[str, RuleInfo] = {}


def audit_rule(name: str, clauses: tuple[str, ...]):
    def wrap(func: Rule) -> Rule:
        family = func.__module__.rsplit(".", 1)[-1]
        if name in _RULES:
            raise ValueError(f"audit rule {name!r} registered twice")
        _RULES[name] = RuleInfo(name, family, clauses, func)
        return func

    return wrap


def registered_rules() -> dict[str, RuleInfo]:
    """The built-in audit rules and those of every ``somevahti.audits`` entry point
    (``somevahti.plugins``)."""
    from somevahti import plugins
    from somevahti.audits import access, activity, profile, security  # noqa: F401 - registers the rules

    plugins.load("somevahti.audits")

    return dict(_RULES)


def run_audits(snapshot: Snapshot, only: Iterable[str] | None = None, settings=None) -> list[AuditFinding]:
    """Run the audit rules. ``settings`` (the pack's ``audits:`` section; default the snapshot's)
    switches rules off and sets the clauses their findings cite; the thresholds are the snapshot's."""
    from dataclasses import replace

    rules = registered_rules()
    names = list(only) if only is not None else sorted(rules)
    settings = settings if settings is not None else snapshot.settings
    off = settings.disabled() if settings is not None else frozenset()
    findings: list[AuditFinding] = []
    for name in names:
        if name in off:
            continue
        cited = settings.clauses_for(name) if settings is not None else None
        for finding in rules[name].func(snapshot):
            findings.append(replace(finding, clauses=cited) if cited is not None else finding)
    findings.sort(key=lambda f: (f.rule, f.key))
    return findings
