"""Data collection (RANUA-S.10): no registrations or personal data through comments or messages."""

import pytest

from tests.helpers import checker_for, doc

TEMPLATE = "{text}"


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    rule = {
        "id": "collect",
        "family": "data_collection",
        "severity": "error",
        "message": {"fi": "personal " + TEMPLATE, "sv": "personal " + TEMPLATE, "en": "personal " + TEMPLATE},
        "messages": {
            "registration": {
                "fi": "registration " + TEMPLATE,
                "sv": "registration " + TEMPLATE,
                "en": "registration " + TEMPLATE,
            }
        },
    }
    return checker_for(tmp_path_factory.mktemp("dc"), [rule])


def hits(checker, text, lang="fi", **fields):
    d = doc(text={lang: text}, **fields)
    return [(f.message.split()[0], text[f.span[0] : f.span[1]]) for f in checker.check(d)]


@pytest.mark.parametrize(
    ("text", "lang", "variant", "words"),
    [
        ("Ilmoittaudu kommentoimalla!", "fi", "registration", "Ilmoittaudu kommentoimalla"),
        (
            "Ilmoittautumiset tämän päivityksen kommentteihin 5.5. mennessä.",
            "fi",
            "registration",
            "Ilmoittautumiset tämän päivityksen kommentteihin",
        ),
        ("Varaa paikkasi yksityisviestillä.", "fi", "registration", "Varaa paikkasi yksityisviestillä"),
        (
            "Ilmoittaudu YV:llä tai Messengerissä.",
            "fi",
            "registration",
            "Ilmoittaudu YV:llä tai Messengerissä",
        ),
        (
            "Kerro kommenteissa nimesi ja puhelinnumerosi.",
            "fi",
            "personal",
            "kommenteissa nimesi ja puhelinnumerosi",
        ),
        (
            "Laita yksityisviestillä henkilötunnuksesi.",
            "fi",
            "personal",
            "yksityisviestillä henkilötunnuksesi",
        ),
        ("Anmäl dig i kommentarerna!", "sv", "registration", "Anmäl dig i kommentarerna"),
        (
            "Anmälningar tas emot i kommentarsfältet.",
            "sv",
            "registration",
            "Anmälningar tas emot i kommentarsfältet",
        ),
        (
            "Skicka ditt personnummer i ett privat meddelande.",
            "sv",
            "personal",
            "ditt personnummer i ett privat meddelande",
        ),
        (
            "Skriv ditt namn och din adress i en kommentar.",
            "sv",
            "personal",
            "ditt namn och din adress i en kommentar",
        ),
        (
            "Ilmoita kommentilla, jos tulet, niin tiedämme, montako makkaraa ostetaan.",
            "fi",
            "registration",
            "kommentilla, jos tulet",
        ),
        ("Laittakaa kommenttiin lapsen nimi ja ikä.", "fi", "personal", "kommenttiin lapsen nimi ja ikä"),
        ("Skriv i kommentarerna om du kommer!", "sv", "registration", "kommentarerna om du kommer"),
        (
            "Skicka barnets namn och ålder i ett privat meddelande.",
            "sv",
            "personal",
            "barnets namn och ålder i ett privat meddelande",
        ),
        ("Sign up in the comments!", "en", "registration", "Sign up in the comments"),
        ("Send your phone number by DM.", "en", "personal", "your phone number by DM"),
    ],
)
def test_registrations_and_personal_data_through_comments_or_messages(checker, text, lang, variant, words):
    assert hits(checker, text, lang) == [(variant, words)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ilmoittaudu verkkosivuillamme osoitteessa ranua.fi/tapahtumat.", "fi"),
        ("Kommentoi ja kerro mielipiteesi!", "fi"),
        ("Ilmoittautuminen kunnan sivuilla 5.5. mennessä.", "fi"),
        ("Ilmoittautumisia ei oteta vastaan kommenteissa, vaan verkkosivuilla.", "fi"),
        ("Älä koskaan lähetä henkilötunnustasi yksityisviestillä.", "fi"),
        ("Kiitos kommenteista! Ilmoittaudu mukaan verkkosivuillamme.", "fi"),
        ("Kerro kommenteissa, mikä on lempikirjasi!", "fi"),
        ("Jos tulet paikalle, ilmoittaudu verkkosivuillamme.", "fi"),
        ("Kommentoi, mikä on lapsesi lempikirja!", "fi"),
        ("Anmälan via vår webbplats senast 5.5.", "sv"),
        ("Kommentera gärna och berätta vad du tycker!", "sv"),
        ("Skicka aldrig ditt personnummer i ett privat meddelande.", "sv"),
        ("Register on our website. Comments are welcome.", "en"),
    ],
)
def test_near_misses_are_not_data_collection(checker, text, lang):
    assert hits(checker, text, lang) == []


def test_the_message_quotes_the_sentence(checker):
    found = checker.check(doc(text={"fi": "Tervetuloa! Ilmoittaudu kommentoimalla. Nähdään!"}))
    assert [f.message for f in found] == ["registration Ilmoittaudu kommentoimalla."]


def test_comments_by_others_are_not_checked(checker):
    assert hits(checker, "Ilmoittaudun kommentoimalla!", kind="comment") == []
    assert hits(checker, "Ilmoittaudu kommentoimalla!", kind="reply") == [
        ("registration", "Ilmoittaudu kommentoimalla")
    ]
