"""Language versions: the required languages are present and each version is what it claims."""

import pytest

from tests.helpers import checker_for, doc

FACEBOOK_FI_SV = {
    "allowed": ["fi", "sv", "en"],
    "required": [{"languages": ["fi", "sv"], "channels": ["facebook"], "kinds": ["post"]}],
}


def rule(**params):
    return {
        "id": "language",
        "family": "language",
        "params": params,
        "messages": {
            "missing": dict.fromkeys(("fi", "sv", "en"), "missing|{lang}"),
            "mismatch": dict.fromkeys(("fi", "sv", "en"), "mismatch|{claimed}|{detected}"),
        },
    }


@pytest.fixture
def language(tmp_path):
    return checker_for(tmp_path, [rule()], languages=FACEBOOK_FI_SV)


def hits(checker, **fields):
    return [(f.field, f.message) for f in checker.check(doc(**fields))]


FI = "Kirkkonummen pääkirjasto on suljettu perjantaina itsenäisyyspäivän vuoksi. Tervetuloa taas lauantaina!"
SV = (
    "Huvudbiblioteket i Kyrkslätt är stängt på fredag på grund av självständighetsdagen. Välkommen på lördag!"
)


def test_both_versions_present_is_clean(language):
    assert hits(language, channel="facebook", text={"fi": FI, "sv": SV}) == []


def test_a_missing_swedish_version_is_found(language):
    assert hits(language, channel="facebook", text={"fi": FI}) == [("text", "missing|sv")]


def test_a_missing_finnish_version_is_found(language):
    assert hits(language, channel="facebook", text={"sv": SV}) == [("text", "missing|fi")]


def test_a_plain_finnish_text_lacks_swedish(language):
    assert hits(language, channel="facebook", text=FI) == [("text", "missing|sv")]


@pytest.mark.parametrize(
    "text",
    [
        FI + "\n\n" + SV,
        SV + "\n\n" + FI,
        "Tervetuloa kirjastoon satutuntiin tiistaina! / Välkommen till bibliotekets sagostund på tisdag!",
        "Uimahalli on kiinni huomenna huoltotöiden takia. Simhallen är stängd i morgon på grund av service.",
    ],
)
def test_a_bilingual_single_text_counts_as_both(language, text):
    assert hits(language, channel="facebook", text=text) == []


def test_the_requirement_follows_the_packs_scope(language):
    assert hits(language, channel="instagram", text={"fi": FI}) == []
    assert hits(language, channel="facebook", kind="reply", text={"fi": FI}) == []


def test_a_reply_in_swedish_alone_is_fine_even_when_the_pack_asks_replies_for_both(tmp_path):
    everywhere = {"allowed": ["fi", "sv", "en"], "required": [{"languages": ["fi", "sv"]}]}
    checker = checker_for(tmp_path, [rule()], languages=everywhere)
    swedish_reply = "Tack för frågan! Biblioteket har öppet till klockan åtta på tisdag. Hälsningar Anna"
    assert hits(checker, channel="facebook", kind="reply", text=swedish_reply) == []
    english_reply = "Thank you for asking! The library is open until eight o'clock on Tuesday. Regards, Anna"
    assert hits(checker, channel="facebook", kind="reply", text=english_reply) == [
        ("text", "missing|fi / sv")
    ]
    assert hits(checker, channel="facebook", kind="post", text=swedish_reply) == [("text", "missing|fi")]


def test_a_text_too_short_to_tell_is_not_judged(language):
    assert hits(language, channel="facebook", text="Tervetuloa! 🎉 #kirkkonummi") == []


def test_a_swedish_version_written_in_finnish_is_a_mismatch(language):
    found = hits(language, channel="facebook", text={"fi": FI, "sv": FI})
    assert found == [("text.sv", "mismatch|sv|fi")]


def test_a_finnish_version_written_in_swedish_is_a_mismatch(language):
    assert hits(language, channel="facebook", text={"fi": SV, "sv": SV}) == [("text.fi", "mismatch|fi|sv")]


@pytest.mark.parametrize(
    "sv",
    [
        "Välkommen till Veikkola! #Kirkkonummi #Veikkola",  # Finnish names and hashtags, Swedish prose
        "Maija Virtanen berättar om Kirkkonummen kunta i Masala.",
        "Läs mer: https://www.kirkkonummi.fi/tapahtumat/kesakonsertti-masalassa",
        "Hej!",
    ],
)
def test_names_hashtags_and_links_do_not_make_a_mismatch(language, sv):
    assert hits(language, channel="facebook", text={"fi": FI, "sv": sv}) == []


def test_image_descriptions_must_be_what_they_claim(language):
    media = [
        {
            "type": "image",
            "alt": {
                "fi": "Kirjaston lukusali aamulla ennen avaamista.",
                "sv": "Kirjaston lukusali aamulla ennen avaamista.",
            },
        }
    ]
    assert hits(language, channel="facebook", text={"fi": FI, "sv": SV}, media=media) == [
        ("media[0].alt.sv", "mismatch|sv|fi")
    ]


def test_claims_are_not_checked_when_switched_off(tmp_path):
    checker = checker_for(tmp_path, [rule(check_claims=False)], languages=FACEBOOK_FI_SV)
    assert hits(checker, channel="facebook", text={"fi": FI, "sv": FI}) == []


def test_min_chars_decides_what_is_long_enough(tmp_path):
    short = {"fi": FI, "sv": "Kirjasto on kiinni tänään."}
    assert hits(
        checker_for(tmp_path, [rule()], languages=FACEBOOK_FI_SV), channel="facebook", text=short
    ) == [("text.sv", "mismatch|sv|fi")]
    strict = checker_for(tmp_path, [rule(min_chars=60)], languages=FACEBOOK_FI_SV)
    assert hits(strict, channel="facebook", text=short) == []
