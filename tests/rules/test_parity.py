"""Bilingual parity (KIRK-5.3): the language versions carry the same dates, times, numbers, links, e-mails."""

import pytest

from tests.helpers import checker_for, doc

KINDS = ("dates", "times", "numbers", "urls", "emails")
KIRKKONUMMI = {"name": "Kirkkonummen kunta", "web_domains": ["kirkkonummi.fi", "kyrkslatt.fi"]}


def rule(**params):
    return {
        "id": "parity",
        "family": "parity",
        "params": params,
        "messages": {k: dict.fromkeys(("fi", "sv", "en"), f"{k}|{{item}}|{{lang}}|{{other}}") for k in KINDS},
    }


@pytest.fixture
def parity(tmp_path):
    return checker_for(tmp_path, [rule()], organisation=KIRKKONUMMI)


def hits(checker, **fields):
    return [(f.field, f.span, *f.message.split("|")) for f in checker.check(doc(**fields))]


FI = (
    "Kirjaston satutunti ti 12.5. klo 18–19. Liput 5,50 € tai 1 000 euroa vuodessa. "
    "Ilmoittaudu: kirjasto@kirkkonummi.fi tai https://www.kirkkonummi.fi/satutunti"
)
SV = (
    "Bibliotekets sagostund tis 12.5 kl. 18–19. Biljetter 5,50 euro eller 1000 € per år. "
    "Anmälan: Kirjasto@Kirkkonummi.fi eller https://kyrkslatt.fi/sagostund"
)


def test_the_same_facts_in_both_notations_are_parity(parity):
    assert hits(parity, text={"fi": FI, "sv": SV}) == []


@pytest.mark.parametrize(
    "fi, sv",
    [
        ("Näyttely 12.5.–16.5. kirjastossa.", "Utställning 12.5–16.5 i biblioteket."),
        ("Näyttely 12.–16.5. kirjastossa.", "Utställning 12–16 maj i biblioteket."),
        ("Kokous alkaa klo 18.", "Mötet börjar kl. 18."),
        ("Kokous alkaa klo 18.30.", "Mötet börjar kl 18:30."),
        ("Kokous alkaa klo 18.30.", "Mötet börjar kl. 18.30."),
        ("Juhla on 12. toukokuuta.", "Festen är den 12 maj."),
        ("Avoinna ma 12.5.", "Öppet mån 12.5."),
        ("Palkinto on 1 000 euroa.", "Priset är 1000 €."),
        ("Lippu maksaa 5,50 €.", "Biljetten kostar 5,50 euro."),
        ("Avoinna ma–pe 9–15.", "Öppet mån–fre kl. 9–15."),
        ("Uusi koulu valmistuu vuonna 2026.", "Den nya skolan blir klar år 2026."),
    ],
)
def test_notation_differences_are_not_findings(parity, fi, sv):
    assert hits(parity, text={"fi": fi, "sv": sv}) == []


@pytest.mark.parametrize(
    "fi, sv, kind, item",
    [
        ("Näyttely 12.5.–16.5. kirjastossa.", "Utställning 12.5–17.5 i biblioteket.", "dates", "16.5."),
        ("Juhla on 12. toukokuuta.", "Festen är den 13 maj.", "dates", "12. toukokuuta"),
        ("Kokous alkaa klo 18.", "Mötet börjar kl. 19.", "times", "klo 18"),
        ("Kokous alkaa klo 18.30.", "Mötet börjar kl. 18.", "times", "klo 18.30"),
        ("Kesätöihin palkataan 120 nuorta.", "I sommar anställs 100 unga.", "numbers", "120"),
        (
            "Lue lisää: https://example.org/ohjelma",
            "Läs mer i programmet.",
            "urls",
            "https://example.org/ohjelma",
        ),
        (
            "Kysy: kirjasto@kirkkonummi.fi",
            "Fråga: bibliotek@kirkkonummi.fi",
            "emails",
            "kirjasto@kirkkonummi.fi",
        ),
    ],
)
def test_a_fact_missing_from_the_swedish_version_is_found(parity, fi, sv, kind, item):
    found = hits(parity, text={"fi": fi, "sv": sv})
    start = fi.index(item)
    assert ("text.fi", (start, start + len(item)), kind, item, "sv", "fi") in found


