"""An onboarding path per role, built from the pack in force and the registry:

* experts (communications admins, IT security, auditors): the pack's guide clauses (``<ORG>-G.n``
  in the clause catalogue), else the chapters of its policy document, else the clauses its rules cite;
* unit editors: their unit's accounts, the grants on each and the audit findings open on them;
* authors and supervisors: the rules caught most often in the organisation's published posts over the
  last 12 weeks (rulestats.py), each with its message, its clauses and an example; the pack's
  error-level rules while there are no statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from somevahti.policy.clauses import clauses
from somevahti.policy.render import _example, fill, pack_clauses
from somevahti.policy.schema import Pack, RuleSpec
from somevahti.web.core.models import Role

TOP_RULES = 5
GUIDE_ID = re.compile(r"^[A-Z]+-G\.(\d+)$")
EXPERTS = (Role.COMMUNICATIONS_ADMIN, Role.IT_SECURITY, Role.AUDITOR)


@dataclass
class Step:
    key: str  # stable: "guide:KELA-G.1", "chapter:3", "clause:KIRK-5.2", "account:12", "rule:kirk-x"
    title: str
    text: list[str] = field(default_factory=list)  # paragraphs
    clauses: list[tuple[str, str]] = field(default_factory=list)  # (id, text in the reader's language)
    example_post: str = ""
    example_message: str = ""
    items: list[str] = field(default_factory=list)  # grants, findings
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    done: bool = False


@dataclass
class Path:
    kind: str  # guide, chapters, clauses, unit, rules
    intro: str
    steps: list[Step]

    def keys(self) -> list[str]:
        return [s.key for s in self.steps]


def _clause(cid: str, lang: str) -> tuple[str, str]:
    c = clauses().get(cid)
    return (cid, c.text_in(lang) if c else "")


def _policy_link() -> tuple[str, str]:
    return (_("Read it in the policy"), reverse("policy:document"))


def guide_clause_ids(pack: Pack) -> list[str]:
    found = [c.id for c in pack_clauses(pack) if GUIDE_ID.match(c.id)]
    return sorted(found, key=lambda cid: int(GUIDE_ID.match(cid).group(1)))


def _expert_source(pack: Pack) -> tuple[str, list]:
    """What an expert's path walks: ("guide", clause ids), ("chapters", chapters) or ("clauses", ids)."""
    if guide := guide_clause_ids(pack):
        return "guide", guide
    if pack.document.chapters:
        return "chapters", list(pack.document.chapters)
    return "clauses", sorted({cid for r in pack.rules if r.enabled for cid in r.clauses})


def _expert_keys(pack: Pack) -> list[str]:
    kind, source = _expert_source(pack)
    if kind == "chapters":
        return [f"chapter:{ch.id}" for ch in source]
    return [f"{'guide' if kind == 'guide' else 'clause'}:{cid}" for cid in source]


def expert_path(pack: Pack, lang: str) -> Path:
    link = _policy_link()
    kind, source = _expert_source(pack)
    if kind == "guide":
        steps = [
            Step(
                f"guide:{cid}",
                _("Step %(n)d of the guide") % {"n": n},
                clauses=[_clause(cid, lang)],
                links=[link],
            )
            for n, cid in enumerate(source, start=1)
        ]
        return Path("guide", _("The steps of your organisation's social media guide."), steps)
    if kind == "chapters":
        steps = []
        for ch in source:
            text = [ch.intro.get(lang)] if ch.intro else []
            steps.append(
                Step(
                    f"chapter:{ch.id}",
                    ch.title.get(lang),
                    text=text,
                    clauses=[_clause(cid, lang) for cid in ch.clauses],
                    links=[link],
                )
            )
        return Path(
            "chapters", _("The chapters of your organisation's social media policy, one at a time."), steps
        )
    steps = [Step(f"clause:{cid}", cid, clauses=[_clause(cid, lang)], links=[link]) for cid in source]
    return Path("clauses", _("The clauses of the policy that the checks enforce."), steps)


def _unit_accounts(user):
    """The open accounts of a unit editor's unit, in the path's order."""
    from somevahti.web.registry.models import Account

    membership = getattr(user, "membership", None)
    unit_id = membership.unit_id if membership else None
    if not unit_id:
        return Account.objects.none()
    return (
        Account.objects.filter(unit_id=unit_id)
        .exclude(status=Account.Status.CLOSED)
        .order_by("platform", "handle")
    )


