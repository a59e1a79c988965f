"""Disclosure: affiliation (KELA-1.7), own-opinion disclaimer (SF-1), sponsored content (SF-2)."""

import pytest

from tests.helpers import checker_for, doc

TEMPLATE = "{org}|{text}"


def rule(mode):
    return {
        "id": mode,
        "family": "disclosure",
        "severity": "warning",
        "params": {"mode": mode},
        "message": {"fi": TEMPLATE, "sv": TEMPLATE, "en": TEMPLATE},
    }


@pytest.fixture(scope="module")
def kela(tmp_path_factory):
    org = {"name": "Kela", "names": ["Kansaneläkelaitos", "FPA"]}
    return checker_for(
        tmp_path_factory.mktemp("kela"), [rule("affiliation"), rule("sponsored")], organisation=org
    )


@pytest.fixture(scope="module")
def foretaget(tmp_path_factory):
    org = {"name": "FÖRETAGET", "email_domains": ["foretaget.se"]}
    return checker_for(
        tmp_path_factory.mktemp("sf"), [rule("own_opinion"), rule("sponsored")], organisation=org
    )


def hits(checker, text, lang="fi", account_kind="personal", **fields):
    d = doc(text={lang: text} if isinstance(text, str) else text, account_kind=account_kind, **fields)
    return [(f.rule, f.message) for f in checker.check(d)]


@pytest.mark.parametrize(
    ("text", "lang", "mention"),
    [
        ("Kelan uusi asumistukilaskuri on tosi kätevä!", "fi", "Kelan"),
        ("Kansaneläkelaitokselle tuli ennätysmäärä hakemuksia.", "fi", "Kansaneläkelaitokselle"),
        ("Kelassa on juuri nyt kiireistä.", "fi", "Kelassa"),
        ("Kelan asiakkaana suosittelen uutta laskuria.", "fi", "Kelan"),
        ("Kelan eläkkeensaajana olen tyytyväinen.", "fi", "Kelan"),
        ("Sain uuden Kela-kortin.", "fi", "Kela-kortin"),
        ("FPA har en ny tjänst för studerande.", "sv", "FPA"),
        ("Kela launched a new calculator.", "en", "Kela"),
        # someone else works there
        ("Siskoni on töissä Kelassa, ja hänestä laskuri on hyvä.", "fi", "Kelassa"),
        ("Min granne jobbade på FPA förr.", "sv", "FPA"),
    ],
)
def test_talking_about_the_employer_without_saying_you_work_there(kela, text, lang, mention):
    assert hits(kela, text, lang) == [("affiliation", f"Kela|{mention}")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Työskentelen Kelassa, ja Kelan uusi laskuri on kätevä.", "fi"),
        ("Olen kelalainen. Kelan uusi laskuri on kätevä.", "fi"),
        ("Meillä Kelassa on kiireinen syksy.", "fi"),
        ("Kelan asiantuntijana suosittelen laskuria.", "fi"),
        ("Kelan etuuskäsittelijänä suosittelen laskuria.", "fi"),
        ("Kansaneläkelaitoksen juristina kerron, miten laskuri toimii.", "fi"),
        ("Työnantajani Kela julkaisi laskurin.", "fi"),
        ("Jag jobbar på FPA och vår nya tjänst är bra.", "sv"),
        ("Som anställd vid FPA tipsar jag om tjänsten.", "sv"),
        ("I work at Kela and the calculator is handy.", "en"),
        # the statement in the other ways people say it: past and present, a workplace in between
        ("Olen ollut Kelan yhteyskeskuksessa töissä viisi vuotta, ja uusi laskuri on kätevä.", "fi"),
        ("Olen Kelassa töissä, joten suosittelen laskuria.", "fi"),
        ("Kelassa pitkään työskennelleenä suosittelen laskuria.", "fi"),
        ("Kelalla töissä olevana kerron, miten laskuri toimii.", "fi"),
        ("Jag har jobbat på FPA i tio år, och den nya tjänsten är bra.", "sv"),
        ("I've worked at Kela for years and the calculator is handy.", "en"),
        ("Having worked at Kela for a decade, I can say the calculator is handy.", "en"),
    ],
)
def test_an_affiliation_statement_satisfies_it(kela, text, lang):
    assert hits(kela, text, lang) == []


def test_the_statement_may_be_in_another_language_version(kela):
    text = {"fi": "Kelan uusi laskuri on kätevä.", "sv": "Jag jobbar på FPA. FPA:s nya kalkylator är bra."}
    assert hits(kela, text) == []


