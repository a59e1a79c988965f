"""Dates, times, numbers, URLs and e-mail addresses: fi/sv/en notation to one canonical value."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somevahti.text.numbers import extract, missing, normalise_url


def values(text, kind):
    return [v for item in extract(text) if item.kind == kind for v in item.values]


def kinds(text):
    return [item.kind for item in extract(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ma 12.5.", [(12, 5, None)]),
        ("mån 12.5", [(12, 5, None)]),
        ("12.5.–16.5.", [(12, 5, None), (16, 5, None)]),
        ("12.5–16.5", [(12, 5, None), (16, 5, None)]),
        ("12.–16.5.", [(12, 5, None), (16, 5, None)]),
        ("12–16.5", [(12, 5, None), (16, 5, None)]),
        ("12.–16.5.2026", [(12, 5, 2026), (16, 5, 2026)]),
        ("12. toukokuuta", [(12, 5, None)]),
        ("12. toukokuuta 2026", [(12, 5, 2026)]),
        ("12 maj", [(12, 5, None)]),
        ("den 12–16 maj 2026", [(12, 5, 2026), (16, 5, 2026)]),
        ("12.–16. kesäkuuta", [(12, 6, None), (16, 6, None)]),
        ("May 12th, 2026", [(12, 5, 2026)]),
        ("on 3 March", [(3, 3, None)]),
        ("2026-05-12", [(12, 5, 2026)]),
        ("la 16.5. ja su 17.5.", [(16, 5, None), (17, 5, None)]),
        ("16. ja 17.5.", [(16, 5, None), (17, 5, None)]),
        ("12/5", [(12, 5, None)]),
    ],
)
def test_dates_in_every_notation(text, expected):
    assert values(text, "dates") == expected


@pytest.mark.parametrize(
    "text",
    [
        "1.–3. luokkalaiset",  # school years, no month
        "Hinta 5.50 €",  # a price with a decimal point
        "Matka 1.5 km",
        "Vuonna 2026",
        "auki 24/7",
        "klo 18.30",
        "13.13.",
    ],
)
def test_near_misses_are_not_dates(text):
    assert "dates" not in kinds(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("klo 18", [18 * 60]),
        ("kl. 18", [18 * 60]),
        ("kl 18", [18 * 60]),
        ("kello 18.30", [18 * 60 + 30]),
        ("kl. 18.30", [18 * 60 + 30]),
        ("kl 18:30", [18 * 60 + 30]),
        ("klockan 18–20", [18 * 60, 20 * 60]),
        ("klo 18.00–20.00", [18 * 60, 20 * 60]),
        ("klo 9-11.30", [9 * 60, 11 * 60 + 30]),
        ("klo 10–12 ja 14–16", [600, 720, 840, 960]),
        ("kl. 10–12 och 14–16", [600, 720, 840, 960]),
        ("alkaen 18.00", [18 * 60]),
        ("from 18:30", [18 * 60 + 30]),
        ("at 6.30 pm", [18 * 60 + 30]),
        ("6–8 pm", [18 * 60, 20 * 60]),
    ],
)
def test_times_in_every_notation(text, expected):
    assert values(text, "times") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 000 euroa", [Decimal(1000)]),
        ("1\u00a0000 euro", [Decimal(1000)]),
        ("1000 €", [Decimal(1000)]),
        ("5,50 €", [Decimal("5.5")]),
        ("5,50 euro", [Decimal("5.5")]),
        ("€5.50", [Decimal("5.5")]),
        ("50 %", [Decimal(50)]),
        ("120 nuorta", [Decimal(120)]),
        ("7–12-vuotiaille", [Decimal(7), Decimal(12)]),
        ("vuonna 2026", [Decimal(2026)]),
        ("Matka 1,5 km", [Decimal("1.5")]),
        ("12:lle osallistujalle", [Decimal(12)]),
    ],
)
def test_numbers(text, expected):
    assert values(text, "numbers") == expected


def test_phone_numbers_are_one_number_whatever_the_prefix():
    assert values("Soita 040 123 4567", "numbers") == values("Ring +358 40 123 4567", "numbers")
    assert values("09 2967 1000", "numbers") == [("phone", "0929671000")]


@pytest.mark.parametrize(
    "text", ["H1N1", "5G-verkko", "#Kirkkonummi2026", "@kunta2026", "https://x.fi/2026/5"]
)
def test_numbers_inside_words_tags_and_links_are_not_numbers(text):
    assert "numbers" not in kinds(text)


def test_urls_and_emails_are_normalised():
    assert normalise_url("https://www.kirkkonummi.fi/sv/evenemang/") == "kirkkonummi.fi/evenemang"
    assert normalise_url("kirkkonummi.fi/evenemang") == "kirkkonummi.fi/evenemang"
    assert normalise_url("https://example.fi/haku?lang=sv&q=1") == "example.fi/haku?q=1"
    assert normalise_url("https://example.fi/a") != normalise_url("https://example.fi/b")
    assert values("Info@Kirkkonummi.FI", "emails") == ["info@kirkkonummi.fi"]


@pytest.mark.parametrize(
    "fi, sv",
    [
        ("12.5.–16.5.", "12.5–16.5"),
        ("12.–16.5.", "12–16 maj"),
        ("klo 18", "kl. 18"),
        ("klo 18.30", "kl 18:30"),
        ("12. toukokuuta", "12 maj"),
        ("ma 12.5.", "mån 12.5"),
        ("1 000 euroa", "1000 €"),
        ("5,50 €", "5,50 euro"),
        ("vuonna 2026", "år 2026"),
        ("ma–pe 9–15", "mån–fre kl. 9–15"),
        ("la 16.5. ja su 17.5.", "16–17 maj"),
        ("https://www.kirkkonummi.fi/tapahtumat/", "kirkkonummi.fi/tapahtumat"),
    ],
)
def test_notation_pairs_carry_the_same_facts(fi, sv):
    assert missing(extract(fi), extract(sv)) == []
    assert missing(extract(sv), extract(fi)) == []


@pytest.mark.parametrize(
    "fi, sv, lost",
    [
        ("12.5.–16.5.", "12.5–17.5", "16.5."),
        ("klo 18", "kl. 19", "klo 18"),
        ("klo 18.30", "kl. 18", "klo 18.30"),
        ("250 euroa", "200 euro", "250"),
        ("12.5.2026", "12.5.2025", "12.5.2026"),
        ("info@kunta.fi", "kontakt@kunta.fi", "info@kunta.fi"),
        ("https://example.fi/a", "https://example.fi/b", "https://example.fi/a"),
    ],
)
def test_a_different_fact_is_missing(fi, sv, lost):
    assert [i.text for i in missing(extract(fi), extract(sv))] == [lost]


def test_a_year_said_alone_is_carried_by_a_date_with_that_year():
    assert missing(extract("vuonna 2026"), extract("den 12 maj 2026")) == []


def test_missing_respects_the_kinds_asked_for():
    fi, sv = extract("klo 18, 250 euroa"), extract("kl. 19, 200 euro")
    assert [i.kind for i in missing(fi, sv, kinds=("numbers",))] == ["numbers"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789 .,:-–/€%klotjamajkl.@#hpswx\n")), max_size=80)
    | st.text(max_size=80)
)
def test_extraction_never_raises_and_points_at_what_it_found(text):
    items = extract(text)
    for item in items:
        assert item.kind in ("dates", "times", "numbers", "urls", "emails")
        assert item.text == text[item.start : item.end].strip()
        assert item.values
    assert missing(items, items) == []
