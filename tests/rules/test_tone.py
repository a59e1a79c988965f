"""The tone rules' signal from a reply's form (text/tone.py, rules/meaning.py): a sarcastic or
condescending reply gets a tone finding that points at the sentence, names the marker and cites the
rule's clause; a brief, firm but polite reply gets none. Invented replies, not from any corpus."""

from __future__ import annotations

import pytest

from somevahti.check import Checker
from somevahti.document import PostDocument
from somevahti.policy.loader import load_pack
from somevahti.rules import meaning
from somevahti.text import semantic, tone

needs_model = pytest.mark.skipif(not semantic.available(), reason="the semantic model is not installed")


def _findings(pack: str, text: str):
    post = {"channel": "facebook", "kind": "reply", "text": text}
    checker = Checker(load_pack(pack))
    return checker.check(PostDocument.model_validate(post))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Kiitos taas tästä syvällisestä palautteesta, se on hyvin otettu huomioon.", "sarcasm"),
        ("Kuten jo kerrottu, hakemus käsitellään kuukauden kuluessa.", "repeated"),
        ("Jos olisitte lukeneet tiedotteen, tietäisitte aukioloajat.", "blame"),
        ("Som sagt stänger simhallen klockan åtta.", "repeated"),
        ("Om ni hade läst villkoren hade ni vetat det.", "blame"),
        ("As already stated, the form is on our website.", "repeated"),
        ("If you had read the confirmation, you would know the date.", "blame"),
        ("Luitko edes edellisen vastauksemme?", "blame"),
        ("Har du ens läst bruksanvisningen?", "blame"),
        ("Did you even read the pinned post?", "blame"),
        ("Jos lomake tuntuu liian vaikealta, pyydä joku aikuinen auttamaan.", "belittle"),
        ("Sweetie, that's how the settings work.", "belittle"),
        ("Lugn nu, det är bara en lampa.", "dismiss"),
    ],
)
def test_markers_name_their_kind(text, kind):
    assert kind in {m.kind for m in tone.markers(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Kiitos kysymyksestä! Lomake löytyy verkkosivuiltamme kohdasta Asiointi.",
        "Ei, lomaketta ei voi palauttaa sähköpostilla.",
        "Det går tyvärr inte. Hör av dig till kundtjänst om du har fler frågor.",
        "Läs mer på vår webbplats.",
        "Thank you for your feedback, we have passed it on to the team.",
        # sincere or informative uses of the markers' words
        "Kiitos taas kaikille osallistujille, ensi vuonna uudestaan!",
        "Kuten kerroimme viime viikolla, uimahalli avautuu maanantaina.",
        "Tietoja voi aina muuttaa OmaKelassa.",
        "Kerromme selvällä suomella, mitä muutos tarkoittaa.",
        "Bussen går tre gånger i timmen.",
        "Häng med på vandringen på lördag!",
        "Det är inte svårt att ansöka, så här gör du.",
        "Här är länken, varsågod.",
        "We will hold your hand through the whole process.",
        "It isn't that hard to apply: here is how.",
        # helpful replies in the forms the round-9 markers read
        "Jos et ymmärrä päätöstä, voit pyytää siitä selvitystä.",
        "Om du inte förstår beslutet kan du kontakta oss.",
        "If you can't find the form, call us and we will send it.",
        "Lapsen mukana tulee olla joku aikuinen.",
        "Katso ensin ohjeet verkkosivuiltamme, ja soita, jos jokin jää epäselväksi.",
        "Läs igenom villkoren ordentligt innan du beställer.",
        "This is not an emergency number: in an emergency call 112.",
        "Don't worry, it's not hard to apply online.",
    ],
)
def test_polite_replies_carry_no_marker(text):
    assert tone.markers(text) == []


@needs_model
def test_a_sarcastic_finnish_reply_gets_a_tone_finding_citing_the_clause():
    text = "Kiitos taas tästä valaisevasta palautteesta. Katuvalot korjataan, kun korjausvuoro tulee."
    found = [f for f in _findings("kirkkonummi", text) if f.rule == "kirk-tone"]
    assert found, "the sarcastic reply should get a tone finding"
    f = found[0]
    assert f.clauses == ["KIRK-3.2"]
    assert text[f.span[0] : f.span[1]].startswith("Kiitos taas")
    assert "Luettu sävyn perusteella: ”Kiitos taas tästä valaisevasta”" in f.message
    assert "teeskenneltyä kiitosta" in f.message


@needs_model
@pytest.mark.parametrize(
    ("pack", "rule", "clauses", "text", "marker"),
    [
        (
            "foretaget",
            "foretaget-tone",
            ["SF-7"],
            "Batteriet ingår inte i garantin. Det står i villkoren, så svårt är det inte. /Lena, kundtjänst",
            "så svårt är det inte",
        ),
        (
            "kela",
            "kela-manners",
            ["KELA-1.4", "KELA-1.2"],
            "Tack för den otroligt insiktsfulla kommentaren. Ansökningarna behandlas i tur och ordning.",
            "Tack för den otroligt insiktsfulla",
        ),
    ],
)
def test_a_condescending_swedish_reply_gets_a_tone_finding_citing_the_clause(
    pack, rule, clauses, text, marker
):
    found = [f for f in _findings(pack, text) if f.rule == rule]
    assert found, "the condescending reply should get a tone finding"
    assert found[0].clauses == clauses
    assert f"Läst efter ton: ”{marker}”" in found[0].message
    assert marker in text[found[0].span[0] : found[0].span[1]]


@needs_model
@pytest.mark.parametrize(
    ("pack", "rule", "text"),
    [
        (
            "kirkkonummi",
            "kirk-tone",
            "Kiitos viestistä. Katuvalot korjataan tällä viikolla, emmekä valitettavasti voi aikaistaa.",
        ),
        (
            "kela",
            "kela-manners",
            "Ei, lomaketta ei voi palauttaa sähköpostilla. Voit lähettää sen OmaKelassa.",
        ),
        (
            "foretaget",
            "foretaget-tone",
            "Tyvärr ingår batteriet inte i garantin. Hör av dig om du har fler frågor. /Lena, kundtjänst",
        ),
        ("kirkkonummi", "kirk-tone", "Nej, biblioteket är stängt på söndagar. Välkommen på måndag!"),
    ],
)
def test_a_polite_firm_reply_gets_no_tone_finding(pack, rule, text):
    assert [f.message for f in _findings(pack, text) if f.rule == rule] == []


def test_the_explanation_names_the_marker_in_every_language():
    marker = tone.markers("Som sagt stänger vi klockan åtta.")[0]
    why = meaning.why("tone", 0.4, "Läs inlägget igen.", marker)
    assert "Som sagt" in why["fi"] and "sävyn" in why["fi"]
    assert "Som sagt" in why["sv"] and "ton" in why["sv"]
    assert "Som sagt" in why["en"] and "a reminder that it was said before" in why["en"]
