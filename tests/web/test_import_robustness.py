"""Registry CSV imports that used to pass silently or wrongly: an unclosed quote, Finnish dates,
a file with only the header row, language codes."""

from __future__ import annotations

from datetime import date

from somevahti.web.registry.models import Account, Person, Unit

from .test_import_export import _rows, _upload


def test_unclosed_quote_is_an_error_not_one_long_name(org, login):
    client = login(org.users["communications_admin"])
    text = 'name,website\n"Nuorisopalvelut,https://a.example\nLiikunta,https://b.example\n'
    response = _upload(client, "units", text)
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert "quote" in errors or "lainausmerk" in errors or "citat" in errors
    assert Unit.objects.count() == 2


def test_finnish_dates_are_accepted_as_on_the_forms(org, login):
    client = login(org.users["communications_admin"])
    text = (
        "email,name,unit,start_date,end_date\n"
        "aino.aalto@kirkkonummi.fi,Aino Aalto,Matkailu,1.3.2020,31.12.2025\n"
    )
    _upload(client, "people", text)
    person = Person.objects.get(email="aino.aalto@kirkkonummi.fi")
    assert (person.start_date, person.end_date) == (date(2020, 3, 1), date(2025, 12, 31))


def test_impossible_finnish_date_is_a_row_error(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(
        client, "people", "email,name,unit,start_date\nc.d@kirkkonummi.fi,C D,Matkailu,31.02.2020\n"
    )
    assert _rows(response)[1]["kind"] in ("invalid", "error")
    assert not Person.objects.filter(email="c.d@kirkkonummi.fi").exists()


def test_header_only_file_says_so(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(client, "units", "name,website\n")
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert errors and ("header" in errors or "otsikkorivi" in errors or "rubrikrad" in errors)


def test_unknown_language_code_is_a_row_error(org, login):
    client = login(org.users["communications_admin"])
    text = 'platform,handle,unit,languages\ninstagram,kirkkonummi_kirjasto,Kirjasto,"fi,suomi"\n'
    response = _upload(client, "accounts", text)
    row = _rows(response)[1]
    assert row["kind"] in ("invalid", "error") and any("suomi" in m for m in row["messages"])
    assert not Account.objects.filter(handle="kirkkonummi_kirjasto").exists()