def test_each_direction_is_reported_where_the_fact_is(parity):
    found = hits(parity, text={"fi": "Kokous on 14.12.", "sv": "Mötet är den 15.12."})
    assert [(f[0], f[2], f[3], f[4]) for f in found] == [
        ("text.fi", "dates", "14.12.", "sv"),
        ("text.sv", "dates", "15.12.", "fi"),
    ]


def test_links_to_the_own_website_match_across_language_sites(parity):
    fi = "Lue lisää: https://www.kirkkonummi.fi/kesatyot"
    sv = "Läs mer: https://www.kyrkslatt.fi/sommarjobb"
    assert hits(parity, text={"fi": fi, "sv": sv}) == []
    assert [h[2] for h in hits(parity, text={"fi": fi, "sv": "Läs mer på vår webbplats."})] == ["urls"]


def test_own_site_links_can_be_compared_exactly(tmp_path):
    strict = checker_for(tmp_path, [rule(own_site_links=False)], organisation=KIRKKONUMMI)
    found = hits(
        strict,
        text={
            "fi": "Lue lisää: https://www.kirkkonummi.fi/kesatyot",
            "sv": "Läs mer: https://www.kyrkslatt.fi/sommarjobb",
        },
    )
    assert sorted(h[2] for h in found) == ["urls", "urls"]


def test_a_language_segment_in_a_link_is_not_a_different_link(parity):
    assert (
        hits(
            parity,
            text={
                "fi": "Ohjelma: https://example.org/fi/ohjelma",
                "sv": "Program: https://example.org/sv/ohjelma",
            },
        )
        == []
    )


def test_kinds_param_limits_what_is_compared(tmp_path):
    only_dates = checker_for(tmp_path, [rule(kinds=["dates"])], organisation=KIRKKONUMMI)
    assert hits(only_dates, text={"fi": "Kokous alkaa klo 18.", "sv": "Mötet börjar kl. 19."}) == []
    assert hits(only_dates, text={"fi": "Kokous 14.12.", "sv": "Mötet 15.12."}) != []


def test_one_version_is_not_compared(parity):
    assert hits(parity, text={"fi": "Kokous alkaa klo 18 ja maksaa 5 €."}) == []
    assert hits(parity, text="Kokous alkaa klo 18 ja maksaa 5 €.") == []


def test_a_bilingual_single_text_is_compared_paragraph_by_paragraph(parity):
    text = (
        "Kirjaston satutunti on tiistaina 12.5. klo 18. Tervetuloa koko perheen voimin!\n\n"
        "Bibliotekets sagostund är på tisdag den 13 maj kl. 18. Välkommen med hela familjen!"
    )
    found = hits(parity, text=text)
    assert [(h[0], h[2], h[3], h[4]) for h in found] == [
        ("text", "dates", "12.5.", "sv"),
        ("text", "dates", "13 maj", "fi"),
    ]
    start = text.index("13 maj")
    assert found[1][1] == (start, start + len("13 maj"))


def test_a_bilingual_single_text_in_parity_is_clean(parity):
    text = (
        "Kirjaston satutunti on tiistaina 12.5. klo 18. Tervetuloa koko perheen voimin!\n\n"
        "Bibliotekets sagostund är på tisdag den 12 maj kl. 18. Välkommen med hela familjen!"
    )
    assert hits(parity, text=text) == []


def test_three_versions_each_missing_fact_names_the_version_that_lacks_it(parity):
    found = hits(
        parity,
        text={
            "fi": "Kokous alkaa klo 18.",
            "sv": "Mötet börjar kl. 18.",
            "en": "The meeting starts at 7 p.m.",
        },
    )
    assert sorted(found) == [
        ("text.en", (22, 28), "times", "7 p.m.", "fi", "en"),
        ("text.en", (22, 28), "times", "7 p.m.", "sv", "en"),
        ("text.fi", (13, 19), "times", "klo 18", "en", "fi"),
        ("text.sv", (13, 19), "times", "kl. 18", "en", "sv"),
    ]
