"""Retention rules per account and legal holds, both recorded in the archive itself.

A ``retention`` record sets an account's rule (keep N years, or permanently: ``years: null``);
the latest one per account wins. A ``hold`` record blocks purging of the records it matches
(accounts, date range and/or a search) until a ``hold-release`` record releases it.
``run`` purges what the rules make due and what no hold protects, and records the purge.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from somevahti.archive import payloads
from somevahti.archive.search import Query, bound, matching
from somevahti.errors import InputError
from somevahti.i18n import _


def set_rule(archive, org: str, account: str, years: int | None, *, actor: str | None):
    if years is not None and years < 1:
        raise InputError(_("retention must be at least one year, or permanent"))
    return archive.append_system(
        "retention",
        {"account": account, "years": years},
        org=org,
        actor=actor,
        account=account,
        subject=f"retention:{account}",
    )


def rules(archive, org: str) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for rec in archive.records(org, kinds=["retention"]):
        out[rec.payload["account"]] = rec.payload["years"]
    return out


def place_hold(
    archive,
    org: str,
    *,
    actor: str | None,
    reason: str,
    accounts=(),
    text: str | None = None,
    since=None,
    until=None,
    hold_id: str | None = None,
):
    if not reason:
        raise InputError(_("a legal hold needs a reason"))
    hold_id = hold_id or uuid.uuid4().hex[:12]
    if hold_id in active_holds(archive, org):
        raise InputError(_("hold %s is already active") % hold_id)
    payload = {
        "hold": hold_id,
        "reason": reason,
        "accounts": list(accounts),
        "text": text,
        "since": str(since) if since else None,
        "until": str(until) if until else None,
    }
    return archive.append_system("hold", payload, org=org, actor=actor, subject=f"hold:{hold_id}")


def release_hold(archive, org: str, hold_id: str, *, actor: str | None, reason: str = ""):
    if hold_id not in active_holds(archive, org):
        raise InputError(_("no active hold %s") % hold_id)
    return archive.append_system(
        "hold-release", {"hold": hold_id, "reason": reason}, org=org, actor=actor, subject=f"hold:{hold_id}"
    )


def active_holds(archive, org: str) -> dict[str, dict]:
    holds: dict[str, dict] = {}
    for rec in archive.records(org, kinds=["hold", "hold-release"]):
        if rec.kind == "hold":
            holds[rec.payload["hold"]] = {
                **rec.payload,
                "seq": rec.seq,
                "actor": rec.actor,
                "placed": rec.recorded,
            }
        else:
            holds.pop(rec.payload["hold"], None)
    return holds


def held_seqs(archive, org: str, seqs) -> set[int]:
    """Which of ``seqs`` an active hold protects."""
    wanted = set(seqs)
    held: set[int] = set()
    for hold in active_holds(archive, org).values():
        if hold.get("text"):
            q = Query(text=hold["text"], accounts=hold["accounts"], since=hold["since"], until=hold["until"])
            subjects = {subj for _seq, subj, _p, _k in matching(archive, org, q) if subj}
            held |= {seq for seq, subj in _subjects_of(archive, org, wanted) if subj in subjects}
            continue
        sql = "SELECT seq FROM archive_record WHERE org = ?"
        params: list = [org]
        if hold["accounts"]:
            sql += f" AND account IN ({','.join('?' * len(hold['accounts']))})"
            params += hold["accounts"]
        for column, value, end in (
            ("occurred >= ?", hold["since"], False),
            ("occurred < ?", hold["until"], True),
        ):
            if value:
                sql += f" AND {column}"
                params.append(bound(value, end=end))
        held |= {int(r[0]) for r in archive.store.iterate(sql, params)} & wanted
    return held


def _subjects_of(archive, org, seqs):
    seqs = sorted(seqs)
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        yield from (
            (int(r[0]), r[1])
            for r in archive.store.query(
                "SELECT seq, subject FROM archive_record "  # noqa: S608 - constant SQL and ? placeholders only
                f"WHERE org = ? AND seq IN ({','.join('?' * len(chunk))})",
                [org, *chunk],
            )
        )


@dataclass
class RetentionRun:
    due: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    purged: list[int] = field(default_factory=list)
    purge_records: list[int] = field(default_factory=list)


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def run(
    archive, org: str, *, actor: str | None, now: datetime | None = None, dry_run: bool = False
) -> RetentionRun:
    now = now or datetime.now(UTC)
    result = RetentionRun()
    kinds = list(payloads.CONTENT_KINDS)
    for account, years in rules(archive, org).items():
        if years is None:
            continue
        cutoff = bound(_years_before(now, years), end=False)
        sql = (
            "SELECT r.seq FROM archive_record r "  # noqa: S608 - constant SQL and ? placeholders only
            "LEFT JOIN archive_tombstone t ON t.org = r.org AND t.seq = r.seq "
            f"WHERE r.org = ? AND r.account = ? AND r.kind IN ({','.join('?' * len(kinds))}) "
            "AND r.occurred < ? AND t.seq IS NULL ORDER BY r.seq"
        )
        rows = archive.store.query(sql, [org, account, *kinds, cutoff])
        result.due += [int(r[0]) for r in rows]
    held = held_seqs(archive, org, result.due)
    result.held = sorted(held)
    to_purge = [s for s in result.due if s not in held]
    if to_purge and not dry_run:
        reason = {"reason": "retention", "rules": json.loads(json.dumps(rules(archive, org)))}
        records = archive.purge(org, to_purge, actor=actor, reason=reason)
        result.purge_records = [r.seq for r in records]
        result.purged = to_purge
    return result
