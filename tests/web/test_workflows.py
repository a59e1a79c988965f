"""Account requests, grants, audits, notifications and history as a user sees them."""

from __future__ import annotations

import json
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from somevahti.web.audits.models import Finding
from somevahti.web.audits.service import run_and_store
from somevahti.web.registry.models import AccessGrant, Account


def test_author_files_request_and_admin_approves_it(org, login):
    client = login(org.users["author"])
    response = client.post(
        reverse("requests:new"),
        {
            "what": "account",
            "platform": "instagram",
            "handle": "kirkkonummenliikunta",
            "unit": org.unit_a.pk,
            "need": "Liikuntapalvelujen tiedotus",
            "goals": "Nuoret liikkeelle",
            "target_group": "nuoret",
            "planned_content": "vuorot ja tapahtumat",
            "languages": ["fi", "sv"],
            "maintainers": [org.people["author"].pk, org.people["unit_editor"].pk],
        },
    )
    assert response.status_code == 302
    req = org.request.__class__.objects.get(handle="kirkkonummenliikunta")
    assert req.status == "pending" and req.languages == "fi,sv"

    admin = login(org.users["communications_admin"])
    response = admin.post(
        reverse("requests:decide", args=[req.pk]), {"decision": "approve", "reason": "Tarve on selvä"}
    )
    account = Account.objects.get(platform="instagram", handle="kirkkonummenliikunta")
    assert response["Location"] == reverse("registry:account", args=[account.pk])
    assert account.request == req and account.owner in (org.people["author"], org.people["unit_editor"])
    roles = set(AccessGrant.objects.filter(account=account).values_list("role", flat=True))
    assert roles == {"owner", "admin"}
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == org.users["communications_admin"]
    # Deciding twice is refused.
    assert (
        admin.post(
            reverse("requests:decide", args=[req.pk]), {"decision": "reject", "reason": "x"}
        ).status_code
        == 403
    )


