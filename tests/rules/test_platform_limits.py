"""Platform limits: each channel counts length its own way."""

import pytest

from tests.helpers import checker_for, doc

RULE = {
    "id": "limits",
    "family": "platform_limits",
    "messages": {v: {"fi": v, "sv": v, "en": v} for v in ("combined", "hashtags")},
}


@pytest.fixture
def checker(tmp_path):
    return checker_for(tmp_path, [RULE])


def hits(checker, **fields):
    return checker.check(doc(**fields))


def test_x_counts_urls_as_23_and_emoji_as_2(checker):
    url = "https://www.kirkkonummi.fi/" + "a" * 200
    assert not hits(checker, channel="x", text={"fi": "a" * 256 + " " + url}), "257 + 23 = 280 fits"
    assert hits(checker, channel="x", text={"fi": "a" * 257 + " " + url}), "258 + 23 = 281 does not"
    assert not hits(checker, channel="x", text={"fi": "a" * 278 + "😀"})
    assert hits(checker, channel="x", text={"fi": "a" * 279 + "😀"})
    assert hits(checker, channel="x", text={"fi": "界" * 141}), "CJK weighs 2"


def test_x_limit_applies_to_each_language_version(checker):
    assert not hits(checker, channel="x", text={"fi": "a" * 270, "sv": "b" * 270})
    found = hits(checker, channel="x", text={"fi": "a" * 270, "sv": "b" * 281})
    assert [f.field for f in found] == ["text.sv"]
    assert found[0].span == (280, 281), "the span starts where the text stops fitting"


def test_facebook_versions_go_in_one_update(checker):
    found = hits(checker, channel="facebook", text={"fi": "a" * 40000, "sv": "b" * 30000})
    assert len(found) == 1 and found[0].field == "text.sv" and found[0].message == "combined"


def test_bluesky_counts_graphemes(checker):
    family = "👨‍👩‍👧"  # one grapheme, five code points
    assert not hits(checker, channel="bluesky", text={"fi": family * 300})
    assert hits(checker, channel="bluesky", text={"fi": family * 301})


def test_mastodon_limit_follows_channel_settings(tmp_path):
    default = checker_for(tmp_path, [RULE])
    custom = checker_for(tmp_path, [RULE], channels={"mastodon": {"max_chars": 1000}})
    assert default.check(doc(channel="mastodon", text="a" * 600))
    assert not custom.check(doc(channel="mastodon", text="a" * 600))


def test_instagram_hashtag_cap_and_youtube_title_and_bytes(checker):
    tags = " ".join(f"#tag{i}" for i in range(31))
    found = hits(checker, channel="instagram", text={"fi": tags})
    assert [f.message for f in found] == ["hashtags"]
    assert not hits(checker, channel="instagram", text={"fi": " ".join(f"#tag{i}" for i in range(30))})
    assert hits(checker, channel="youtube", title="T" * 101, text="ok")
    assert hits(checker, channel="youtube", text="ä" * 2501), "5,000 bytes, and ä takes two"
    assert not hits(checker, channel="youtube", text="a" * 5000)


def test_no_channel_no_limit(checker):
    assert not hits(checker, text="a" * 100000)
