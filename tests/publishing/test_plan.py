"""Planning the platform posts: language modes, splitting at sentence boundaries, the platforms' counting."""

import pytest

from somevahti import channels
from somevahti.channels.publishing import PublishCapabilities
from somevahti.policy.loader import load_pack
from somevahti.publishing.plan import PlanError, measure, plan, split_text
from tests.publishing.conftest import doc

THREADS = PublishCapabilities(threads=True)
NO_THREADS = PublishCapabilities()


def test_split_keeps_every_word_and_ends_pieces_at_sentences():
    text = "Ensimmäinen lause on tässä. Toinen lause kysyy jotain? Kolmas huudahtaa! " * 12
    pieces = split_text(text, channels.get("bluesky").limits)
    assert len(pieces) > 1
    assert " ".join(pieces).split() == text.split()
    assert all(measure(p, channels.get("bluesky").limits) <= 300 and p[-1] in ".?!" for p in pieces)


def test_an_overlong_sentence_is_split_between_words_not_inside_them():
    sentence = " ".join(["pitkäsanainen"] * 60) + "."
    pieces = split_text(sentence, channels.get("bluesky").limits)
    assert " ".join(pieces) == sentence and all(not p.startswith(" ") for p in pieces)


def test_x_counts_a_link_as_23_and_finnish_letters_as_one():
    limits = channels.get("x").limits
    assert measure("https://www.kirkkonummi.fi/ajankohtaista/hyvin-pitka-osoite-joka-on-pitka", limits) == 23
    assert measure("äö" * 10, limits) == 20


def test_a_word_too_long_for_any_post_is_refused_not_cut():
    with pytest.raises(PlanError):
        split_text("x" * 400, channels.get("bluesky").limits)


def test_modes_thread_one_update_and_separate():
    pack = load_pack("kirkkonummi")
    d = doc(channel="mastodon")
    thread = plan(d, pack, "k", channels.get("mastodon").limits, THREADS)
    assert [(p.part.languages, p.reply_to) for p in thread.parts] == [(("fi",), None), (("sv",), 0)]
    fb = plan(doc(channel="facebook"), pack, "k", channels.get("facebook").limits, NO_THREADS)
    assert (
        len(fb.parts) == 1
        and fb.parts[0].part.text.startswith("Kirjasto")
        and "Biblioteket" in fb.parts[0].part.text
    )
    separate = pack.model_copy(
        update={"publishing": pack.publishing.model_copy(update={"languages": {"mastodon": "separate"}})}
    )
    sep = plan(d, separate, "k", channels.get("mastodon").limits, THREADS)
    assert [p.reply_to for p in sep.parts] == [None, None]
    assert [p.part.key for p in sep.parts] == ["k:0", "k:1"]


def test_a_thread_without_threads_becomes_separate_posts():
    pack = load_pack("kirkkonummi")
    out = plan(doc(channel="mastodon"), pack, "k", channels.get("mastodon").limits, NO_THREADS)
    assert out.mode == "separate" and [p.reply_to for p in out.parts] == [None, None]
