"""Language identification shortcuts: Voikko may confirm Finnish, never claim another language."""

import pytest

from somevahti.text import langid


@pytest.mark.parametrize(
    "text",
    [
        "Milloin kirjaston uudet aukioloajat tulevat voimaan ensi vuonna?",
        "Hakemukseni on ollut käsittelyssä jo kaksi kuukautta, eikä kukaan vastaa puhelimeen.",
        "Te ette osaa hoitaa mitään oikein, aivan turha laitos koko kunta.",
    ],
)
def test_plain_finnish_is_confirmed_without_lingua(text):
    assert langid.finnish_by_voikko(text)


@pytest.mark.parametrize(
    "text",
    [
        "När öppnar biblioteket igen efter renoveringen i höst?",
        "Tack för en fin konsert i går, det var verkligen trevligt!",
        "When will the library open again after the renovation?",
        "Kiitos!",  # too short to confirm anything
        "Mä en tajuu et miks tää kestää nii kauan ku ei kukaa vastaa",  # colloquial: lingua decides
    ],
)
def test_swedish_english_short_and_colloquial_texts_are_left_to_lingua(text):
    assert not langid.finnish_by_voikko(text)
