"""Dormant accounts: nothing published for longer than the configured time.

Where the date comes from: ``AccountRec.last_published`` is the registry's "last published" date of the
account (``registry.Account.last_published``). Nothing fills it automatically yet: a unit editor or
communications admin enters it on the account form, or a CSV import of accounts brings it (column
``last_published``). An account without the date is judged by its creation date; one with neither is
not judged, unless it is marked dormant. Keep the date current, or this rule both misses silent
accounts and flags active ones.
"""

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
                "dormant-account",
                f"account:{a.id}",
                ("KIRK-2.1", "KIRK-5.5"),
                N_("{account} has published nothing for more than {days} days: revive it or close it."),
                {"account": a.label, "days": days},
                account_id=a.id,
                unit_id=a.unit_id,
                act_roles=(OWNER, UNIT_EDITOR, COMMUNICATIONS),
                act_people=s.account_owner_people(a),
            )
