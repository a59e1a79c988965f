"""Word tokens: letters and digits of any script, inner hyphens, colons and apostrophes."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from somevahti.text.tokens import sentences, tokenize

LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]+(?:[-:'’][\p{L}\p{N}]+)*")


def test_words_keep_inner_hyphens_colons_and_apostrophes():
    assert [t.text for t in tokenize("EU:n Kela-kortti, ei—ole_auki! O'Brien 12,5 % ½ kpl")] == [
        "EU:n",
        "Kela-kortti",
        "ei",
        "ole",
        "auki",
        "O'Brien",
        "12",
        "5",
        "½",
        "kpl",
    ]
    tok = tokenize("  Hyvää päivää")[1]
    assert (tok.text, tok.start, tok.end, tok.lower) == ("päivää", 8, 14, "päivää")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cn")), max_size=60))
def test_a_word_is_a_run_of_letters_and_digits_of_any_script(text):
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == [
        (m.group(0), m.start(), m.end()) for m in LETTER_OR_DIGIT.finditer(text)
    ]


def test_sentences_end_at_punctuation_before_space_or_a_line_break():
    text = "Tervetuloa! Ovet aukeavat klo 9.30 tänään.\nVälkommen"
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Tervetuloa!",
        "Ovet aukeavat klo 9.30 tänään.",
        "Välkommen",
    ]
