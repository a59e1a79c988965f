import pytest

from somevahti.triage import rules
from somevahti.triage.features import analyse
from somevahti.triage.links import analyse_links


def fired(rule_fn, text, lang="fi", *args):
    return [r.rule for r in rule_fn(analyse(text, lang), *args)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Tapan sinut kun näen sinut.", "fi"),
    ("Kaikki tällaiset tapetaan.", "fi"),
    ("Noi pitäisi ampua.", "fi"),
    ("Annan sulle turpaan huomenna.", "fi"),
    ("Uusnatseille kuula kalloon vaan.", "fi"),
    ("Ammu ittes.", "fi"),
    ("Jag ska döda dig.", "sv"),
    ("I will kill you.", "en"),
    ("Tapan sinut, I swear.", "fi"),
])
def test_threat_fires(text, lang):
    assert set(fired(rules.threat_rules, text, lang)) & {"threat", "selfharm"}


@pytest.mark.parametrize(("text", "lang"), [
    ("Poliisi ampui karhun eilen illalla.", "fi"),
    ("Pitää tappaa aikaa jotenkin.", "fi"),
    ("Kokko poltetaan juhannuksena.", "fi"),
    ("Polisen sköt en björn.", "sv"),
    ("We need to kill time before the bus.", "en"),
    ("The movie hero shoots the villain.", "en"),
])
def test_threat_near_misses(text, lang):
    assert fired(rules.threat_rules, text, lang) == []


def test_phishing_matches_inflected_finnish_and_other_languages():
    assert "phishing" in fired(rules.misuse_rules, "Vahvistakaa tilinne heti", "fi", ())
    assert "phishing" in fired(rules.misuse_rules, "Verifiera ditt konto här", "sv", ())
    assert "phishing" in fired(rules.misuse_rules, "Please verify your account now", "en", ())
    assert fired(rules.misuse_rules, "Tilini saldo on hyvä", "fi", ()) == []


def test_links():
    own = ("kela.fi",)
    kinds = lambda t: [h.kind for h in analyse_links(t, own)]  # noqa: E731
    assert kinds("Lataa https://kela-tuki.com/login") == ["lookalike"]
    assert kinds("https://ke1a.fi/asiointi") == ["lookalike"]
    assert kinds("https://kela.fi.tunnistus.net/") == ["lookalike"]
    assert kinds("https://bit.ly/3abc") == ["shortener"]
    assert kinds("asenna http://x.org/app/setup.apk") == ["executable"]
    assert kinds("lataa liite lasku.exe") == ["executable"]
    assert kinds("Katso https://www.kela.fi/asiointi ja kela.fi/opiskelijat") == []
    assert kinds("Lisää tietoa: https://www.hel.fi/ ja https://example.com/ohje.pdf") == []


def test_crime_rules():
    assert "doxxing" in fired(rules.crime_rules, "Sen hetu on 131052-308T, jakakaa")
    assert fired(rules.crime_rules, "Tilaus 131052-308X saapui") == []  # not a valid identity code
    assert "doxxing" in fired(rules.crime_rules, "Hän asuu osoitteessa Mannerheimintie 12 B")
    assert fired(rules.crime_rules, "Kirjasto on Mannerheimintie 12:ssa") == []
    assert "csam" in fired(rules.crime_rules, "myyn lapsipornoa")
    assert "csam" in fired(rules.crime_rules, "säljer barnporr", "sv")


@pytest.mark.parametrize(("text", "lang"), [
    ("Miksi kirjasto on kiinni", "fi"), ("Onko uimahalli auki huomenna", "fi"), ("Voiko koiran tuoda?", "fi"),
    ("När öppnar simhallen", "sv"), ("Kan man boka rum", "sv"), ("When does the pool open", "en"),
    ("Tuleeko lisää vuoroja?", "fi"),
])
def test_question_fires(text, lang):
    assert fired(rules.question_rule, text, lang) == ["question"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Pakko sanoa että tapahtuma oli hyvä.", "fi"), ("Heikko jää, älkää menkö jäälle.", "fi"),
    ("Varmaan huomenna.", "fi"), ("Varje dag är bra.", "sv"), ("Whenever you like.", "en"),
])
def test_question_near_misses(text, lang):
    assert fired(rules.question_rule, text, lang) == []


def test_complaint():
    assert "complaint" in fired(rules.complaint_rule, "Huonoa palvelua, bussi myöhässä!")
    assert "complaint" in fired(rules.complaint_rule, "Olen todella pettynyt")
    assert "complaint" in fired(rules.complaint_rule, "Dålig service!", "sv")
    assert "complaint" in fired(rules.complaint_rule, "Terrible service, late again.", "en")
    assert fired(rules.complaint_rule, "Taas hieno tapahtuma!") == []  # "taas" alone is no complaint
    assert fired(rules.complaint_rule, "Bra igen!", "sv") == []


def test_personal_case_needs_the_writers_own_case():
    assert fired(rules.personal_case_rule, "Milloin hakemukseni käsitellään?") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Mun päätös ei ole tullut") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Varför har mitt ärende inte behandlats?", "sv") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Where is my application?", "en") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Hakemukset käsitellään kesäkuussa.") == []
    assert fired(rules.personal_case_rule, "Ansökan ska lämnas in i juni.", "sv") == []


def test_misinformation_needs_hearsay_and_a_claim():
    assert fired(rules.misinformation_rule, "Kuulemma kunta aikoo sulkea koulun.", "fi", []) == ["misinformation"]
    assert fired(rules.misinformation_rule, "Jag hörde att kommunen har beslutat att stänga skolan.", "sv",
                 []) == ["misinformation"]
    assert fired(rules.misinformation_rule, "Kunta päätti sulkea koulun.", "fi", []) == []  # news, no hearsay
    assert fired(rules.misinformation_rule, "Kuulemma sataa huomenna.", "fi", []) == []


def test_thanks_and_organisation_names():
    assert fired(rules.thanks_rule, "Kiitoksia paljon!") == ["thanks"]
    assert fired(rules.thanks_rule, "Tack så mycket", "sv") == ["thanks"]
    assert fired(rules.thanks_rule, "Bussi myöhässä.") == []
    names = rules.OrganisationNames(["Kela"], ("kela.fi",))
    assert [r.text for r in names.find(analyse("Kelassa ei vastata", "fi"))] == ["Kelassa"]
    assert names.find(analyse("Kelasin tänään", "fi")) == []