def test_request_needs_maintainers_and_a_new_handle(org, login):
    client = login(org.users["author"])
    response = client.post(
        reverse("requests:new"),
        {
            "what": "account",
            "platform": "facebook",
            "handle": "VISITKIRKKONUMMI",
            "unit": org.unit_a.pk,
            "need": "n",
            "goals": "g",
            "target_group": "t",
            "planned_content": "p",
            "languages": ["fi"],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "handle" in form.errors and "maintainers" in form.errors


def test_rejection_needs_a_reason(org, login):
    admin = login(org.users["communications_admin"])
    admin.post(reverse("requests:decide", args=[org.request.pk]), {"decision": "reject", "reason": ""})
    org.request.refresh_from_db()
    assert org.request.status == "pending"
    admin.post(
        reverse("requests:decide", args=[org.request.pk]), {"decision": "reject", "reason": "Ei tarvetta"}
    )
    org.request.refresh_from_db()
    assert org.request.status == "rejected" and org.request.reason == "Ei tarvetta"
    assert not Account.objects.filter(handle="visitkyrkslatt").exists()


def test_expert_profile_goes_to_the_supervisor(org, login):
    boss = login(org.users["supervisor"])
    response = boss.get(reverse("requests:expert", args=[org.expert_request.pk]))
    assert b"decision-form" in response.content
    boss.post(
        reverse("requests:expert-decide", args=[org.expert_request.pk]),
        {"decision": "approve", "reason": "ok"},
    )
    account = Account.objects.get(platform="linkedin", handle="author-kirkkonummi")
    assert account.kind == "expert" and account.owner == org.people["author"]
    assert account.expert_profile.approved_by == org.people["supervisor"]


def test_expert_profile_of_a_person_without_a_unit(org, login):
    author, boss = org.people["author"], org.people["supervisor"]
    author.unit = None
    author.save()
    client = login(org.users["supervisor"])
    url = reverse("requests:expert-decide", args=[org.expert_request.pk])
    # The supervisor's unit is the team's: the account is registered there.
    client.post(url, {"decision": "approve", "reason": "ok"})
    account = Account.objects.get(platform="linkedin", handle="author-kirkkonummi")
    assert account.unit == boss.unit and account.owner == author


def test_expert_profile_needs_some_unit(org, login):
    author, boss = org.people["author"], org.people["supervisor"]
    author.unit = boss.unit = None
    author.save()
    boss.save()
    client = login(org.users["supervisor"])
    response = client.post(
        reverse("requests:expert-decide", args=[org.expert_request.pk]),
        {"decision": "approve", "reason": "ok"},
        follow=True,
    )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and author.name in errors[0]
    assert not Account.objects.filter(handle="author-kirkkonummi").exists()
    org.expert_request.refresh_from_db()
    assert org.expert_request.status == "pending"


def test_leaver_finding_clears_when_access_is_revoked(org, login):
    client = login(org.users["unit_editor"])
    page = client.get(reverse("audits:list"))
    assert "Ville Virtanen" in page.content.decode().split('id="findings"')[1]
    finding = Finding.objects.get(rule="leaver-access")
    assert finding.status == "open" and finding.clauses == ["RANUA-S.8"]
    client.post(
        reverse("registry:grant-revoke", args=[org.leaver_grant.pk]), {"next": reverse("audits:list")}
    )
    page = client.get(reverse("audits:list"))
    assert "Ville Virtanen" not in page.content.decode().split('id="findings"')[1]
    finding.refresh_from_db()
    assert finding.status == "cleared"
    org.leaver_grant.refresh_from_db()
    assert (
        org.leaver_grant.revoked == timezone.localdate()
        and org.leaver_grant.revoked_by == org.users["unit_editor"]
    )
    # The history says who revoked it.
    last = org.leaver_grant.history.first()
    assert last.history_user == org.users["unit_editor"]


def test_resolved_finding_reopens_when_the_problem_remains(org, login):
    run_and_store(notify=False)
    finding = Finding.objects.get(rule="leaver-access")
    client = login(org.users["supervisor"])
    client.post(reverse("audits:resolve", args=[finding.pk]), {"reason": "hoidettu"})
    finding.refresh_from_db()
    assert finding.status == "resolved" and finding.closed_by == org.users["supervisor"]
    run_and_store(notify=False)
    finding.refresh_from_db()
    assert finding.status == "open"


def test_accepting_a_finding_needs_a_reason_and_a_future_expiry(org, login):
    run_and_store(notify=False)
    finding = Finding.objects.get(rule="leaver-access")
    client = login(org.users["communications_admin"])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.post(reverse("audits:accept", args=[finding.pk]), {"reason": "sijainen", "until": yesterday})
    finding.refresh_from_db()
    assert finding.status == "open"
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(reverse("audits:accept", args=[finding.pk]), {"reason": "sijainen palaa", "until": until})
    finding.refresh_from_db()
    assert finding.status == "accepted" and finding.reason == "sijainen palaa"
    run_and_store(notify=False)
    finding.refresh_from_db()
    assert finding.status == "accepted"  # still within its acceptance
    # Once the acceptance has expired, the audit opens it again.
    Finding.objects.filter(pk=finding.pk).update(accepted_until=timezone.localdate() - timedelta(days=1))
    run_and_store(notify=False)
    finding.refresh_from_db()
    assert finding.status == "open"


def test_new_findings_are_mailed_once_to_who_must_act(org):
    org.users["communications_admin"].email = "viestinta@kirkkonummi.fi"
    org.users["communications_admin"].save()
    run_and_store()
    recipients = {r for m in mail.outbox for r in m.to}
    assert "supervisor@kirkkonummi.fi" in recipients  # the leaver's supervisor (person e-mail)
    assert "viestinta@kirkkonummi.fi" in recipients
    assert "Ville Virtanen" in next(m.body for m in mail.outbox if "supervisor@kirkkonummi.fi" in m.to)
    count = len(mail.outbox)
    run_and_store()
    assert len(mail.outbox) == count


def test_daily_audit_task_runs_and_schedules_the_next(org):
    from django_tasks_db.models import DBTaskResult

    from somevahti.web.audits.tasks import DAILY_TASK, daily_audit, schedule_next

    schedule_next()
    schedule_next()
    assert DBTaskResult.objects.filter(task_path=DAILY_TASK, status="READY").count() == 1
    waiting = DBTaskResult.objects.get(task_path=DAILY_TASK, status="READY")
    assert waiting.run_after > timezone.now() + timedelta(hours=23)
    result = daily_audit.call()
    assert result["findings"] >= 1 and Finding.objects.filter(rule="leaver-access", status="open").exists()


def test_unit_editor_cannot_grant_on_another_units_account(org, login):
    client = login(org.users["unit_editor"])
    response = client.post(
        reverse("registry:grant-add", args=[org.account_b.pk]),
        {"person": org.people["author"].pk, "role": "editor", "granted": "2024-01-01"},
    )
    assert response.status_code == 403
    assert not AccessGrant.objects.filter(account=org.account_b, person=org.people["author"]).exists()


def test_grant_in_the_future_or_twice_is_refused(org, login):
    client = login(org.users["unit_editor"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.post(
        reverse("registry:grant-add", args=[org.account_a.pk]),
        {"person": org.people["author"].pk, "role": "editor", "granted": tomorrow},
    )
    assert not AccessGrant.objects.filter(account=org.account_a, person=org.people["author"]).exists()
    page = client.get(reverse("registry:account", args=[org.account_a.pk]))
    assert "future" in page.content.decode() or "tulevaisuudessa" in page.content.decode()
    client.post(
        reverse("registry:grant-add", args=[org.account_a.pk]),
        {"person": org.people["unit_editor"].pk, "role": "admin", "granted": "2024-01-01"},
    )
    assert AccessGrant.objects.filter(account=org.account_a, person=org.people["unit_editor"]).count() == 1


def test_person_end_before_start_is_refused(org, login):
    client = login(org.users["communications_admin"])
    p = org.people["author"]
    response = client.post(
        reverse("registry:person-edit", args=[p.pk]),
        {
            "name": p.name,
            "unit": org.unit_a.pk,
            "email": p.email,
            "status": "active",
            "start_date": "2024-05-01",
            "end_date": "2024-04-01",
        },
    )
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    p.refresh_from_db()
    assert p.end_date is None


def test_attestation_in_the_future_is_refused_and_never_asks_for_a_password(org, login):
    client = login(org.users["it_security"])
    url = reverse("registry:attest", args=[org.account_a.pk])
    page = client.get(url).content.decode()
    assert 'type="password"' not in page
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        url, {"password_changed": future, "two_factor": "on", "settings_reviewed": "2024-01-01"}
    )
    assert "password_changed" in response.context["form"].errors
    assert org.account_a.attestations.count() == 1


def test_escaping_of_registry_content(org, login):
    org.account_a.purpose = "<script>alert(1)</script>"
    org.account_a.save()
    page = (
        login(org.users["author"]).get(reverse("registry:account", args=[org.account_a.pk])).content.decode()
    )
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_api_check_uses_the_registry_directory(org, login):
    client = login(org.users["author"])
    doc = {"channel": "facebook", "text": {"fi": "Kysy lisää: Ville Virtanen, ville.virtanen@kirkkonummi.fi"}}
    response = client.post("/api/check", data=json.dumps(doc), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["pack"] == "generic" and isinstance(body["findings"], list)
    bad = client.post("/api/check", data=json.dumps({"txt": "x"}), content_type="application/json")
    assert bad.status_code == 422


def test_registry_directory_lists_active_staff_and_units(org):
    from somevahti.web.registry.directory import registry_directory

    d = registry_directory(["kirkkonummi.fi"])
    assert d.is_known_name("Oskar Nyberg") and d.is_known_name("Kirjasto")
    assert not d.is_known_name("Ville Virtanen")  # left: no longer staff
    assert d.is_work_email("anyone@kirkkonummi.fi") and not d.is_work_email("someone@gmail.com")


def test_login_is_locked_after_repeated_failures(org, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "author", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "author", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_totp_setup_then_verify(org, client):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post(reverse("login"), {"username": "author", "password": "pw"})
    page = client.get(reverse("otp-setup"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=org.users["author"])
    client.post(reverse("otp-setup"), {"token": "000000" if TOTP(device.bin_key).token() != 0 else "111111"})
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next try wait; the test does not wait
    client.post(reverse("otp-setup"), {"token": f"{TOTP(device.bin_key).token():06d}"})
    device.refresh_from_db()
    assert device.confirmed
    # From now on a new session must give a code.
    client.logout()
    client.post(reverse("login"), {"username": "author", "password": "pw"})
    assert client.get(reverse("registry:accounts"))["Location"].startswith(reverse("otp-verify"))


def test_a_device_confirmed_elsewhere_asks_a_code_of_a_session_at_once(org, client):
    """The sign-in reads whether a device is confirmed with the user, on every request (core/auth.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(org.users["author"])
    assert client.get(reverse("registry:accounts")).status_code == 200
    device = TOTPDevice.objects.create(user=org.users["author"], name="phone", confirmed=True)
    assert client.get(reverse("registry:accounts"))["Location"].startswith(reverse("otp-verify"))
    device.delete()
    assert client.get(reverse("registry:accounts")).status_code == 200


def test_pages_follow_the_language_and_helsinki_time(org, login):
    client = login(org.users["auditor"])
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = client.get(reverse("registry:accounts")).content.decode()
    assert 'lang="sv"' in page
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert 'lang="fi"' in client.get(reverse("registry:accounts")).content.decode()
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Helsinki"


def test_pages_are_translated_finnish_first(org, login):
    client = login(org.users["auditor"])
    page = client.get(reverse("registry:accounts")).content.decode()
    assert ">Tilit<" in page and "Kirjaudu ulos" in page  # Finnish is the default
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = client.get(reverse("audits:list")).content.decode()
    assert "Granskningsfynd" in page and "Ville Virtanen slutade" in page


def test_a_fresh_audit_is_not_stored_twice(org):
    """Server processes that both saw the audit stale: the second finds it fresh and stores nothing."""
    assert run_and_store(notify=False) is not None
    assert run_and_store(notify=False, only_if_stale=True) is None
    org.leaver_grant.revoked = org.today
    org.leaver_grant.save()
    result = run_and_store(notify=False, only_if_stale=True)
    assert result is not None and result.cleared == 1


def test_a_change_saved_while_the_rules_run_leaves_the_audit_stale(org, monkeypatch):
    from somevahti.web.audits import service
    from somevahti.web.audits.models import AuditState

    rules = service.run_audits

    def change_meanwhile(snapshot):
        org.other.title = "tiedottaja"
        org.other.save()
        return rules(snapshot)

    monkeypatch.setattr(service, "run_audits", change_meanwhile)
    run_and_store(notify=False)
    assert AuditState.get().is_stale
    monkeypatch.setattr(service, "run_audits", rules)
    run_and_store(notify=False)
    assert not AuditState.get().is_stale
