"""Signed replies (KIRK-5.17): a reply from an organisation account names the person answering."""

import pytest

from tests.helpers import checker_for, doc


def rule(**params):
    return {
        "id": "sig",
        "family": "signature",
        "severity": "warning",
        "params": params,
        "message": {"fi": "Allekirjoita", "sv": "Underteckna", "en": "Sign"},
    }


@pytest.fixture
def sig(tmp_path):
    directory = tmp_path / "staff.csv"
    directory.write_text(
        "name,title,email,phone\n"
        "Siobhan Kelly,kirjastonhoitaja,siobhan.kelly@kirkkonummi.fi,\n"
        "Kirkkonummen Kirjasto,,kirjasto@kirkkonummi.fi,09 2967 1111\n",
        encoding="utf-8",
    )
    return checker_for(tmp_path, [rule()], directory=str(directory), languages={"allowed": ["fi", "sv"]})


def reply(checker, text, **fields):
    fields = {"kind": "reply", "account_kind": "shared", **fields}
    return checker.check(doc(text=text, **fields))


SIGNED_FI = [
    "Kiitos palautteesta, korjaamme asian. /Maija Virtanen, kuntatekniikka",
    "Kirjasto on auki klo 10–18.\nt. Maija",
    "Asia on työn alla.\nTerveisin Maija Virtanen",
    "Kiitos!\nYstävällisin terveisin, Maija / kirjasto",
    "Kiitos vinkistä! -Maija",
    "Kiitos kysymyksestä!\nMaija Virtanen, kuntatekniikka",
    "Kiitos!\nTerveisin\nMaija Virtanen\nkuntatekniikka",
    "Korjaamme reiän viikolla 23. T. Pekka kuntatekniikasta 🙂",
    "Kiitos! t. Ahmed",  # a name Voikko knows beyond Finnish ones
    "Kiitos!\nSiobhan Kelly, kirjasto",  # a foreign name the directory knows
    "Kiitos tiedosta! - Päivi V., kirjasto",
    "Kiitos! ^Mari",
]
SIGNED_SV = [
    "Tack för frågan! //Anna",
    "Vi återkommer.\nHälsningar Anna, kundtjänst",
    "Vi tittar på saken. Mvh Anna Svensson",
    "Tack!\nVänliga hälsningar Erik",
    "Tack för tipset! Hälsningar Siobhan",  # unknown to both dictionaries, after a closing word
    "Tack! /Anna-Karin, biblioteket",
]


@pytest.mark.parametrize("text", SIGNED_FI)
def test_finnish_replies_signed_by_a_person_pass(sig, text):
    assert reply(sig, {"fi": text}) == []


@pytest.mark.parametrize("text", SIGNED_SV)
def test_swedish_replies_signed_by_a_person_pass(sig, text):
    assert reply(sig, {"sv": text}) == []


UNSIGNED = [
    "Kiitos palautteesta!",
    "Kiitos palautteesta! Terveisin kunnanvirasto",
    "Kiitos! /kirjasto",
    "Kiitos! t. kirjasto",
    "Kiitos! Terveisin Kirjasto",
    "Kiitos! t. Kirkkonummen kunta",
    "Kiitos!\nKirkkonummen Kirjasto",  # a unit in the directory is still not a person
    "Kiitos! /MV",  # initials alone
    "Lisätietoja antaa Maija Virtanen.",
    "Hei Maija!\nKiitos palautteesta, korjaamme asian.",
    "Kiitos!\nAnna palautetta osoitteessa kirkkonummi.fi/palaute",
    "Lue lisää kirkkonummi.fi/Uutiset",
    "Kiitos! - Kela",
    "Tack! Hälsningar kommunen",
    "Tack! Hälsningar Kommunen",
    "Tack! Hälsningar Kundtjänst",
]


@pytest.mark.parametrize("text", UNSIGNED)
def test_replies_without_a_persons_name_at_the_end_are_reported(sig, text):
    found = reply(sig, {"fi": text})
    assert [(f.field, f.span) for f in found] == [("text.fi", None)]


def test_the_suggestion_follows_the_language_of_the_reply(sig):
    assert [f.suggestion for f in reply(sig, {"fi": "Kiitos!"})] == ["t. <etunimi>, <yksikkö>"]
    found = reply(sig, {"sv": "Tack för frågan!"})
    assert [(f.suggestion, f.message) for f in found] == [("Hälsningar <förnamn>, <enhet>", "Underteckna")]


def test_a_plain_text_reply_is_read_in_its_detected_language(sig):
    found = reply(sig, "Tack för frågan, vi ser över saken och återkommer så snart vi kan.")
    assert [f.suggestion for f in found] == ["Hälsningar <förnamn>, <enhet>"]


def test_a_name_followed_by_a_whole_sentence_does_not_sign_the_end(sig):
    text = "Kiitos! -Maija kertoikin jo, että kirjasto on kiinni juhannuksena ja avautuu taas maanantaina."
    assert len(reply(sig, {"fi": text})) == 1
    assert reply(sig, {"fi": "Kiitos! -Maija, kirjasto\nPS. Avaamme taas maanantaina."}) == [], (
        "a PS after it"
    )


def test_only_replies_from_organisation_accounts_are_checked(sig):
    assert reply(sig, {"fi": "Kiitos!"}, account_kind="expert") == []
    assert reply(sig, {"fi": "Kiitos!"}, account_kind="personal") == []
    assert sig.check(doc(kind="post", account_kind="shared", text={"fi": "Kirjasto on auki."})) == []
    assert sig.check(doc(kind="comment", account_kind="shared", text={"fi": "Kiitos!"})) == []


def test_min_words_exempts_short_acknowledgements(tmp_path):
    checker = checker_for(tmp_path, [rule(min_words=4)])
    assert reply(checker, {"fi": "Kiitos paljon! 👍"}) == []
    assert len(reply(checker, {"fi": "Kiitos, korjaamme asian huomenna."})) == 1
