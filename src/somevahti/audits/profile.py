"""What the public profile of an official account must show: maintainer, website, contact
e-mail on the organisation's domain, privacy notice."""

from __future__ import annotations

from collections.abc import Iterator

from somevahti.audits.base import COMMUNICATIONS, N_, OWNER, UNIT_EDITOR, AuditFinding, Snapshot, audit_rule

_ACT = (OWNER, UNIT_EDITOR, COMMUNICATIONS)


def _official(s: Snapshot):
    return (a for a in s.open_accounts() if a.kind == "shared")


@audit_rule("contact-email-domain", ("SF-3",))
def contact_email_domain(s: Snapshot) -> Iterator[AuditFinding]:
    if not s.thresholds.email_domains:
        return
    for a in _official(s):
        if not s.email_on_org_domain(a.contact_email):
            yield AuditFinding(
                "contact-email-domain",
                f"account:{a.id}",
                ("SF-3",),
                N_("{account} has no contact e-mail on the organisation's domain ({domains})."),
                {"account": a.label, "domains": ", ".join(s.thresholds.email_domains)},
                account_id=a.id,
                unit_id=a.unit_id,
                act_roles=_ACT,
                act_people=s.account_owner_people(a),
            )


@audit_rule("profile-identification", ("KIRK-5.6",))
def profile_identification(s: Snapshot) -> Iterator[AuditFinding]:
    for a in _official(s):
        if a.names_maintainer and a.links_website:
            continue
        if not a.names_maintainer and not a.links_website:
            message = N_(
                "{account}: the profile neither names the unit as maintainer nor links to the website."
            )
        elif not a.names_maintainer:
            message = N_("{account}: the profile does not name the unit as maintainer.")
        else:
            message = N_("{account}: the profile does not link to the website.")
        yield AuditFinding(
            "profile-identification",
            f"account:{a.id}",
            ("KIRK-5.6",),
            message,
            {"account": a.label},
            account_id=a.id,
            unit_id=a.unit_id,
            act_roles=_ACT,
            act_people=s.account_owner_people(a),
        )


@audit_rule("privacy-notice", ("RANUA-S.9", "RANUA-P.9"))
def privacy_notice(s: Snapshot) -> Iterator[AuditFinding]:
    for a in _official(s):
        if not a.privacy_notice_url.strip():
            yield AuditFinding(
                "privacy-notice",
                f"account:{a.id}",
                ("RANUA-S.9", "RANUA-P.9"),
                N_("{account} has no link to a privacy notice."),
                {"account": a.label},
                account_id=a.id,
                unit_id=a.unit_id,
                act_roles=_ACT,
                act_people=s.account_owner_people(a),
            )
