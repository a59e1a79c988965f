import pytest

from somevahti.triage import rules
from somevahti.triage.features import analyse
from somevahti.triage.links import analyse_links


def fired(rule_fn, text, lang="fi", *args):
    return [r.rule for r in rule_fn(analyse(text, lang), *args)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tapan sinut kun näen sinut.", "fi"),
        ("Kaikki tällaiset tapetaan.", "fi"),
        ("Noi pitäisi ampua.", "fi"),
        ("Annan sulle turpaan huomenna.", "fi"),
        ("Uusnatseille kuula kalloon vaan.", "fi"),
        ("Ammu ittes.", "fi"),
        ("Jag ska döda dig.", "sv"),
        ("I will kill you.", "en"),
        ("Tapan sinut, I swear.", "fi"),
        # staff as the target, first person of a verb that needs one, veiled threats, coming armed
        ("Hakkaan sen käsittelijän kun näen sen.", "fi"),
        ("Poltan teidän talon.", "fi"),
        ("Tiedän missä sä asut.", "fi"),
        ("Jag ska skjuta handläggaren.", "sv"),
        ("Alla politiker borde skjutas.", "sv"),  # s-passive
        ("Jag vet var du bor.", "sv"),
        ("I will shoot the mayor.", "en"),
        ("I know where you live.", "en"),
        ("I'll come to your office with a knife.", "en"),
        # death wishes and maiming: no intent word, the idiom is the threat
        ("Kuolkaa kaikki siellä kunnantalolla.", "fi"),
        ("Sille päättäjälle luoti kalloon.", "fi"),
        ("Hakijan pitäis saada jalat poikki.", "fi"),
        ("Jag kommer att slå sönder chefens bil och ansikte.", "sv"),
        ("Han förtjänar en kula i huvudet.", "sv"),
        ("The councillor deserves a bullet.", "en"),
        ("I'll break his legs when I find him.", "en"),
        ("I'm going to hurt someone at that office.", "en"),
        # a blow promised with an object or a fist
        ("Se aurakuski saa vielä lapiosta päähän.", "fi"),
        ("Ansaitsis saada pesäpallomailasta naamaan koko porukka.", "fi"),
        ("Nästa gång ska chauffören få en sten i skallen.", "sv"),
        ("Den där handläggaren kommer att få på käften.", "sv"),
        ("That inspector is gonna get a brick to the head.", "en"),
        ("Someone should take a bat to his face.", "en"),
        ("Noi pitäisi ampua, me ollaan valmiita.", "fi"),  # Finnish "me" is "we", not the writer as object
    ],
)
def test_threat_fires(text, lang):
    assert set(fired(rules.threat_rules, text, lang)) & {"threat", "selfharm"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Poliisi ampui karhun eilen illalla.", "fi"),
        ("Isoisä kuoli viime viikolla, kiitos osanotoista.", "fi"),
        ("Luoti löytyi maastosta tutkimusten jälkeen.", "fi"),
        ("Mummo kaatui ja ranne meni poikki.", "fi"),
        ("Stormen slog sönder bryggan i natt.", "sv"),
        ("Please add bullet points to the agenda.", "en"),
        ("My back hurts after the long queue.", "en"),
        ("It hurts to see the library closed.", "en"),
        ("Pitää tappaa aikaa jotenkin.", "fi"),
        ("Kokko poltetaan juhannuksena.", "fi"),
        ("Polisen sköt en björn.", "sv"),
        ("We need to kill time before the bus.", "en"),
        ("The movie hero shoots the villain.", "en"),
        ("Tappava helle tänään taas.", "fi"),
        ("Tiedän missä kirjasto on.", "fi"),
        ("Jag vet var biblioteket ligger.", "sv"),
        ("Kill the lights when you leave.", "en"),
        ("This burger is killer.", "en"),
        ("I'll bring a knife to cut the cake.", "en"),
        ("Poika sai pallosta päähän jalkapallotreeneissä.", "fi"),
        ("Saat vasaran lainaan naapurilta.", "fi"),
        ("Du ska få det i huvudet till slut, matte är inte svårt.", "sv"),
        ("Barnen ska få en sten var att måla på.", "sv"),
        ("You'll get a rock in your shoe on that path.", "en"),
        ("She should get a hammer to hang the picture.", "en"),
    ],
)
def test_threat_near_misses(text, lang):
    assert fired(rules.threat_rules, text, lang) == []


def test_phishing_matches_inflected_finnish_and_other_languages():
    assert "phishing" in fired(rules.misuse_rules, "Vahvistakaa tilinne heti", "fi", ())
    assert "phishing" in fired(rules.misuse_rules, "Verifiera ditt konto här", "sv", ())
    assert "phishing" in fired(rules.misuse_rules, "Please verify your account now", "en", ())
    assert fired(rules.misuse_rules, "Tilini saldo on hyvä", "fi", ()) == []


