"""Colloquial Finnish: telling spoken-language words from typos (RANUA-S.5, KIRK-4.5).

Two sources:

- wordfreq (Robyn Speer; data CC BY-SA 4.0, code Apache-2.0): a word the spell checker rejects
  but people write often ("mä", "meijän", "ootte") is colloquial, not a typo.
- the curated lists below (written for somevahti, CC0-1.0): words Voikko accepts because they are
  in the dictionary, but which Kielitoimiston sanakirja marks as colloquial (ark.), and the
  standard form to suggest for common colloquial words.
"""

from __future__ import annotations

from functools import lru_cache

# Base forms Voikko accepts that are colloquial in standard written Finnish (Kielitoimiston sanakirja: ark.).
FI_ACCEPTED_COLLOQUIAL = frozenset(
    {
        "kiva",
        "moi",
        "moikka",
        "moro",
        "heippa",
        "okei",
        "jee",
        "duuni",
        "fiilis",
        "porukka",
        "jengi",
    }
)
# "tosi" is standard as a noun or adjective ("tosi asia"); before an adjective or adverb it is the
# colloquial intensifier "tosi kiva" (standard: todella, erittäin).
FI_INTENSIFIERS = frozenset({"tosi"})
INTENSIFIED_CLASSES = frozenset({"laatusana", "nimisana_laatusana", "seikkasana"})

# Colloquial form → standard form, for the suggestion.
FI_STANDARD = {
    "mä": "minä",
    "mää": "minä",
    "sä": "sinä",
    "sää": "sinä",
    "mun": "minun",
    "sun": "sinun",
    "mulle": "minulle",
    "sulle": "sinulle",
    "multa": "minulta",
    "sulta": "sinulta",
    "mua": "minua",
    "sua": "sinua",
    "meijän": "meidän",
    "teijän": "teidän",
    "nää": "nämä",
    "noi": "nuo",
    "toi": "tuo",
    "tää": "tämä",
    "tän": "tämän",
    "ton": "tuon",
    "ootte": "olette",
    "oon": "olen",
    "oot": "olet",
    "ois": "olisi",
    "uus": "uusi",
    "siel": "siellä",
    "sielt": "sieltä",
    "tääl": "täällä",
    "meil": "meillä",
    "teil": "teillä",
    "tuu": "tule",
    "tuun": "tulen",
    "tuutko": "tuletko",
    "nähään": "nähdään",
    "mennää": "mennään",
    "kaikkii": "kaikkia",
    "kans": "myös",
    "sit": "sitten",
    "niinku": "niin kuin",
    "tänää": "tänään",
    "kiva": "mukava",
    "kivaa": "mukavaa",
    "moi": "hei",
    "moikka": "hei",
    "moro": "hei",
    "heippa": "hei",
    "okei": "selvä",
    "jee": "hienoa",
    "tosi": "todella",
    "duuni": "työ",
    "fiilis": "tunnelma",
    "porukka": "joukko",
    "jengi": "joukko",
    "tsekkaa": "tutustu",
    "tsekatkaa": "tutustukaa",
}


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """How common the word is in running text (Zipf scale: 3 ≈ once per million words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def standard_form(word: str) -> str | None:
    low = word.casefold()
    standard = FI_STANDARD.get(low)
    if standard and word[:1].isupper():
        return standard[:1].upper() + standard[1:]
    return standard
