"""Spelling and grammar: standard written Finnish (RANUA-S.5, KIRK-4.5) and Swedish spelling."""

import pytest

from tests.helpers import checker_for, doc

LANGS = {"allowed": ["fi", "sv", "en"]}
ORG = {"name": "Kirkkonummen kunta", "names": ["Kyrkslätts kommun"], "web_domains": ["kirkkonummi.fi"]}


def rule(**params):
    templates = {
        "typo": "typo|{word}|{suggestions}",
        "colloquial": "colloquial|{word}",
        "grammar": "grammar|{text}|{description}",
    }
    return {
        "id": "spelling",
        "family": "spelling",
        "params": params,
        "messages": {v: dict.fromkeys(("fi", "sv", "en"), t) for v, t in templates.items()},
    }


@pytest.fixture(scope="module")
def spelling(tmp_path_factory):
    return checker_for(
        tmp_path_factory.mktemp("pack"),
        [rule()],
        languages=LANGS,
        organisation=ORG,
        hashtags=["#yhdessätillsammans"],
    )


def findings(checker, **fields):
    return checker.check(doc(**fields))


def words(checker, **fields):
    return [tuple(f.message.split("|")[:2]) for f in findings(checker, **fields)]


CLEAN_FI = [
    "Pääkirjasto on suljettu perjantaina 6.12. itsenäisyyspäivän vuoksi. Lauantaina olemme auki klo 10–16.",
    "Kunnanvaltuuston kokous alkaa tänään klo 18. Voit seurata kokousta suorana lähetyksenä verkkosivuilla.",
    (
        "Veikkolan ja Masalan kirjastoissa on satutunti ma–pe klo 10. Tervetuloa! "
        "#kirkkonummi #yhdessätillsammans"
    ),
    "Kesätyöhaku on auki 1.3.–31.3. Lisätietoja: https://www.kirkkonummi.fi/kesatyot tai puh. 09 2967 1000.",
    "Tapahtumat:\n- konsertti klo 18\n- tanssit klo 20\n- ilotulitus klo 22",
    "Kiitos kaikille kirkkonummelaisille, jotka osallistuivat Kirkkonummi-päivään! @kirkkonummenkunta",
    "Kirkkonummen kunta ja Kyrkslätts kommun toivottavat hyvää kesää. Ota yhteyttä: info@kirkkonummi.fi",
    "Food truck -tapahtuma ja workshop nuorille Masalassa lauantaina. HUS:n rokotuspiste on avoinna.",
    "Sosiaali- ja terveyspalvelujen asiakasmaksut muuttuvat vuodenvaihteessa, esim. kotihoidon maksut.",
    "Länsi-Uudenmaan hyvinvointialue vastaa sote-palveluista. Kanta-palvelut löytyvät verkosta.",
]
CLEAN_SV = [
    "Huvudbiblioteket är stängt fredagen 6.12 på grund av självständighetsdagen. Välkommen på lördag!",
    "Fullmäktiges möte börjar i dag kl. 18. Du kan följa mötet i direktsändning på kommunens webbplats.",
    "Se videon: så fungerar bibliotekets meröppet. Läs mer: https://www.kirkkonummi.fi/kirjasto #kyrkslätt",
    "Simhallen är öppen mån–fre kl. 7–20, bl.a. under sommarlovet. Välkomna till Veikkola!",
]


@pytest.mark.parametrize("text", CLEAN_FI)
def test_clean_finnish_posts_stay_clean(spelling, text):
    assert words(spelling, text={"fi": text}) == []


@pytest.mark.parametrize("text", CLEAN_SV)
def test_clean_swedish_posts_stay_clean(spelling, text):
    assert words(spelling, text={"sv": text}) == []


@pytest.mark.parametrize(
    "text, typo, best",
    [
        ("Tervetuloa kirjsatoon tiistaina!", "kirjsatoon", "kirjastoon"),
        ("Kirjasto on auki normaalisti kesäkuusa.", "kesäkuusa", None),
        ("Kirjaston aukioloaijat muuttuvat.", "aukioloaijat", "aukioloajat"),
        ("Kiitos kaikille kävijöile!", "kävijöile", "kävijöille"),
        ("Tervetulloa mukaan!", "Tervetulloa", "Tervetuloa"),
    ],
)
def test_finnish_typos_with_suggestions(spelling, text, typo, best):
    found = findings(spelling, text={"fi": text})
    assert [f.message.split("|")[:2] for f in found] == [["typo", typo]]
    start = text.index(typo)
    assert found[0].span == (start, start + len(typo))
    assert found[0].field == "text.fi"
    if best:
        assert found[0].suggestion == best
        assert best in found[0].message


@pytest.mark.parametrize(
    "text, word, standard",
    [
        ("Mä oon tosi iloinen.", "Mä", "Minä"),
        ("Ootte kaikki tervetulleita.", "Ootte", "Olette"),
        ("Tervetuloa meijän tapahtumaan!", "meijän", "meidän"),
        ("Nää tapahtumat on kivoja.", "Nää", "Nämä"),
        ("Tervetuloa mun kanssa konserttiin.", "mun", "minun"),
        ("Moi kaikki!", "Moi", "Hei"),
        ("Meillä oli kiva ilta.", "kiva", "mukava"),
        ("Ilta oli tosi hauska.", "tosi", "todella"),
    ],
)
def test_colloquial_words_are_not_typos(spelling, text, word, standard):
    found = [f for f in findings(spelling, text={"fi": text}) if f.message.split("|")[1] == word]
    assert [f.message.split("|")[0] for f in found] == ["colloquial"]
    assert found[0].suggestion == standard


