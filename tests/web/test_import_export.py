"""CSV import and export: a dry run changes nothing, any bad row saves nothing, errors name the row."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from somevahti.web.registry.models import AccessGrant, Account, Person, Unit


def _upload(client, kind, text, dry_run=False, name="data.csv"):
    data = {"kind": kind, "file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("registry:import"), data)


def _rows(response):
    return {r["number"]: r for r in response.context["rows"]}


PEOPLE_OK = (
    "email,name,title,unit,phone,supervisor,start_date,end_date,status\n"
    "aino.aalto@kirkkonummi.fi,Aino Aalto,suunnittelija,Matkailu,,,2020-01-01,,active\n"
    "eino.eskola@kirkkonummi.fi,Eino Eskola,neuvoja,Kirjasto,,,2021-03-01,,active\n"
)


def test_dry_run_shows_changes_and_saves_nothing(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(client, "people", PEOPLE_OK, dry_run=True)
    assert {r["kind"] for r in response.context["rows"]} == {"new"}
    assert not Person.objects.filter(email="aino.aalto@kirkkonummi.fi").exists()
    response = _upload(client, "people", PEOPLE_OK)
    assert Person.objects.get(email="aino.aalto@kirkkonummi.fi").unit == org.unit_a
    assert Person.objects.get(email="eino.eskola@kirkkonummi.fi").unit == org.unit_b


def test_one_bad_row_saves_nothing_and_names_the_row(org, login):
    client = login(org.users["communications_admin"])
    text = PEOPLE_OK + "veera.virta@kirkkonummi.fi,Veera Virta,,Matkailu,,,2024-05-01,2024-04-01,active\n"
    response = _upload(client, "people", text)
    assert response.context["form"].non_field_errors()
    rows = _rows(response)
    assert rows[3]["kind"] in ("invalid", "error")
    assert any("end" in m.lower() or "pääty" in m.lower() for m in rows[3]["messages"])
    assert not Person.objects.filter(
        email__in=["aino.aalto@kirkkonummi.fi", "veera.virta@kirkkonummi.fi"]
    ).exists()


def test_unknown_unit_and_bad_date_are_row_errors(org, login):
    client = login(org.users["communications_admin"])
    text = (
        "email,name,unit,start_date\n"
        "a.b@kirkkonummi.fi,A B,Ei ole olemassa,2020-01-01\n"
        "c.d@kirkkonummi.fi,C D,Matkailu,31.02.2020\n"
    )
    response = _upload(client, "people", text)
    rows = _rows(response)
    assert set(rows) == {1, 2} and all(r["kind"] in ("invalid", "error") for r in rows.values())
    assert not Person.objects.filter(email__in=["a.b@kirkkonummi.fi", "c.d@kirkkonummi.fi"]).exists()


def test_duplicate_handles_in_the_file_are_refused(org, login):
    client = login(org.users["communications_admin"])
    text = (
        "platform,handle,unit,kind,status\n"
        "instagram,visitkyrkslatt,Matkailu,shared,active\n"
        "instagram,VisitKyrkslatt,Matkailu,shared,active\n"
    )
    response = _upload(client, "accounts", text)
    rows = _rows(response)
    assert (
        rows[2]["kind"] in ("invalid", "error")
        and "twice" in " ".join(rows[2]["messages"]).lower()
        or "kahdesti" in " ".join(rows[2]["messages"]).lower()
    )
    assert not Account.objects.filter(handle__iexact="visitkyrkslatt").exists()


def test_future_creation_date_is_refused(org, login):
    client = login(org.users["communications_admin"])
    text = "platform,handle,unit,kind,status,created\ninstagram,uusi,Matkailu,shared,active,2999-01-01\n"
    response = _upload(client, "accounts", text)
    assert _rows(response)[1]["kind"] == "invalid"
    assert not Account.objects.filter(handle="uusi").exists()


def test_grants_import_by_account_and_email(org, login):
    client = login(org.users["communications_admin"])
    text = (
        "account,person,role,granted,revoked\n"
        "facebook:KirkkonummiLib,oskar.nyberg@kirkkonummi.fi,admin,2024-01-01,\n"
    )
    # Oskar already owns that account actively: a second active grant is refused.
    response = _upload(client, "grants", text)
    assert response.context["rows"][0]["kind"] in ("invalid", "error")
    text = (
        "account,person,role,granted,revoked\n"
        "facebook:KirkkonummiLib,author@kirkkonummi.fi,editor,2024-01-01,\n"
        "facebook:nosuch,author@kirkkonummi.fi,editor,2024-01-01,\n"
    )
    response = _upload(client, "grants", text)
    assert _rows(response)[2]["kind"] in ("invalid", "error")
    assert not AccessGrant.objects.filter(person=org.people["author"], account=org.account_b).exists()


def test_malformed_csv_and_missing_columns_get_a_clear_message(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(client, "units", "nimi;verkkosivu\nA;B\n")
    assert "name" in " ".join(response.context["form"].errors["file"])
    response = client.post(
        reverse("registry:import"),
        {"kind": "units", "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")},
    )
    assert response.context["form"].errors["file"]
    assert Unit.objects.count() == 2


@override_settings(IMPORT_MAX_BYTES=100)
def test_oversized_upload_is_refused_on_the_form(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(client, "units", "name,parent,website\n" + "Yksikkö,,\n" * 50)
    assert "limit" in " ".join(response.context["form"].errors["file"]) or "raja" in " ".join(
        response.context["form"].errors["file"]
    )
    assert Unit.objects.count() == 2


def test_export_then_import_round_trip_changes_nothing(org, login):
    client = login(org.users["communications_admin"])
    for kind in ("units", "people", "accounts", "grants"):
        csv_text = client.get(reverse("registry:export", args=[kind])).content.decode()
        assert csv_text.splitlines()[0]
        response = _upload(client, kind, csv_text, dry_run=True)
        kinds = {r["kind"] for r in response.context["rows"]}
        assert kinds <= {"update"} or not kinds, (kind, response.context["rows"][:3])
