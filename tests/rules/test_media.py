"""Media: rights, image descriptions, video captions, consent, and Instagram's image."""

import pytest

from tests.helpers import checker_for, doc

VARIANTS = ("rights", "alt", "captions", "consent", "instagram_media")
OWN = {"holder": "Kirkkonummen kunta", "licence": "own"}
BILINGUAL = {
    "allowed": ["fi", "sv"],
    "required": [{"channels": ["facebook"], "kinds": ["post"], "languages": ["fi", "sv"]}],
}


def rule(**params):
    return {
        "id": "media",
        "family": "media",
        "severity": "error",
        "params": params,
        "messages": {v: {"fi": f"{v} {{index}} {{lang}}", "sv": f"{v} sv", "en": v} for v in VARIANTS},
    }


@pytest.fixture
def media(tmp_path):
    return checker_for(tmp_path, [rule()], languages=BILINGUAL)


def kinds(checker, **fields):
    return sorted((f.field, f.message.split()[0]) for f in checker.check(doc(**fields)))


def image(**kw):
    return {
        "type": "image",
        "rights": OWN,
        "alt": {"fi": "Kirjaston lukusali", "sv": "Bibliotekets läsesal"},
        **kw,
    }


def video(**kw):
    return {"type": "video", "rights": OWN, "captions": True, **kw}


TEXT = {"fi": "Kirjasto avautuu.", "sv": "Biblioteket öppnar."}


# rights


@pytest.mark.parametrize(
    "rights",
    [
        None,
        {"holder": "Matti"},
        {"licence": "unknown"},
        {"licence": "tuntematon"},
        {"licence": "okänd"},
        {"holder": "Lehtikuva", "licence": " "},
    ],
)
def test_media_without_cleared_rights_is_an_error(media, rights):
    found = media.check(doc(text=TEXT, media=[image(rights=rights)]))
    assert [(f.field, f.message, f.span) for f in found] == [("media[0]", "rights 1 {lang}", None)]


@pytest.mark.parametrize(
    "rights",
    [OWN, {"holder": "Lehtikuva", "licence": "licensed"}, {"holder": "Wikimedia", "licence": "CC BY 4.0"}],
)
def test_media_with_a_known_licence_passes(media, rights):
    assert (
        kinds(media, channel="facebook", text=TEXT, media=[image(rights=rights), video(rights=rights)]) == []
    )


def test_the_index_counts_from_one_and_the_field_from_zero(media):
    found = media.check(doc(text=TEXT, media=[image(), video(rights=None)]))
    assert [(f.field, f.message) for f in found] == [("media[1]", "rights 2 {lang}")]


# image descriptions


def test_each_required_language_needs_a_description(media):
    found = media.check(doc(channel="facebook", text=TEXT, media=[image(alt={"fi": "Kirjaston lukusali"})]))
    assert [(f.field, f.message) for f in found] == [("media[0].alt.sv", "alt sv")], (
        "message in the alt's language"
    )


def test_an_empty_description_does_not_count(media):
    found = kinds(media, channel="facebook", text=TEXT, media=[image(alt={"fi": "  ", "sv": "Läsesal"})])
    assert found == [("media[0].alt.fi", "alt")]


def test_without_required_languages_the_posts_own_languages_need_descriptions(media):
    # Instagram is not in the pack's requirement: the post's own languages decide.
    assert (
        kinds(
            media,
            channel="instagram",
            text={"sv": "Biblioteket öppnar."},
            media=[image(alt={"sv": "Läsesal"})],
        )
        == []
    )
    assert kinds(
        media,
        channel="instagram",
        text={"fi": "Kirjasto avautuu.", "sv": "Biblioteket öppnar."},
        media=[image(alt={"sv": "Läsesal"})],
    ) == [("media[0].alt.fi", "alt")]
    assert kinds(media, channel="instagram", text={"fi": "Kirjasto avautuu."}, media=[image(alt=None)]) == [
        ("media[0].alt.fi", "alt")
    ]