@pytest.mark.parametrize(
    "text",
    [
        "Ilta oli todella hauska.",  # Voikko reads "todella" as a form of "tosi": the word itself counts
        "Tämä on tosi asia.",  # "tosi" as an adjective of a noun is standard
        "Mukavaa kesää kaikille!",
    ],
)
def test_standard_words_near_the_colloquial_ones_are_fine(spelling, text):
    assert words(spelling, text={"fi": text}) == []


def test_colloquial_check_can_be_switched_off_without_turning_them_into_typos(tmp_path):
    checker = checker_for(tmp_path, [rule(colloquial=False)], languages=LANGS)
    assert words(checker, text={"fi": "Mä oon tosi iloinen, moi!"}) == []
    assert words(checker, text={"fi": "Tervetuloa kirjsatoon!"}) == [("typo", "kirjsatoon")]


@pytest.mark.parametrize(
    "text, word",
    [
        ("Välkommen till bibloteket på tisdag!", "bibloteket"),
        ("Vi ser fram emot att träffa dej och dina vännner!", "vännner"),
    ],
)
def test_swedish_typos(spelling, text, word):
    found = findings(spelling, text={"sv": text})
    assert [tuple(f.message.split("|")[:2]) for f in found] == [("typo", word)]
    assert found[0].suggestion


def test_swedish_is_not_checked_when_only_finnish_is_asked(tmp_path):
    checker = checker_for(tmp_path, [rule(languages=["fi"])], languages=LANGS)
    assert words(checker, text={"sv": "Välkommen till bibloteket!"}) == []


def test_a_bilingual_single_text_is_checked_half_with_voikko_half_with_hunspell(spelling):
    text = (
        "Kirjaston satutunti on tiistaina. Tervetuloa koko perheen voimin!\n\n"
        "Bibliotekets sagostund är på tisdag. Välkommen till bibloteket med hela familjen!"
    )
    assert words(spelling, text=text) == [("typo", "bibloteket")]
    clean = text.replace("bibloteket", "biblioteket")
    assert words(spelling, text=clean) == []


def test_swedish_words_inside_a_finnish_version_are_not_finnish_typos(spelling):
    text = "Kirjaston satutunti on tiistaina klo 18. Välkommen till sagostunden, alla barn!"
    assert words(spelling, text={"fi": text}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Katso https://www.kirkkonummi.fi/kirjsato ja #kirjsato",
        "Kiitos @kirjsatonummi ja info@kirjsato.fi",
        "Hakemus ABCD-123 ja NATO sekä OmaKanta",
        "Kirjastossa vierailee Hanaholmen-kulttuurikeskuksen Jarkkomatti Virtasalo.",
    ],
)
def test_what_is_not_prose_is_not_spelled(spelling, text):
    assert words(spelling, text={"fi": text}) == []


def test_ignore_param_accepts_words(tmp_path):
    checker = checker_for(tmp_path, [rule(ignore=["kirjsatoauto"])], languages=LANGS)
    assert words(checker, text={"fi": "Tervetuloa kirjsatoautoon!"}) != []
    assert words(checker, text={"fi": "Tervetuloa kirjsatoauto!"}) == []


def test_an_ignored_word_is_accepted_in_every_inflected_form(tmp_path):
    strict = checker_for(tmp_path, [rule()], languages=LANGS)
    relaxed = checker_for(tmp_path, [rule(ignore=["kiva"])], languages=LANGS)
    text = {"fi": "Kiitos kivasta palautteesta, oli kiva kuulla."}
    assert words(strict, text=text), "kiva is colloquial by default"
    assert words(relaxed, text=text) == []


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Kirjasto on on auki huomenna.", "on on"),
        ("En menee kauppaan tänään.", "En menee"),
        ("Kirjasto on auki ,tervetuloa!", " ,"),
    ],
)
def test_grammar_errors_worth_reporting(spelling, text, flagged):
    found = [f for f in findings(spelling, text={"fi": text}) if f.message.startswith("grammar")]
    assert [f.message.split("|")[1] for f in found] == [flagged]
    start = text.index(flagged)
    assert found[0].span == (start, start + len(flagged))


@pytest.mark.parametrize(
    "text",
    [
        "Tervetuloa!",  # no main verb: a normal post
        "Tapahtumat:\n- konsertti klo 18\n- tanssit klo 20",  # a list without capitals
        "tervetuloa kirjastoon. kirjasto on auki.",  # lower-case sentence starts: style, not grammar
        "Tule mukaan!!",
        "Kesäkahvila Kahvila Kuu avaa ovensa",  # a name with capitals, no full stop
    ],
)
def test_social_media_style_is_not_a_grammar_error(spelling, text):
    assert [f for f in findings(spelling, text={"fi": text}) if f.message.startswith("grammar")] == []


def test_grammar_can_be_switched_off(tmp_path):
    checker = checker_for(tmp_path, [rule(grammar=False)], languages=LANGS)
    assert words(checker, text={"fi": "Kirjasto on on auki huomenna."}) == []


def test_image_descriptions_and_titles_are_checked_too(spelling):
    media = [{"type": "image", "alt": {"fi": "Lapsia kirjsatossa lukemassa."}}]
    found = findings(spelling, text={"fi": "Satutunti alkaa."}, media=media, title="Satutunti kirjsatossa")
    assert sorted((f.field, f.message.split("|")[1]) for f in found) == [
        ("media[0].alt.fi", "kirjsatossa"),
        ("title", "kirjsatossa"),
    ]


def test_a_word_is_reported_once_per_field(spelling):
    found = findings(spelling, text={"fi": "Tervetuloa kirjsatoon. Kirjsatoon mahtuu kaikki, kirjsatoon!"})
    assert len(found) == 1
