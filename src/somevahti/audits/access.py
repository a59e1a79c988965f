"""Who has access: leavers and outsiders, ownerless accounts, accounts opened without a request."""

from __future__ import annotations

from collections.abc import Iterator

from somevahti.audits.base import (
    COMMUNICATIONS,
    N_,
    SUPERVISOR,
    UNIT_EDITOR,
    AuditFinding,
    Snapshot,
    audit_rule,
)


@audit_rule("leaver-access", ("RANUA-S.8",))
def leaver_access(s: Snapshot) -> Iterator[AuditFinding]:
    accounts = {a.id: a for a in s.accounts}
    for g in s.grants:
        person = s.person.get(g.person_id)
        account = accounts.get(g.account_id)
        if not g.active or person is None or account is None or account.status == "closed":
            continue
        if person.has_left(s.today) and person.end:
            message = N_("{person} left on {end} but still has {role} access to {account}.")
        elif person.has_left(s.today):
            message = N_("{person} has left but still has {role} access to {account}.")
        elif person.external:
            message = N_("{person} is outside the work community but has {role} access to {account}.")
        else:
            continue
        act_people = tuple(
            i for i in (person.supervisor_id, *s.account_owner_people(account)) if i and i != person.id
        )
        yield AuditFinding(
            "leaver-access",
            f"grant:{g.id}",
            ("RANUA-S.8",),
            message,
            {
                "person": person.name,
                "end": person.end.isoformat() if person.end else "",
                "role": g.role,
                "account": account.label,
            },
            account_id=account.id,
            person_id=person.id,
            grant_id=g.id,
            unit_id=account.unit_id,
            act_roles=(SUPERVISOR, UNIT_EDITOR, COMMUNICATIONS),
            act_people=act_people,
        )


@audit_rule("no-active-owner", ("KIRK-2.1",))
def no_active_owner(s: Snapshot) -> Iterator[AuditFinding]:
    for a in s.open_accounts():
        keepers = [
            g
            for g in s.active_grants_by_account.get(a.id, ())
            if g.role in ("owner", "admin")
            and (p := s.person.get(g.person_id))
            and not p.has_left(s.today)
            and not p.external
        ]
        if not keepers:
            yield AuditFinding(
                "no-active-owner",
                f"account:{a.id}",
                ("KIRK-2.1",),
                N_("{account} has no active owner or admin."),
                {"account": a.label},
                account_id=a.id,
                unit_id=a.unit_id,
                act_roles=(UNIT_EDITOR, COMMUNICATIONS),
            )


@audit_rule("not-requested", ("KELA-3.2", "KIRK-5.2"))
def not_requested(s: Snapshot) -> Iterator[AuditFinding]:
    for a in s.open_accounts():
        if a.kind == "shared" and not a.registered_through_request:
            yield AuditFinding(
                "not-requested",
                f"account:{a.id}",
                ("KELA-3.2", "KIRK-5.2"),
                N_("{account} was not registered through an approved account request."),
                {"account": a.label},
                account_id=a.id,
                unit_id=a.unit_id,
                act_roles=(COMMUNICATIONS,),
            )