@pytest.mark.parametrize(
    ("text", "lang", "rule"),
    [
        ("Lähetä tilinumerosi ja henkilötunnuksesi minulle viestillä", "fi", "phishing"),
        ("Skicka ditt kortnummer i ett privat meddelande", "sv", "phishing"),
        ("Send me your card number to get the refund", "en", "phishing"),
        ("Joku on tehnyt feikkitilin mun nimellä", "fi", "impersonation"),
        ("Någon utger sig för att vara kommunen", "sv", "impersonation"),
        ("There is a fake profile pretending to be the city", "en", "impersonation"),
    ],
)
def test_credential_requests_and_impersonation(text, lang, rule):
    assert rule in fired(rules.misuse_rules, text, lang, ())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mikä on kunnan tilinumero?", "fi"),
        ("Henkilötunnus löytyy Kela-kortista", "fi"),
        ("Hän esiintyy konsertissa huomenna", "fi"),
        ("Var hittar jag mitt kontonummer?", "sv"),
        ("Where do I find my account number?", "en"),
        ("Fake news again", "en"),
    ],
)
def test_misuse_near_misses(text, lang):
    assert fired(rules.misuse_rules, text, lang, ()) == []


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
    assert "csam" in fired(rules.crime_rules, "Kaupataan alaikäisten alastonkuvia")
    assert "csam" in fired(rules.crime_rules, "Täältä saa lapsipornosivustojen osoitteita")  # in a compound
    assert "csam" not in fired(rules.crime_rules, "Lapsilisän maksupäivä siirtyy")


def test_incitement_is_a_threat_against_a_group():
    assert fired(rules.crime_rules, "Kaikki mamut pitäisi ampua.") == ["incitement"]
    assert fired(rules.crime_rules, "All immigrants should be shot.", "en") == ["incitement"]
    assert fired(rules.crime_rules, "Vi borde hänga alla bögar.", "sv") == ["incitement"]
    assert fired(rules.crime_rules, "Ammun sen virkailijan.") == []  # a threat, against no group
    # "hakemusta" is also hake+musta to Voikko: no group word
    assert fired(rules.crime_rules, "Hakkaan sen virkailijan joka hylkäsi hakemusta.") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Miksi kirjasto on kiinni", "fi"),
        ("Onko uimahalli auki huomenna", "fi"),
        ("Voiko koiran tuoda?", "fi"),
        ("När öppnar simhallen", "sv"),
        ("Kan man boka rum", "sv"),
        ("When does the pool open", "en"),
        ("Tuleeko lisää vuoroja?", "fi"),
        ("Onks kirjasto auki", "fi"),
        ("Tarviiko ajan varata", "fi"),  # colloquial, Voikko knows neither
        ("Misä on lähin kirjasto", "fi"),
        ("Mihi aikaan sauna aukee", "fi"),  # misspelt interrogatives
        ("Finns det parkering vid simhallen", "sv"),  # Swedish verb-first question
    ],
)
def test_question_fires(text, lang):
    assert fired(rules.question_rule, text, lang) == ["question"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Pakko sanoa että tapahtuma oli hyvä.", "fi"),
        ("Heikko jää, älkää menkö jäälle.", "fi"),
        ("Varmaan huomenna.", "fi"),
        ("Varje dag är bra.", "sv"),
        ("Whenever you like.", "en"),
        ("Mikä upea päivä!", "fi"),
        ("Vilken fin dag!", "sv"),
        ("What a day!", "en"),  # exclamations
        ("Jarkko tuli kylään.", "fi"),  # a name in -ko, not a question word
    ],
)
def test_question_near_misses(text, lang):
    assert fired(rules.question_rule, text, lang) == []


def test_complaint():
    assert "complaint" in fired(rules.complaint_rule, "Huonoa palvelua, bussi myöhässä!")
    assert "complaint" in fired(rules.complaint_rule, "Olen todella pettynyt")
    assert "complaint" in fired(rules.complaint_rule, "Dålig service!", "sv")
    assert "complaint" in fired(rules.complaint_rule, "Terrible service, late again.", "en")
    assert fired(rules.complaint_rule, "Taas hieno tapahtuma!") == []  # "taas" alone is no complaint
    assert fired(rules.complaint_rule, "Bra igen!", "sv") == []
    assert "complaint" in fired(rules.complaint_rule, "Sekava ja hidas sivusto")
    assert "complaint" in fired(rules.complaint_rule, "Tietä ei oo vieläkään korjattu, taas")
    assert "complaint" in fired(rules.complaint_rule, "Taas hieno tapahtuma 🙄")  # sarcasm
    assert "complaint" in fired(rules.complaint_rule, "Tack för ingenting", "sv")
    assert "complaint" in fired(rules.complaint_rule, "Thanks for nothing", "en")
    assert "complaint" in fired(rules.complaint_rule, "Why is the site always down?", "en")
    assert fired(rules.complaint_rule, "Kiitos vaan paljon!") == []
    assert fired(rules.complaint_rule, "Heikko jää.") == []


