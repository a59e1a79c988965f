"""Whose approval an account's posts need: the pack's setting per account kind (``publishing.approval``,
the engine's typed key), overridden per account in the registry (:class:`AccountPublishing`).

A crisis post takes the shortest path (KIRK-5.8): one communications admin, when approval is needed at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from somevahti.web.api.checking import organisation_pack
from somevahti.web.publishing.models import AccountPublishing, Approval

COMMS, UNIT_EDITOR, SUPERVISOR = "communications_admin", "unit_editor", "supervisor"


@dataclass(frozen=True)
class Rule:
    required: bool
    approvers: tuple[str, ...] = ()  # web roles; a unit editor only for the account's own unit


NOT_REQUIRED = Rule(False)


def _pack_rule(account_kind: str) -> Rule:
    pack = organisation_pack()
    settings = getattr(pack, "publishing", None)
    if settings is None:
        return NOT_REQUIRED
    rule = settings.approval_for(account_kind)
    return Rule(bool(rule.required), tuple(rule.approvers)) if rule.required else NOT_REQUIRED


def _override(account) -> AccountPublishing | None:
    try:
        return account.publishing
    except AccountPublishing.DoesNotExist:
        return None


def rule_for(account) -> Rule:
    override = _override(account)
    if override is not None and override.approval != Approval.INHERIT:
        if override.approval == Approval.NONE:
            return NOT_REQUIRED
        return Rule(True, (override.approval,))
    return _pack_rule(account.kind)


def rules_for(draft) -> dict[int, Rule]:
    """Account id → its rule, for the draft's target accounts that need approval."""
    found = {}
    for account in draft.accounts.all():
        rule = rule_for(account)
        if rule.required:
            found[account.pk] = Rule(True, (COMMS,)) if draft.crisis else rule
    return found


def needs_approval(draft) -> bool:
    return bool(rules_for(draft))


def approver_roles(draft) -> set[str]:
    return {role for rule in rules_for(draft).values() for role in rule.approvers}
