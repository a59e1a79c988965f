"""The pack's inbox, incidents, audits and composer sections are typed and strict like rules: an
unknown key, a misspelt name or a wrong type is an error with the file and line at load time; the
audit thresholds and the clauses audit findings cite come from the pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import yaml

from somevahti.audits import AccountRec, AttestationRec, GrantRec, PersonRec, Snapshot, UnitRec, run_audits
from somevahti.audits.records import Thresholds
from somevahti.errors import PackError
from somevahti.policy import load_pack
from somevahti.policy.render import INBOX_DEFAULTS, build_document
from somevahti.policy.schema import InboxSettings, IncidentSettings
from tests.helpers import write_pack

HEAD = "id: sections\nextends: kirkkonummi\n"

BAD = [
    # (section text, expected message): each is the whole tail of a pack that extends kirkkonummi
    (
        "inbox:\n  response_target: {respond_negative: 4}\n",
        r"pack\.yaml:4: inbox\.response_target: Extra inputs are not permitted",
    ),
    (
        "inbox:\n  response_targets: {respond_negative: soon}\n",
        r"pack\.yaml:4: inbox\.response_targets\.respond_negative",
    ),
    (
        "inbox:\n  response_targets: {respond_negativ: 4}\n",
        r"pack\.yaml:4: inbox\.response_targets\.respond_negativ\.\[key\]: Input should be 'remove'",
    ),
    (
        "inbox:\n  response_targets: {respond_negative: 0}\n",
        r"pack\.yaml:4: inbox\.response_targets\.respond_negative.*greater than 0",
    ),
    (
        "inbox:\n  business_hours: {start: '8:00'}\n",
        r"pack\.yaml:4: inbox\.business_hours\.start: String should match pattern",
    ),
    (
        "inbox:\n  business_hours: {timezone: Europe/Helsingfors}\n",
        r"pack\.yaml:4: inbox\.business_hours\.timezone: Value error, unknown time zone 'Europe/Helsingfors'",
    ),
    (
        "inbox:\n  business_hours: {days: [mon, tues]}\n",
        r"pack\.yaml:4: inbox\.business_hours\.days\[1\]: Input should be 'mon'",
    ),
    (
        "inbox:\n  saved_replies:\n    - id: x\n      categories: [acknowledge]\n"
        "      title: {fi: T, sv: T, en: T}\n"
        "      text: {fi: 'Kiitos! /{signatur}', sv: 'Tack /{signature}', en: 'Thanks'}\n",
        r"pack\.yaml:8: inbox\.saved_replies\[0\]\.text: Value error, fi: unknown placeholder \{signatur\}",
    ),
    (
        "inbox:\n  feedback_channel: palaute@example.fi\n",
        r"pack\.yaml:4: inbox\.feedback_channel: Input should be a valid dictionary",
    ),
    (
        "incidents:\n  routes: {threat: [supervisr]}\n",
        r"pack\.yaml:4: incidents\.routes\.threat\[0\]: "
        r"Input should be 'supervisor', 'it_security' or 'communications'",
    ),
    (
        "incidents:\n  routes: {thret: [supervisor]}\n",
        r"pack\.yaml:4: incidents\.routes\.thret\.\[key\]: Input should be 'threat'",
    ),
    (
        "incidents:\n  clauses: {threat: [KIRK-8.66]}\n",
        r"pack\.yaml:4: incidents\.clauses: Value error, unknown clause id 'KIRK-8.66'",
    ),
    ("incidents:\n  polise: [threat]\n", r"pack\.yaml:4: incidents\.polise: Extra inputs are not permitted"),
    (
        "audits:\n  thresholds: {password_max_age: 90}\n",
        r"pack\.yaml:4: audits\.thresholds\.password_max_age: Extra inputs are not permitted",
    ),
    (
        "audits:\n  thresholds: {password_max_age_days: half a year}\n",
        r"pack\.yaml:4: audits\.thresholds\.password_max_age_days: Input should be a valid integer",
    ),
    (
        "audits:\n  rules:\n    password-ages: {enabled: false}\n",
        r"pack\.yaml:4: audits\.rules: Value error, unknown audit rule 'password-ages' "
        r"\(did you mean 'password-age'\?\)",
    ),
    (
        "audits:\n  rules:\n    password-age: {clauses: [KIRK-8.33]}\n",
        r"pack\.yaml:5: audits\.rules\.password-age\.clauses: Value error, unknown clause id 'KIRK-8.33'",
    ),
    (
        "audits:\n  rules:\n    password-age: {enabled: sometimes}\n",
        r"pack\.yaml:5: audits\.rules\.password-age\.enabled: Input should be a valid boolean",
    ),
    (
        "composer:\n  guidance:\n    - {clause: KIRK-4.4, audiences: [closed_groups]}\n",
        r"pack\.yaml:\d+: composer\.guidance\[0\]\.audiences\[0\]: "
        r"Input should be 'public' or 'closed_group'",
    ),
    (
        "composer:\n  guidance:\n    - {clause: KIRK-4.44}\n",
        r"pack\.yaml:\d+: composer\.guidance\[0\]\.clause: unknown clause id 'KIRK-4.44'",
    ),
    (
        "composer:\n  guidance:\n    - {clause: KIRK-4.4, where: [composer]}\n",
        r"pack\.yaml:\d+: composer\.guidance\[0\]\.where: Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize(
    "section, message", BAD, ids=[m for m, _ in [(b[0].split(":")[0] + str(i), 0) for i, b in enumerate(BAD)]]
)
def test_a_malformed_section_names_the_file_line_and_field(tmp_path, section, message):
    path = write_pack(tmp_path, HEAD + section)
    with pytest.raises(PackError, match=message):
        load_pack(str(path))


def test_the_inbox_defaults_are_valid_sections():
    data = yaml.safe_load(INBOX_DEFAULTS.read_text(encoding="utf-8"))
    assert InboxSettings.model_validate(data["inbox"]).saved_replies
    assert IncidentSettings.model_validate(data["incidents"]).routes


def test_a_pack_overrides_only_what_it_says(tmp_path):
    path = write_pack(tmp_path, HEAD + "inbox:\n  response_targets: {respond_question: 2.5}\n")
    pack = load_pack(str(path))
    assert pack.inbox.as_overrides()["response_targets"] == {"respond_negative": 4, "respond_question": 2.5}
    assert pack.incidents.routes["impersonation"] == ["supervisor", "it_security"]  # inherited


TODAY = date(2025, 6, 1)


def _snapshot(thresholds: Thresholds, password_age_days: int, work_email: bool = False) -> Snapshot:
    account = AccountRec(
        10,
        "facebook: kela",
        "personal" if work_email else "shared",
        1,
        owner_id=1,
        contact_email="somevahti@kela.fi",
        privacy_notice_url="https://www.kela.fi/tietosuoja",
        created=TODAY - timedelta(days=400),
        last_published=TODAY - timedelta(days=3),
    )
    att = AttestationRec(
        10,
        password_changed=TODAY - timedelta(days=password_age_days),
        two_factor=True,
        login_email_kind="work" if work_email else "shared",
        reuses_network_password=False,
        in_password_manager=True,
        settings_reviewed=TODAY - timedelta(days=30),
    )
    return Snapshot(
        TODAY,
        [UnitRec(1, "Viestintä")],
        [PersonRec(1, "Anna Korhonen", unit_id=1)],
        [account],
        [GrantRec(100, 10, 1, "owner")],
        [att],
        thresholds,
    )


def test_audit_thresholds_and_clauses_come_from_the_pack(tmp_path):
    path = write_pack(
        tmp_path,
        "id: strict\nextends: kela\naudits:\n  thresholds: {password_max_age_days: 90}\n"
        "  rules:\n    two-factor-off: {enabled: false}\n",
    )
    pack = load_pack(str(path))
    limits = pack.audits.thresholds
    thresholds = Thresholds(
        password_max_age_days=limits.password_max_age_days,
        settings_review_days=limits.settings_review_days,
        dormant_after_days=limits.dormant_after_days,
        email_domains=("kela.fi",),
    )
    assert {f.rule for f in run_audits(_snapshot(thresholds, 100), settings=pack.audits)} == {"password-age"}
    assert run_audits(_snapshot(thresholds, 80), settings=pack.audits) == []
    # kela's pack makes its findings cite Kela's own clause, not Kirkkonummi's
    findings = run_audits(_snapshot(thresholds, 10, work_email=True), settings=pack.audits)
    assert [(f.rule, f.clauses) for f in findings] == [("work-email-or-reused-password", ("KELA-2.1",))]
    off = _snapshot(thresholds, 10)
    off = replace(off, attestations=[replace(off.attestations[0], two_factor=False)])
    assert run_audits(off, settings=pack.audits) == []  # switched off
    assert {f.rule for f in run_audits(off)} == {"two-factor-off"}


def test_the_document_shows_the_packs_thresholds_and_guidance_places(tmp_path):
    path = write_pack(tmp_path, HEAD + "audits:\n  thresholds: {password_max_age_days: 90}\n")
    doc = build_document(load_pack(str(path)), "fi")
    by_id = {c.id: c for ch in doc.chapters for c in ch.clauses}
    assert "90 päivää" in by_id["KIRK-8.3"].measures[0].text
    assert "suljettuun ryhmään kirjoitettaessa" in by_id["KIRK-4.4"].note