def test_a_plain_string_description_counts_for_the_language_it_is_written_in(tmp_path):
    finnish_only = checker_for(tmp_path, [rule()], languages={"allowed": ["fi"]})
    assert (
        kinds(
            finnish_only,
            text="Kirjasto avautuu maanantaina.",
            media=[image(alt="Kirjaston uusi lukusali, jossa on pitkät pöydät ja lamput.")],
        )
        == []
    )
    bilingual = checker_for(tmp_path, [rule()], languages=BILINGUAL)
    found = kinds(
        bilingual,
        channel="facebook",
        text=TEXT,
        media=[image(alt="Bibliotekets nya läsesal med långa bord och lampor.")],
    )
    assert found == [("media[0].alt.fi", "alt")]


def test_videos_need_no_image_description(media):
    assert kinds(media, channel="facebook", text=TEXT, media=[video()]) == []


# captions


def test_a_video_without_captions_is_reported(media):
    assert kinds(media, text=TEXT, media=[video(captions=False)]) == [("media[0]", "captions")]
    assert kinds(media, text=TEXT, media=[video(captions=None)]) == [("media[0]", "captions")]


def test_a_news_video_written_out_in_the_article_needs_no_captions(media):
    news = video(captions=False, purpose="news")
    assert (
        kinds(media, text=TEXT, media=[{**news, "transcript_url": "https://www.kirkkonummi.fi/uutiset/1"}])
        == []
    )
    linked = {"fi": "Katso video ja lue koko juttu: kirkkonummi.fi/uutiset/1", "sv": "Se videon."}
    assert kinds(media, text=linked, media=[news]) == [], "the link in the text is the accompanying article"
    assert kinds(media, text=TEXT, media=[news]) == [("media[0]", "captions")], "no article, no transcript"


def test_a_transcript_does_not_replace_captions_on_a_marketing_video(media, tmp_path):
    promo = video(captions=False, purpose="marketing", transcript_url="https://www.kirkkonummi.fi/video")
    assert kinds(media, text=TEXT, media=[promo]) == [("media[0]", "captions")]
    lenient = checker_for(tmp_path, [rule(transcript_purposes=["news", "marketing"])], languages=BILINGUAL)
    assert kinds(lenient, text=TEXT, media=[promo]) == []


# consent


def test_identifiable_people_in_marketing_need_consent(media):
    people = image(people=True, purpose="marketing")
    assert kinds(media, text=TEXT, media=[people]) == [("media[0]", "consent")]
    assert kinds(media, text=TEXT, media=[{**people, "consent": False}]) == [("media[0]", "consent")]
    assert kinds(media, text=TEXT, media=[{**people, "consent": True}]) == []


def test_people_in_news_or_marketing_without_people_need_no_consent(media):
    assert kinds(media, text=TEXT, media=[image(people=True, purpose="news")]) == []
    assert kinds(media, text=TEXT, media=[video(people=False, purpose="marketing")]) == []


# Instagram


def test_an_instagram_post_needs_an_image_or_a_video(media):
    assert kinds(media, channel="instagram", text={"fi": "Kesä tulee!"}) == [("media", "instagram_media")]
    assert kinds(media, channel="instagram", text={"fi": "Kesä tulee!"}, media=[video()]) == []
    assert kinds(media, channel="facebook", text=TEXT) == [], "other channels may go without"
    assert kinds(media, channel="instagram", kind="reply", text={"fi": "Kiitos! t. Maija"}) == []


def test_checks_param_selects_what_is_checked(tmp_path):
    rights_only = checker_for(tmp_path, [rule(checks=["rights"])], languages=BILINGUAL)
    bad = {"type": "video", "people": True, "purpose": "marketing"}
    assert kinds(rights_only, channel="instagram", text={"fi": "x"}, media=[bad, {"type": "image"}]) == [
        ("media[0]", "rights"),
        ("media[1]", "rights"),
    ]
    assert kinds(rights_only, channel="instagram", text={"fi": "x"}) == []