def unit_path(user, pack: Pack, lang: str) -> Path:
    from somevahti.web.audits.display import finding_text
    from somevahti.web.audits.models import Finding
    from somevahti.web.registry.models import AccessGrant

    accounts = list(_unit_accounts(user).select_related("unit"))
    if not accounts:
        return expert_path(pack, lang)
    grants = {}
    for g in (
        AccessGrant.objects.filter(account__in=accounts, revoked__isnull=True)
        .select_related("person")
        .order_by("person__name")
    ):
        grants.setdefault(g.account_id, []).append(g)
    findings = {}
    for f in Finding.objects.filter(account__in=accounts, status=Finding.Status.OPEN).order_by("rule"):
        findings.setdefault(f.account_id, []).append(f)
    steps = []
    for a in accounts:
        items = [
            _("%(person)s: %(role)s") % {"person": g.person.name, "role": g.role_label}
            for g in grants.get(a.pk, [])
        ]
        open_findings = [finding_text(f) for f in findings.get(a.pk, [])]
        text = [
            _("Check who has access and settle the open audit findings.")
            if open_findings
            else _("Check who has access; no audit finding is open.")
        ]
        step = Step(
            f"account:{a.pk}",
            str(a),
            text=text,
            items=items + open_findings,
            links=[
                (_("Open the account"), reverse("registry:account", args=[a.pk])),
                (_("Audit findings"), reverse("audits:list")),
            ],
        )
        steps.append(step)
    return Path(
        "unit",
        _("The accounts of %(unit)s: who has access, and what the audit found.")
        % {"unit": accounts[0].unit.name},
        steps,
    )


def rule_step(pack: Pack, rule: RuleSpec, lang: str, caught: int | None) -> Step:
    example = _example(pack, rule, lang)
    message = example.message if example else fill(rule.message.get(lang), {}, lang)
    text = [_("Caught in %(n)d published posts in the last 12 weeks.") % {"n": caught}] if caught else []
    return Step(
        f"rule:{rule.id}",
        message,
        text=text,
        clauses=[_clause(cid, lang) for cid in rule.clauses],
        example_post=example.post if example else "",
        example_message=example.message if example else "",
        links=[_policy_link()],
    )


def _author_rules(pack: Pack, counts: dict[str, int]) -> tuple[bool, list[RuleSpec]]:
    """(caught, rules): the rules caught most often, else (False, …) the error-level rules."""
    enabled = {r.id: r for r in pack.rules if r.enabled}
    top = [rid for rid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n and rid in enabled]
    if top:
        return True, [enabled[rid] for rid in top[:TOP_RULES]]
    errors = [r for r in enabled.values() if str(r.severity) == "error"]
    errors.sort(key=lambda r: (r.id not in pack.document.examples, r.id))
    return False, errors[:TOP_RULES]


def author_path(pack: Pack, lang: str, counts: dict[str, int]) -> Path:
    caught, rules = _author_rules(pack, counts)
    if caught:
        steps = [rule_step(pack, r, lang, counts[r.id]) for r in rules]
        return Path(
            "rules", _("The rules people in your organisation break most often, with examples."), steps
        )
    steps = [rule_step(pack, r, lang, None) for r in rules]
    return Path("rules", _("The rules whose breach stops a post, with examples."), steps)


def path_for(user, pack: Pack, lang: str, counts=None) -> Path:
    """The user's path; ``counts`` (rule id → findings) is looked up when the path needs it."""
    from somevahti.web.core.policy import role_of

    role = role_of(user)
    if role == Role.UNIT_EDITOR:
        return unit_path(user, pack, lang)
    if role in (Role.AUTHOR, Role.SUPERVISOR):
        if counts is None:
            from somevahti.web.onboarding.rulestats import rule_counts

            counts = rule_counts(pack)
        return author_path(pack, lang, counts)
    return expert_path(pack, lang)


def path_keys(user, pack: Pack, counts=None) -> list[str]:
    """The keys of :func:`path_for`'s steps without building the steps (the start page's card counts
    them on every request): the same selection, one query of account ids for a unit editor."""
    from somevahti.web.core.policy import role_of

    role = role_of(user)
    if role == Role.UNIT_EDITOR:
        ids = list(_unit_accounts(user).values_list("pk", flat=True))
        return [f"account:{pk}" for pk in ids] if ids else _expert_keys(pack)
    if role in (Role.AUTHOR, Role.SUPERVISOR):
        if counts is None:
            from somevahti.web.onboarding.rulestats import rule_counts

            counts = rule_counts(pack)
        return [f"rule:{r.id}" for r in _author_rules(pack, counts)[1]]
    return _expert_keys(pack)