def test_personal_case_needs_the_writers_own_case():
    assert fired(rules.personal_case_rule, "Milloin hakemukseni käsitellään?") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Mun päätös ei ole tullut") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Varför har mitt ärende inte behandlats?", "sv") == [
        "personal-case"
    ]
    assert fired(rules.personal_case_rule, "Where is my application?", "en") == ["personal-case"]
    assert fired(rules.personal_case_rule, "Hakemukset käsitellään kesäkuussa.") == []
    assert fired(rules.personal_case_rule, "Ansökan ska lämnas in i juni.", "sv") == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sain päätöksen, jossa on virhe", "fi"),
        ("Mulle tuli lasku kahteen kertaan", "fi"),
        ("Olen lähettänyt liitteet jo", "fi"),
        ("Poikani päivähoitomaksu nousi", "fi"),
        ("Miksi mun työttömyyskorvaus on myöhässä", "fi"),  # korvaus inside a derivation, not a compound part
        ("Jag har skickat min ansökan två gånger", "sv"),
        ("My son's daycare fee is wrong", "en"),
    ],
)
def test_personal_case_owned_by_the_writer(text, lang):
    assert fired(rules.personal_case_rule, text, lang) == ["personal-case"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Mun mielestä asumistuki on liian pieni", "fi"),
        ("Vihdoin päätös tehtiin", "fi"),  # adverb, passive
        ("Haluaisin tietää miten hakemus tehdään", "fi"),  # conditional, not the past
        ("Can I apply for the allowance?", "en"),
        ("In my opinion the fee is too high", "en"),
        ("Kan jag ansöka om bidrag?", "sv"),
        ("Enligt min åsikt är avgiften för hög", "sv"),
    ],
)
def test_personal_case_near_misses(text, lang):
    assert fired(rules.personal_case_rule, text, lang) == []


def test_misinformation_needs_hearsay_and_a_claim():
    assert fired(rules.misinformation_rule, "Kuulemma kunta aikoo sulkea koulun.", "fi", []) == [
        "misinformation"
    ]
    assert fired(
        rules.misinformation_rule, "Jag hörde att kommunen har beslutat att stänga skolan.", "sv", []
    ) == ["misinformation"]
    assert fired(rules.misinformation_rule, "Kunta päätti sulkea koulun.", "fi", []) == []  # news, no hearsay
    assert fired(rules.misinformation_rule, "Kuulemma sataa huomenna.", "fi", []) == []
    for text, lang in [
        ("Naapurin mukaan koulu lakkautetaan", "fi"),
        ("Luin facebookista että uimahalli suljetaan", "fi"),
        ("Det stod på Facebook att biblioteket läggs ner", "sv"),
        ("Apparently they are abolishing the allowance", "en"),
    ]:
        assert fired(rules.misinformation_rule, text, lang, []) == ["misinformation"], text
    for text, lang in [
        ("Naapurin mukaan uimahalli on kiva", "fi"),
        ("Kelan mukaan hakemus käsitellään kuukaudessa", "fi"),
        ("Apparently it is sunny tomorrow", "en"),
    ]:
        assert fired(rules.misinformation_rule, text, lang, []) == [], text


def test_a_question_that_swears_is_marked_unless_it_insults_or_only_exclaims():
    def marked(text, lang="fi"):
        return "question-swearing" in fired(rules.question_rule, text, lang)

    assert fired(rules.question_rule, "Miks hitossa kirjasto on kiinni sunnuntaisin?") == [
        "question",
        "question-swearing",
    ]
    assert marked("Vad fan, går det att returnera rea-varor?", "sv")
    assert marked("Why the fuck is the pool closed again?", "en")
    # an insult in it, or an interrogative that opens an exclamation: no mark, the removal stands
    assert not marked("Mitä vittua te idiootit teette?")
    assert not marked("What a shitshow, go to hell all of you", "en")
    assert not marked("Vilken jävla skitkommun", "sv")


def test_praise_with_swearing_is_marked_unless_it_insults():
    assert fired(rules.thanks_rule, "Perkele, tosi hienoa!") == ["thanks", "praise-swearing"]
    assert fired(rules.thanks_rule, "Jävla bra, tack!", "sv") == ["thanks", "praise-swearing"]
    assert fired(rules.thanks_rule, "Damn, great job!", "en") == ["thanks", "praise-swearing"]
    assert fired(rules.thanks_rule, "Vitun idiootit, kiitos vaan") == ["thanks"]
    assert fired(rules.thanks_rule, "Fucking idiots, thanks for nothing", "en") == ["thanks"]


