"""Dormant accounts: nothing published for longer than the configured time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from somevahti.audits.base import COMMUNICATIONS, N_, OWNER, UNIT_EDITOR, AuditFinding, Snapshot, audit_rule


@audit_rule("dormant-account", ("KIRK-2.1", "KIRK-5.5"))
def dormant_account(s: Snapshot) -> Iterator[AuditFinding]:
    days = s.thresholds.dormant_after_days
    limit = s.today - timedelta(days=days)
    for a in s.open_accounts():
        last = a.last_published or a.created
        if a.status == "dormant" or (last is not None and last < limit):
            yield AuditFinding(
                "dormant-account", f"account:{a.id}", ("KIRK-2.1", "KIRK-5.5"),
                N_("{account} has published nothing for more than {days} days: revive it or close it."),
                {"account": a.label, "days": days}, account_id=a.id, unit_id=a.unit_id,
                act_roles=(OWNER, UNIT_EDITOR, COMMUNICATIONS), act_people=s.account_owner_people(a))
