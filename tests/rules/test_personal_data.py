"""personal_data: identity codes, phones, e-mails, IBANs, addresses and names of private persons.

Every entity has posts that must trigger it and near-misses that must not, in Finnish and Swedish;
what the organisation may publish (its domains, directory, names, contacts) stays unflagged.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from somevahti.check import Checker
from somevahti.policy.directory import Directory
from somevahti.policy.loader import load_pack
from tests.helpers import doc, pack_with_rules

ORG = {
    "name": "Kirkkonummen kunta",
    "names": ["Kirkkonummi", "Kyrkslätts kommun", "Kyrkslätt"],
    "email_domains": ["kirkkonummi.fi"],
    "web_domains": ["kirkkonummi.fi"],
    "website": "https://www.kirkkonummi.fi",
}


def make_directory() -> Directory:
    directory = Directory(email_domains={"kirkkonummi.fi"})
    directory.add_row(
        {"name": "Maija Virtanen", "title": "kirjastonhoitaja", "email": "", "phone": "040 765 4321"}
    )
    directory.add_row(
        {
            "name": "Anna Lindström",
            "title": "bibliotekarie",
            "email": "anna.lindstrom@gmail.com",
            "phone": "+358 40 765 4322",
        }
    )
    directory.add_row({"name": "Mari Keskitalo", "title": "vapaa-aikasihteeri", "email": "", "phone": ""})
    directory.add_row({"name": "Masalan kirjasto", "title": "", "email": "", "phone": "09 2967 1234"})
    return directory


def build(tmp_path, use_ner=True, params=None, **top) -> Checker:
    rule = {"id": "personal-data", "family": "personal_data", "params": params or {}}
    pack = load_pack(str(pack_with_rules(tmp_path, [rule], organisation=ORG, **top)))
    return Checker(pack, directory=make_directory(), use_ner=use_ner)


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return build(tmp_path_factory.mktemp("pd"))


def hits(checker, text, lang="fi", **fields):
    """(entity, text) for every finding, checking that the span points at exactly that text."""
    out = []
    d = doc(text={lang: text}, **fields)
    for f in checker.check(d):
        start, end = f.span
        flagged = f.message.split(" ", 1)[1]
        assert text[start:end] == flagged, f"span {f.span} is {text[start:end]!r}, message says {flagged!r}"
        out.append(flagged)
    return out


TRIGGERS = [
    # identity codes: Finnish (old and 2023 century signs) and Swedish, checksums valid
    ("fi", "Asiakkaan henkilötunnus on 131052-308T, korjatkaa tiedot.", "131052-308T"),
    ("fi", "Lapsen tunnus 150805B231V oli lomakkeessa.", "150805B231V"),
    ("fi", "Uusi hetu 010594Y123W näkyi kuvassa.", "010594Y123W"),
    ("sv", "Hans personnummer är 811228-9874, skriv inte ut det.", "811228-9874"),
    ("sv", "Personnummer 19811228-9874 syntes på blanketten.", "19811228-9874"),
    ("sv", "Mitt samordningsnummer är 811288-9871.", "811288-9871"),
    ("sv", "Samordningsnummer 8112889871 finns i ärendet.", "8112889871"),
    # phone numbers
    ("fi", "Soita Pekalle numeroon 040 123 4567 illalla.", "040 123 4567"),
    ("fi", "Naapurin numero on +358 40 1234567.", "+358 40 1234567"),
    ("fi", "Kotinumero 09 1234 5678 löytyy luettelosta.", "09 1234 5678"),
    ("sv", "Ring mig på 070-123 45 67 efter klockan fem.", "070-123 45 67"),
    # e-mail addresses of private persons
    ("fi", "Lähetä kuvat osoitteeseen matti.meikalainen@gmail.com kiitos.", "matti.meikalainen@gmail.com"),
    ("sv", "Mejla Erik på erik.nystrom@hotmail.se om du vill.", "erik.nystrom@hotmail.se"),
    # IBANs
    (
        "fi",
        "Maksa osuutesi tililleni FI49 5000 9420 0287 30 perjantaihin mennessä.",
        "FI49 5000 9420 0287 30",
    ),
    ("sv", "Betala till SE45 5000 0000 0583 9825 7466 senast fredag.", "SE45 5000 0000 0583 9825 7466"),
    # street addresses
    (
        "fi",
        "Hän asuu osoitteessa Kirkkotie 5 B 12, 02400 Kirkkonummi.",
        "Kirkkotie 5 B 12, 02400 Kirkkonummi",
    ),
    ("fi", "Löytötavarat voi hakea Rantakatu 3 as. 7 ovelta.", "Rantakatu 3 as. 7"),
    ("sv", "Han bor på Storgatan 12.", "Storgatan 12"),
    ("sv", "Adressen är Kyrkvägen 4 lgh 1101, 123 45 Stockholm.", "Kyrkvägen 4 lgh 1101, 123 45 Stockholm"),
    ("fi", "Kirkkonummen kunta tiedottaa, että hän asuu Kirkkotie 5 B 12.", "Kirkkotie 5 B 12"),
    # names of private persons
    ("fi", "Asiakkaamme Jukka Niemi soitti meille eilen valituksesta.", "Jukka Niemi"),
    ("fi", "Onnittelut Liisa Korhoselle kilpailun voitosta!", "Liisa Korhoselle"),
    ("fi", "Naapurimme Jukka Niemi jätti roskat kadulle.", "Jukka Niemi"),
    ("fi", "Kiitos Pentti Keskitalolle avusta!", "Pentti Keskitalolle"),
    ("fi", "Pentti Alatalon kirje tuli perille.", "Pentti Alatalon"),
    ("sv", "Tack till Erik Nyström som hittade plånboken.", "Erik Nyström"),
]


@pytest.mark.parametrize(("lang", "text", "expected"), TRIGGERS)
def test_personal_data_is_flagged_where_it_stands(checker, lang, text, expected):
    assert hits(checker, text, lang) == [expected]


def test_variant_and_data_name_the_entity(tmp_path):
    rule = {
        "id": "pd",
        "family": "personal_data",
        "messages": {
            e: {"fi": f"{e}: {{entity}} {{text}}", "sv": f"{e} {{text}}", "en": f"{e} {{text}}"}
            for e in ("identity_code", "phone", "email", "iban", "address", "person")
        },
    }
    pack = load_pack(str(pack_with_rules(tmp_path, [rule], organisation=ORG)))
    checker = Checker(pack, directory=make_directory())
    text = "Jukka Niemi (131052-308T) asuu Kirkkotie 5 B 12, puh. 040 123 4567, jukka.niemi@gmail.com."
    messages = [f.message for f in checker.check(doc(text={"fi": text}))]
    assert messages == [
        "person: person Jukka Niemi",
        "identity_code: identity_code 131052-308T",
        "address: address Kirkkotie 5 B 12",
        "phone: phone 040 123 4567",
        "email: email jukka.niemi@gmail.com",
    ]


NEAR_MISSES = [
    # identity codes with a wrong check character or an impossible date
    ("fi", "Esimerkkitunnus 131052-308U ei ole kenenkään."),
    ("fi", "Lomakkeen malli: 310252-308Y."),
    ("sv", "Numret 811228-9873 är ogiltigt."),
    ("fi", "Lomakkeen versio on 071152-4188, löydät sen verkosta."),
    # phone-like codes, dates, times, prices, counts
    ("fi", "Tuotekoodi 4006381333931 ja malli SKU 123-4567 ovat hyllyssä."),
    ("fi", "Aukioloajat 12.5.2025 klo 10–14 sekä 1.6.–31.8. arkisin."),
    ("fi", "Liput 12,50 €, viime vuonna 2 000 kävijää ja 15 000 katselukertaa."),
    ("sv", "Öppet 12.5–16.5 kl. 18–20, biljetter 12,50 euro."),
    # the organisation's own contacts and the directory
    ("fi", "Lisätietoja kirjaamo@kirkkonummi.fi tai kirjasto.palvelut@kirkkonummi.fi."),
    ("sv", "Kontakta registratorskontoret@kirkkonummi.fi."),
    ("fi", "Kysy kirjastonhoitaja Maija Virtaselta, puh. 040 765 4321."),
    ("fi", "Kirjastonhoitaja Maija Virtanen esittelee uutuudet."),
    ("sv", "Fråga bibliotekarie Anna Lindström, tel. +358 40 765 4322, anna.lindstrom@gmail.com."),
    ("fi", "Masalan Kirjasto on auki, numero 09 2967 1234."),
    # the municipality's names, places and capitalised common words
    ("fi", "Hyvää Joulua ja Onnellista Uutta Vuotta toivottaa Kirkkonummen Kunta!"),
    ("fi", "Tervetuloa Kirkkonummen Pääkirjastoon ja Helsingin Yliopiston luennolle!"),
    ("sv", "God Jul och Gott Nytt År önskar Kyrkslätts Kommun!"),
    # office-holders and performers in their public role
    ("fi", "Kunnanjohtaja Tarja Hartikainen avasi tilaisuuden ja kirjailija Sofi Oksanen luki novellin."),
    ("sv", "Kommundirektören Tarja Hartikainen öppnade mötet, och författaren Sofi Oksanen läste."),
    ("fi", "Kirkkonummi-salissa soittaa pianisti Iiro Rantala lauantaina."),
    ("sv", "I kväll spelar pianisten Iiro Rantala i Kyrkslättsalen."),
    ("fi", "Joulukonsertissa laulaa sopraano Karita Mattila."),
    ("sv", "På julkonserten sjunger sopranen Karita Mattila."),
    # authors of published works
    ("fi", "Lukupiirissä keskustellaan Rosa Liksomin teoksesta Hytti nro 6."),
    ("sv", "Vi läser Tove Janssons roman Sommarboken."),
    # directory people in inflected forms, also surnames that are common Finnish words
    ("fi", "Ilmoittautumiset vapaa-aikasihteeri Mari Keskitalolle."),
    ("fi", "Kiitos Mari Keskitalolle avusta!"),
    # street names without a house number, stretches of road, dates
    ("fi", "Kirkkotie on suljettu remontin vuoksi koko viikon."),
    ("fi", "Kirkkotie 5–15 on suljettu, kiertotie Rantakadun kautta."),
    ("fi", "Kirkkotie 12.5. alkaen yksisuuntainen."),
    ("sv", "Storgatan är avstängd på grund av vägarbeten."),
    # the organisation's own premises
    ("sv", "Från måndag hittar ni Kyrkslätts kommun på Kyrkvägen 2."),
    # not e-mail addresses
    ("fi", "Lataa kuva logo@2x.png ja tiedosto foo@bar.invalidtld."),
    # an invalid IBAN
    ("fi", "Tilinumero FI49 5000 9420 0287 31 on kirjoitettu väärin."),
]


@pytest.mark.parametrize(("lang", "text"), NEAR_MISSES)
def test_near_misses_stay_clean(checker, lang, text):
    assert hits(checker, text, lang) == []


def test_image_descriptions_and_titles_are_checked(checker):
    d = doc(
        text={"fi": "Kevään kuvia"},
        title="Jukka Niemi 040 123 4567",
        media=[
            {"type": "image", "alt": {"fi": "Kuvassa Jukka Niemi ja hänen puhelinnumeronsa 040 123 4567."}}
        ],
    )
    got = {(f.field, f.span) for f in checker.check(d)}
    assert got == {
        ("title", (0, 11)),
        ("title", (12, 24)),
        ("media[0].alt.fi", (8, 19)),
        ("media[0].alt.fi", (46, 58)),
    }


def test_without_ner_names_are_skipped_but_identifiers_still_found(tmp_path):
    checker = build(tmp_path, use_ner=False)
    text = "Asiakkaamme Jukka Niemi (131052-308T) soitti numerosta 040 123 4567."
    assert hits(checker, text) == ["131052-308T", "040 123 4567"]
    assert [r.spec.family for r in checker.rules] == ["personal_data"]


def test_entities_param_limits_what_is_looked_for(tmp_path):
    checker = build(tmp_path, params={"entities": ["email"]})
    text = "Jukka Niemi, 131052-308T, 040 123 4567, jukka.niemi@gmail.com"
    assert hits(checker, text) == ["jukka.niemi@gmail.com"]


def test_min_score_keeps_only_surer_addresses(tmp_path):
    checker = build(tmp_path, params={"min_score": 0.7, "entities": ["address"]})
    assert hits(checker, "Tapahtuma Storgatan 12 lauantaina.") == []
    assert hits(checker, "Hän asuu Storgatan 12 lgh 1101.") == ["Storgatan 12 lgh 1101"]


def test_public_premises_may_be_allowed_by_the_rule_or_the_pack_contacts(tmp_path):
    text = "Satutunti kirjastolla, Ervastintie 4, ja lisätiedot numerosta 040 111 2233."
    assert hits(build(tmp_path), text) == ["Ervastintie 4", "040 111 2233"]
    allowed = build(
        tmp_path,
        params={"allow": ["Ervastintie 4, 02400 Kirkkonummi"]},
        contacts={"kirjasto": "040 111 2233"},
    )
    assert hits(allowed, text) == []


def test_a_signed_reply_is_not_a_private_persons_name(checker):
    body = "Kiitos kysymyksestä! Katu aurataan huomenna.\n/Pekka Salminen, kuntatekniikka"
    assert hits(checker, body, kind="reply") == []
    assert hits(checker, "Kiitos!\nTerveisin\nPekka Salminen", kind="reply") == []
    # signed at the end of the last sentence, as the signature rule accepts it (KIRK-5.17)
    inline = (
        "Lamput on ilmoitettu korjattavaksi, asentaja tulee viikon sisällä. t. Pekka Salminen, kuntatekniikka"
    )
    assert hits(checker, inline, kind="reply") == []
    assert hits(checker, "Se on ollut nähtävillä kuukauden. /Pekka Salminen, kaavoitus", kind="reply") == []
    # the same name inside the text, or in a post, is still a person's name
    assert hits(checker, body, kind="post") == ["Pekka Salminen"]
    assert hits(checker, "Pekka Salminen kysyi aurauksesta. t. Maija, kuntatekniikka", kind="reply") == [
        "Pekka Salminen"
    ]
    assert hits(checker, "Pekka Salminen kysyi aurauksesta.\nVastaamme pian.", kind="reply") == [
        "Pekka Salminen"
    ]


def test_e_mail_check_never_goes_to_the_network(tmp_path):
    """tldextract must use its bundled suffix list even when the environment does not say so."""
    script = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise AssertionError("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from somevahti.text import pii
        found = pii.analyse("Kirjoita matti@example.com tai matti@gmail.com", "fi",
                            frozenset({"email"}), False)
        print(len(found))
    """)
    env = {k: v for k, v in os.environ.items() if k != "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"}
    env["TLDEXTRACT_CACHE"] = str(tmp_path / "tld-cache")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2"
    assert not (tmp_path / "tld-cache").exists()


def test_without_ner_the_finnish_model_is_never_loaded():
    """`check --no-ner` must not pay for loading the spaCy model."""
    script = textwrap.dedent("""
        import spacy
        loaded = []
        real_load = spacy.load
        spacy.load = lambda *a, **k: loaded.append(a) or real_load(*a, **k)
        from somevahti.check import Checker
        from somevahti.document import PostDocument
        from somevahti.policy.loader import load_pack
        checker = Checker(load_pack("generic").model_copy(update={"rules": []}), use_ner=False)
        from somevahti.rules.personal_data import PersonalData
        from somevahti.policy.schema import RuleSpec
        spec = RuleSpec(id="pd", family="personal_data", severity="error", clauses=["KIRK-8.10"],
                        message={"fi": "{text}", "sv": "{text}", "en": "{text}"})
        checker.rules = [PersonalData(spec, checker.pack)]
        doc = PostDocument.model_validate({"text": {"fi": "Jukka Niemi soitti numerosta 040 123 4567."}})
        print([f.message for f in checker.check(doc)], len(loaded))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['040 123 4567'] 0"
