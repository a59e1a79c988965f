"""Common hashtags (KIRK-5.19, KIRK-4.6): suggest the organisation's tags when a post lacks them."""

import pytest

from tests.helpers import checker_for, doc

TAGS = ["#kirkkonummi", "#kyrkslätt", "#yhdessätillsammans"]


def rule(**params):
    return {
        "id": "tags",
        "family": "hashtags",
        "severity": "suggestion",
        "params": params,
        "message": {"fi": "Lisää {hashtags}", "sv": "Lägg till {hashtags}", "en": "Add {hashtags}"},
    }


@pytest.fixture
def any_tag(tmp_path):
    return checker_for(tmp_path, [rule()], hashtags=TAGS)


@pytest.fixture
def all_tags(tmp_path):
    return checker_for(tmp_path, [rule(mode="all")], hashtags=TAGS)


@pytest.mark.parametrize(
    "text",
    [
        "Kesäteatteri alkaa! #kirkkonummi",
        "Kesäteatteri alkaa! #Kirkkonummi",
        "Kesäteatteri alkaa! #KIRKKONUMMI #kesä",
        "Sommarteatern börjar! #Kyrkslätt",
    ],
)
def test_one_common_tag_in_any_case_is_enough_in_mode_any(any_tag, text):
    assert any_tag.check(doc(text={"fi": text})) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kesäteatteri alkaa kirkkonummella!",  # the word, not a tag
        "Kesäteatteri alkaa! #kirkkonummella",  # an inflected form is another tag
        "Kesäteatteri alkaa! #kirkkonummi2025",
        "Kesäteatteri alkaa! #kesä #teatteri",
        "Kesäteatteri alkaa! kirkkonummi#kesä",
    ],
)
def test_a_post_without_the_common_tags_gets_a_suggestion(any_tag, text):
    found = any_tag.check(doc(text={"fi": text}))
    assert len(found) == 1
    assert found[0].suggestion == "#kirkkonummi #kyrkslätt #yhdessätillsammans"
    assert found[0].message == "Lisää #kirkkonummi #kyrkslätt #yhdessätillsammans"
    assert found[0].severity == "suggestion" and found[0].field == "text.fi" and found[0].span is None


def test_mode_all_lists_only_the_missing_tags(all_tags):
    found = all_tags.check(doc(text={"fi": "Tervetuloa! #Kirkkonummi", "sv": "Välkommen! #kyrkslätt"}))
    assert [f.suggestion for f in found] == ["#yhdessätillsammans"]
    assert all_tags.check(doc(text={"fi": "#kirkkonummi #YhdessäTillsammans", "sv": "#Kyrkslätt"})) == []


def test_message_in_swedish_for_a_swedish_post(all_tags):
    found = all_tags.check(doc(text={"sv": "Välkommen till biblioteket! #kyrkslätt"}))
    assert found[0].message == "Lägg till #kirkkonummi #yhdessätillsammans"


def test_decomposed_unicode_matches_the_composed_tag(all_tags):
    decomposed = "#kyrksla\u0308tt"  # "ä" as a + combining diaeresis
    found = all_tags.check(doc(text={"sv": f"Hej! #kirkkonummi {decomposed} #yhdessätillsammans"}))
    assert found == []


def test_params_override_the_packs_tags_with_or_without_hash(tmp_path):
    checker = checker_for(tmp_path, [rule(hashtags=["ranua", "#Ranuanzoo"])], hashtags=TAGS)
    assert checker.check(doc(text={"fi": "Tervetuloa! #ranuanzoo"})) == []
    found = checker.check(doc(text={"fi": "Tervetuloa! #kirkkonummi"}))
    assert [f.suggestion for f in found] == ["#ranua #Ranuanzoo"]


def test_replies_comments_and_empty_tag_lists_are_left_alone(tmp_path, any_tag):
    assert any_tag.check(doc(kind="reply", text={"fi": "Kiitos! t. Maija"})) == []
    assert any_tag.check(doc(kind="comment", text={"fi": "Hienoa!"})) == []
    no_tags = checker_for(tmp_path, [rule()])
    assert no_tags.check(doc(text={"fi": "Tervetuloa!"})) == []
