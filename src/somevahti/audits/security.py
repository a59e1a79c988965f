"""Account security from the owners' attestations: password age, two-step verification,
work e-mail and password reuse, settings reviews. Somevahti never sees a password."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from somevahti.audits.base import (
    COMMUNICATIONS,
    IT_SECURITY,
    N_,
    OWNER,
    UNIT_EDITOR,
    AuditFinding,
    Snapshot,
    audit_rule,
)


def _finding(
    s: Snapshot, rule: str, account, clauses, message, act_roles=(OWNER, UNIT_EDITOR, IT_SECURITY), **params
) -> AuditFinding:
    return AuditFinding(
        rule,
        f"account:{account.id}",
        clauses,
        message,
        {"account": account.label, **params},
        account_id=account.id,
        unit_id=account.unit_id,
        act_roles=act_roles,
        act_people=s.account_owner_people(account),
    )


@audit_rule("password-age", ("KIRK-8.3",))
def password_age(s: Snapshot) -> Iterator[AuditFinding]:
    limit = s.today - timedelta(days=s.thresholds.password_max_age_days)
    for a in s.open_accounts():
        att = s.attestation.get(a.id)
        if att is None or att.password_changed is None:
            yield _finding(
                s,
                "password-age",
                a,
                ("KIRK-8.3",),
                N_("{account}: nobody has attested when its password was last changed."),
            )
        elif att.password_changed < limit:
            yield _finding(
                s,
                "password-age",
                a,
                ("KIRK-8.3",),
                N_("{account}: the password was last changed on {date}, more than {days} days ago."),
                date=att.password_changed.isoformat(),
                days=s.thresholds.password_max_age_days,
            )


@audit_rule("two-factor-off", ("KIRK-8.5",))
def two_factor_off(s: Snapshot) -> Iterator[AuditFinding]:
    for a in s.open_accounts():
        att = s.attestation.get(a.id)
        if att is not None and att.two_factor is False:
            yield _finding(
                s, "two-factor-off", a, ("KIRK-8.5",), N_("{account}: two-step verification is off.")
            )


@audit_rule("work-email-or-reused-password", ("KIRK-8.8", "KIRK-8.4", "KELA-2.1", "RANUA-P.6", "KIRK-8.1"))
def work_credentials(s: Snapshot) -> Iterator[AuditFinding]:
    for a in s.open_accounts():
        att = s.attestation.get(a.id)
        if att is None:
            continue
        if a.kind == "personal" and att.login_email_kind == "work":
            yield _finding(
                s,
                "work-email-or-reused-password",
                a,
                ("KIRK-8.8", "KIRK-8.4", "KELA-2.1"),
                N_("{account} is a personal account created with a work e-mail address."),
            )
        elif att.reuses_network_password:
            yield _finding(
                s,
                "work-email-or-reused-password",
                a,
                ("KIRK-8.1", "RANUA-P.6", "KELA-2.1"),
                N_("{account} uses the same password as the organisation's network."),
            )


@audit_rule("settings-review", ("KELA-2.2",))
def settings_review(s: Snapshot) -> Iterator[AuditFinding]:
    limit = s.today - timedelta(days=s.thresholds.settings_review_days)
    for a in s.open_accounts():
        att = s.attestation.get(a.id)
        reviewed = att.settings_reviewed if att else None
        if reviewed is None or reviewed < limit:
            yield _finding(
                s,
                "settings-review",
                a,
                ("KELA-2.2",),
                N_("{account}: the privacy and security settings have not been reviewed since {date}.")
                if reviewed
                else N_("{account}: the privacy and security settings have never been reviewed."),
                act_roles=(OWNER, UNIT_EDITOR, COMMUNICATIONS),
                date=reviewed.isoformat() if reviewed else "",
            )
