"""Platform length counting: the shortcut for text whose every character is one grapheme counts exactly
as the full grapheme segmentation does, in every platform's way of counting."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from somevahti.text import length

# Finnish and Swedish letters, punctuation, controls, CR LF, combining marks, joiners, emoji, flags, URLs
PIECES = st.sampled_from(
    [
        "a",
        "ä",
        "Ö",
        "å",
        " ",
        ".",
        "–",
        "—",
        "”",
        "…",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\u00ad",
        "€",
        "e\u0301",
        "\u200d",
        "\u200b",
        "👍",
        "👩\u200d💻",
        "🇫🇮",
        "❤\ufe0f",
        "ʼ",
        "https://www.kirkkonummi.fi/kirjasto",
        " #kirjasto",
        "ą",
        "ﬁ",
        "\u2028",
        "한",
        "\u0085",
    ]
)


def _slow(text, url_weight, weight):
    units, pos = [], 0
    urls = length.find_urls(text) if url_weight is not None else []
    for url in [*urls, None]:
        stop = url.start if url else len(text)
        units += [
            (pos + m.start(), pos + m.end(), weight(m.group(0)))
            for m in regex.finditer(r"\X", text[pos:stop])
        ]
        if url:
            units.append((url.start, url.end, url_weight))
            pos = url.end
    return tuple(units)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_shortcut_counts_as_the_grapheme_segmentation_does(text):
    assert length.grapheme_units(text) == _slow(text, None, lambda g: 1)
    assert length.mastodon_units(text) == _slow(text, length.MASTODON_URL_LENGTH, len)
    nfc = length.unicodedata.normalize("NFC", text)
    assert length.x_units(text) == _slow(nfc, length.X_URL_LENGTH, length._x_weight)


def test_a_finnish_post_counts_each_letter_once_and_a_link_as_23_on_x():
    text = "Kirjasto on auki – tervetuloa! https://www.kirkkonummi.fi/kirjasto"
    assert length.measure(length.x_units(text)) == len("Kirjasto on auki – tervetuloa! ") + 23
    assert length.measure(length.grapheme_units("Hyvää päivää 👩‍💻🇫🇮")) == len("Hyvää päivää ") + 2