def test_posts_that_do_not_mention_the_employer_need_nothing(kela):
    assert hits(kela, "Kävin tänään lenkillä ja kelasin videon alkuun.") == []


def test_shared_accounts_and_comments_are_not_asked_for_affiliation(kela):
    assert hits(kela, "Kelan uusi laskuri on kätevä.", account_kind="shared") == []
    assert hits(kela, "Kelan uusi laskuri on kätevä.", kind="comment") == []
    assert hits(kela, "Kelan uusi laskuri on kätevä.", account_kind="expert") == [
        ("affiliation", "Kela|Kelan")
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("FÖRETAGET lanserar en ny tjänst i höst.", "sv"),
        ("FÖRETAGETs nya kontor är fint.", "sv"),
        ("FÖRETAGET on hyvä työpaikka.", "fi"),
    ],
)
def test_writing_about_the_company_without_the_disclaimer(foretaget, text, lang):
    assert [r for r, _ in hits(foretaget, text, lang)] == ["own_opinion"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("FÖRETAGET lanserar en ny tjänst. Åsikterna är mina egna.", "sv"),
        ("FÖRETAGET lanserar en ny tjänst (egna åsikter).", "sv"),
        ("Mina personliga åsikter om FÖRETAGET: bra!", "sv"),
        ("FÖRETAGET on hyvä työpaikka. Omat mielipiteeni.", "fi"),
        ("FÖRETAGET is a great place. Views are my own.", "en"),
        (
            "Jag jobbar på FÖRETAGET. De åsikter och synpunkter som redovisas här är mina egna "
            "och delas inte nödvändigtvis av min arbetsgivare.",
            "sv",
        ),
        ("FÖRETAGET växer. Åsikterna är inte nödvändigtvis min arbetsgivares.", "sv"),
    ],
)
def test_the_own_opinion_disclaimer_satisfies_it(foretaget, text, lang):
    assert hits(foretaget, text, lang) == []


def test_own_opinion_is_not_asked_on_shared_accounts(foretaget):
    assert hits(foretaget, "FÖRETAGET lanserar en ny tjänst.", "sv", account_kind="shared") == []


def test_a_sponsored_post_needs_a_visible_disclosure(foretaget, kela):
    assert hits(foretaget, "Testade nya skor från Löparbutiken.", "sv", sponsored=True) == [
        ("sponsored", "FÖRETAGET|")
    ]
    assert hits(kela, "Testasin uudet kengät.", "fi", sponsored=True) == [("sponsored", "Kela|")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Testade nya skor #reklam", "sv"),
        ("Testade nya skor i samarbete med Löparbutiken.", "sv"),
        ("Annons: nya skor från Löparbutiken.", "sv"),
        ("Testasin uudet kengät #mainos", "fi"),
        ("Kaupallisessa yhteistyössä Juoksukaupan kanssa testasin kengät.", "fi"),
        ("Testasin kengät #yhteistyössä @juoksukauppa", "fi"),
        ("Tried the new shoes #ad", "en"),
    ],
)
def test_a_visible_disclosure_satisfies_a_sponsored_post(foretaget, text, lang):
    assert hits(foretaget, text, lang, sponsored=True) == []


@pytest.mark.parametrize(
    ("text", "lang", "hint"),
    [
        ("Koodilla ANNA20 saat alennusta kengistä!", "fi", "Koodilla ANNA20"),
        ("Sain kengät testattavaksi ja ne ovat upeat.", "fi", "Sain kengät testattavaksi"),
        ("Använd rabattkoden ANNA20 i butiken!", "sv", "rabattkoden"),
        ("Use my discount code ANNA20!", "en", "discount code"),
    ],
)
def test_text_that_reveals_a_paid_collaboration_needs_a_disclosure(kela, text, lang, hint):
    assert hits(kela, text, lang, account_kind="shared") == [("sponsored", f"Kela|{hint}")]
    assert hits(kela, text + " #mainos #reklam #ad", lang, account_kind="shared") == []


def test_ordinary_posts_are_not_taken_for_paid_ones(kela):
    for text in [
        "Kirjasto on suljettu juhannuksena.",
        "Uusi mainoskampanja alkaa.",
        "Tapahtuma järjestetään yhteistyössä seurakunnan kanssa.",
    ]:
        assert hits(kela, text, account_kind="shared") == []
