"""Each audit rule: a case that fires and a near miss that does not (plain records, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from somevahti.audits import AccountRec, AttestationRec, GrantRec, PersonRec, Snapshot, UnitRec, run_audits
from somevahti.audits.base import registered_rules
from somevahti.audits.records import Thresholds

TODAY = date(2025, 6, 1)


def base_snapshot(**changes) -> Snapshot:
    """A clean organisation: no rule fires."""
    people = [
        PersonRec(1, "Anna Korhonen", unit_id=1, supervisor_id=2, email="anna.korhonen@kirkkonummi.fi"),
        PersonRec(2, "Mikko Nieminen", unit_id=1, email="mikko.nieminen@kirkkonummi.fi"),
    ]
    account = AccountRec(
        10,
        "facebook: visitkirkkonummi",
        "shared",
        1,
        owner_id=1,
        contact_email="viestinta@kirkkonummi.fi",
        names_maintainer=True,
        links_website=True,
        privacy_notice_url="https://www.kirkkonummi.fi/tietosuoja",
        registered_through_request=True,
        created=TODAY - timedelta(days=400),
        last_published=TODAY - timedelta(days=3),
    )
    grants = [GrantRec(100, 10, 1, "owner")]
    att = AttestationRec(
        10,
        password_changed=TODAY - timedelta(days=30),
        two_factor=True,
        login_email_kind="shared",
        reuses_network_password=False,
        in_password_manager=True,
        settings_reviewed=TODAY - timedelta(days=30),
    )
    snap = dict(
        today=TODAY,
        units=[UnitRec(1, "VisitKirkkonummi")],
        people=people,
        accounts=[account],
        grants=grants,
        attestations=[att],
        thresholds=Thresholds(email_domains=("kirkkonummi.fi",)),
    )
    snap.update(changes)
    return Snapshot(**snap)


def rules_fired(snap: Snapshot) -> set[str]:
    return {f.rule for f in run_audits(snap)}


def with_account(**kw) -> Snapshot:
    s = base_snapshot()
    return base_snapshot(accounts=[replace(s.accounts[0], **kw)])


def with_attestation(**kw) -> Snapshot:
    s = base_snapshot()
    return base_snapshot(attestations=[replace(s.attestations[0], **kw)])


def test_clean_organisation_has_no_findings():
    assert run_audits(base_snapshot()) == []


def test_every_rule_cites_clauses_and_names_who_acts():
    assert len(registered_rules()) >= 11
    snap = base_snapshot(
        people=[
            PersonRec(1, "Anna", unit_id=1, supervisor_id=2, end=TODAY - timedelta(days=1)),
            PersonRec(2, "Mikko", unit_id=1),
        ],
        attestations=[],
    )
    for f in run_audits(snap):
        assert f.clauses and all("-" in c for c in f.clauses)
        assert f.act_roles


LEAVER_CASES = {
    "left yesterday": (
        PersonRec(3, "Ville", unit_id=1, supervisor_id=2, end=TODAY - timedelta(days=1)),
        True,
    ),
    "marked left": (PersonRec(3, "Ville", unit_id=1, supervisor_id=2, left=True), True),
    "outsider": (PersonRec(3, "Petra", external=True), True),
    "leaves today": (PersonRec(3, "Ville", unit_id=1, supervisor_id=2, end=TODAY), False),
    "leaves next month": (
        PersonRec(3, "Ville", unit_id=1, supervisor_id=2, end=TODAY + timedelta(days=30)),
        False,
    ),
}


@pytest.mark.parametrize("case", LEAVER_CASES)
def test_leaver_access(case):
    person, fires = LEAVER_CASES[case]
    s = base_snapshot()
    snap = base_snapshot(people=[*s.people, person], grants=[*s.grants, GrantRec(101, 10, 3, "editor")])
    findings = [f for f in run_audits(snap) if f.rule == "leaver-access"]
    assert bool(findings) is fires
    if fires:
        assert findings[0].clauses == ("RANUA-S.8",)
        assert findings[0].grant_id == 101
        if person.supervisor_id:
            assert 2 in findings[0].act_people  # the supervisor must act


def test_revoked_grant_of_leaver_does_not_fire():
    s = base_snapshot()
    leaver = PersonRec(3, "Ville", end=TODAY - timedelta(days=5))
    snap = base_snapshot(
        people=[*s.people, leaver], grants=[*s.grants, GrantRec(101, 10, 3, "editor", active=False)]
    )
    assert "leaver-access" not in rules_fired(snap)


def test_no_active_owner():
    s = base_snapshot()
    assert "no-active-owner" in rules_fired(base_snapshot(grants=[GrantRec(100, 10, 1, "editor")]))
    gone = [replace(s.people[0], end=TODAY - timedelta(days=2)), s.people[1]]
    assert "no-active-owner" in rules_fired(base_snapshot(people=gone))
    assert "no-active-owner" not in rules_fired(base_snapshot(grants=[GrantRec(100, 10, 1, "admin")]))
    # A closed account needs no owner.
    assert "no-active-owner" not in rules_fired(
        base_snapshot(grants=[], accounts=[replace(s.accounts[0], status="closed")])
    )


def test_password_age():
    assert "password-age" in rules_fired(with_attestation(password_changed=TODAY - timedelta(days=181)))
    assert "password-age" in rules_fired(base_snapshot(attestations=[]))
    assert "password-age" not in rules_fired(with_attestation(password_changed=TODAY - timedelta(days=180)))


def test_two_factor_off():
    assert "two-factor-off" in rules_fired(with_attestation(two_factor=False))
    assert "two-factor-off" not in rules_fired(with_attestation(two_factor=True))


def test_work_email_on_personal_account_and_password_reuse():
    s = base_snapshot()
    personal = base_snapshot(
        accounts=[replace(s.accounts[0], kind="personal")],
        attestations=[replace(s.attestations[0], login_email_kind="work")],
    )
    found = [f for f in run_audits(personal) if f.rule == "work-email-or-reused-password"]
    assert found and "KIRK-8.8" in found[0].clauses
    # An expert profile may use the work e-mail (KIRK-8.4).
    expert = base_snapshot(
        accounts=[replace(s.accounts[0], kind="expert")],
        attestations=[replace(s.attestations[0], login_email_kind="work")],
    )
    assert "work-email-or-reused-password" not in rules_fired(expert)
    reused = [
        f
        for f in run_audits(with_attestation(reuses_network_password=True))
        if f.rule == "work-email-or-reused-password"
    ]
    assert reused and "KIRK-8.1" in reused[0].clauses and "RANUA-P.6" in reused[0].clauses


def test_contact_email_domain():
    assert "contact-email-domain" in rules_fired(with_account(contact_email="visit@gmail.com"))
    assert "contact-email-domain" in rules_fired(with_account(contact_email=""))
    assert "contact-email-domain" in rules_fired(with_account(contact_email="x@kirkkonummi.fi.evil.com"))
    assert "contact-email-domain" not in rules_fired(
        with_account(contact_email="visit@matkailu.kirkkonummi.fi")
    )
    # Expert profiles are not official accounts.
    assert "contact-email-domain" not in rules_fired(with_account(kind="expert", contact_email="a@gmail.com"))


def test_profile_identification():
    assert "profile-identification" in rules_fired(with_account(names_maintainer=False))
    assert "profile-identification" in rules_fired(with_account(links_website=False))
    assert "profile-identification" not in rules_fired(with_account(kind="personal", links_website=False))


def test_privacy_notice():
    assert "privacy-notice" in rules_fired(with_account(privacy_notice_url=" "))
    assert "privacy-notice" not in rules_fired(
        with_account(privacy_notice_url="https://www.kirkkonummi.fi/tietosuoja")
    )


def test_settings_review():
    assert "settings-review" in rules_fired(with_attestation(settings_reviewed=TODAY - timedelta(days=366)))
    assert "settings-review" in rules_fired(with_attestation(settings_reviewed=None))
    assert "settings-review" not in rules_fired(
        with_attestation(settings_reviewed=TODAY - timedelta(days=364))
    )


def test_not_requested():
    assert "not-requested" in rules_fired(with_account(registered_through_request=False))
    assert "not-requested" not in rules_fired(with_account(registered_through_request=False, kind="expert"))


def test_dormant_account():
    assert "dormant-account" in rules_fired(with_account(last_published=TODAY - timedelta(days=181)))
    assert "dormant-account" in rules_fired(with_account(status="dormant"))
    assert "dormant-account" not in rules_fired(with_account(last_published=TODAY - timedelta(days=179)))
    snap = base_snapshot(
        accounts=[replace(base_snapshot().accounts[0], last_published=TODAY - timedelta(days=100))],
        thresholds=Thresholds(dormant_after_days=90, email_domains=("kirkkonummi.fi",)),
    )
    assert "dormant-account" in rules_fired(snap)