def test_second_person_counts_address_not_every_pronoun():
    def address(text, lang):
        return [m.text for m in analyse(text, lang).matches if m.category == "second_person"]

    assert address("Thank you, you are the best!", "en") == []
    assert address("Can you help me with the form?", "en") == []
    assert address("Tack ska ni ha, ni är guld värda", "sv") == []
    assert address("You people are clueless.", "en") == ["You people"]
    assert address("Du är en idiot", "sv") == ["Du är en"]


def test_thanks_and_organisation_names():
    assert fired(rules.thanks_rule, "Kiitoksia paljon!") == ["thanks"]
    assert fired(rules.thanks_rule, "Tack så mycket", "sv") == ["thanks"]
    assert fired(rules.thanks_rule, "Bussi myöhässä.") == []
    assert fired(rules.thanks_rule, "Ystävällinen virkailija, upeeta!") == ["thanks", "thanks"]
    names = rules.OrganisationNames(["Kela"], ("kela.fi",))
    assert [r.text for r in names.find(analyse("Kelassa ei vastata", "fi"))] == ["Kelassa"]
    assert names.find(analyse("Kelasin tänään", "fi")) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("En jaksa enää, taidan tappaa itseni tänä yönä.", "fi"),
        ("Mä haluan kuolla, kukaan ei auta.", "fi"),
        ("Jag orkar inte mer, jag tar livet av mig.", "sv"),
        ("Jag vill inte leva längre.", "sv"),
        ("I'm going to kill myself if this goes on.", "en"),
        ("I don't want to live anymore.", "en"),
    ],
)
def test_the_writer_saying_they_will_end_their_life_reaches_a_person(text, lang):
    assert "suicidal" in fired(rules.threat_rules, text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tää jono tappaa mut, kolme tuntia jo.", "fi"),
        ("Itsemurhien ehkäisy on tärkeä aihe, kiitos kun nostitte sen esiin.", "fi"),
        ("Er nya app kommer ta livet av mig, den kraschar hela tiden.", "sv"),
        ("This heat is killing me.", "en"),
        ("The show about suicide prevention was good.", "en"),
    ],
)
def test_hyperbole_about_ones_own_day_is_no_threat(text, lang):
    assert fired(rules.threat_rules, text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jos tietä ei aurata huomiseen mennessä, kirjoitan tästä paikallislehteen.", "fi"),
        ("Teen asiasta kantelun oikeusasiamiehelle.", "fi"),
        ("Får vi inget svar ringer jag lokaltidningen.", "sv"),
        ("Vi kommer att kräva svar på nästa fullmäktigemöte.", "sv"),
        ("Fix the streetlights or I'm going to the local paper with this.", "en"),
        ("I will file a complaint with the ombudsman.", "en"),
    ],
)
def test_a_lawful_way_to_press_the_matter_is_recourse(text, lang):
    assert set(fired(rules.recourse_rule, text, lang)) == {"recourse"}


def test_recourse_is_not_read_where_violence_is():
    text = "Soitan lehteen ja sitten tapan sen kunnanjohtajan."
    assert fired(rules.recourse_rule, text) == []
    assert fired(rules.recourse_rule, "Kunnanjohtajan mökki on järven rannalla.") == []


@pytest.mark.parametrize(
    ("text", "lang", "own"),
    [
        ("Tilasin sohvan, tilausnumero 55821, eikä sitä ole vieläkään tullut.", "fi", True),
        ("Ordernr 448812 har stått som skickad i en vecka.", "sv", True),
        ("My order 48213 arrived broken.", "en", True),
        ("Case number 20231 is still open after a month.", "en", True),
        ("Kirkkonummella on jo 40000 asukasta.", "fi", False),
        ("I placed the order 2024 and it was fine.", "en", False),  # a year, not a reference
        ("In case 5000 people come, is there room?", "en", False),
    ],
)
def test_a_reference_number_makes_it_the_writers_own_case(text, lang, own):
    assert ("personal-case" in fired(rules.personal_case_rule, text, lang)) == own


@pytest.mark.parametrize(
    ("text", "lang", "own"),
    [
        ("Mulle tuli päätös eilen.", "fi", True),
        ("Hakemukseni on jumissa.", "fi", True),
        ("Sain laskun kahteen kertaan.", "fi", True),
        ("Lasketaanko lapsilisä tuloksi kun haetaan yleistä asumistukea?", "fi", False),
        ("Kan vi få hjälp med ansökan?", "sv", True),
        ("Gäller rabatten även i butiken?", "sv", False),
        ("My son's bus never came.", "en", True),
        ("Do you ship to Finland?", "en", False),
    ],
)
def test_whether_the_writer_speaks_of_themselves(text, lang, own):
    assert rules.speaks_for_self(analyse(text, lang)) == own
