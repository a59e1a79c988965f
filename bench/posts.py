"""Realistic posts for benchmarks: the labelled corpus (tests/corpus/*.yaml) plus generated ones.

The generated posts follow what a municipality's and an agency's accounts publish in Finnish and
Swedish: events, opening hours, road works, replies signed by an official, residents' comments,
and now and then a post with someone's phone, address, identity code or name in it. Invented
data only (CC0-1.0, written for somevahti).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from somevahti.document import PostDocument

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"

PLACES = [
    ("Pääkirjasto", "Huvudbiblioteket"),
    ("Masalan kirjasto", "Masaby bibliotek"),
    ("Uimahalli", "Simhallen"),
    ("Nuorisotalo", "Ungdomsgården"),
    ("Kunnantalo", "Kommunhuset"),
    ("Terveysasema", "Hälsostationen"),
    ("Kulttuurikeskus", "Kulturcentret"),
]
EVENTS = [
    ("satutunti lapsille", "sagostund för barn"),
    ("lukupiiri", "läsecirkel"),
    ("asukasilta", "invånarkväll"),
    ("konsertti", "konsert"),
    ("digiapu-ilta", "digihjälpkväll"),
    ("taidenäyttely", "konstutställning"),
    ("kirpputori", "loppis"),
]
WEEKDAYS = [
    ("maanantaina", "måndag"),
    ("tiistaina", "tisdag"),
    ("keskiviikkona", "onsdag"),
    ("torstaina", "torsdag"),
    ("perjantaina", "fredag"),
    ("lauantaina", "lördag"),
]
STREETS = [
    ("Kirkkotie", "Kyrkvägen"),
    ("Asematie", "Stationsvägen"),
    ("Rantakatu", "Strandgatan"),
    ("Koulupolku", "Skolstigen"),
    ("Myllykuja", "Kvarngränd"),
]
FIRST = ["Maija", "Pekka", "Liisa", "Jukka", "Anna", "Mikko", "Sari", "Timo", "Erik", "Johanna"]
LAST = ["Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Salminen", "Lindström", "Heikkinen", "Laine"]
UNITS = ["kuntatekniikka", "kirjastopalvelut", "nuorisopalvelut", "asiakaspalvelu", "viestintä"]
SLUGS = ["kirjasto", "tapahtumat", "liikunta", "katutyot", "nuoriso", "kulttuuri"]
CHANNELS = ["facebook", "instagram", "x", "linkedin", "bluesky", "mastodon"]


def _date(rng: random.Random) -> tuple[int, int]:
    return rng.randint(1, 28), rng.randint(1, 12)


def _event(rng: random.Random) -> dict:
    (pfi, psv), (efi, esv), (wfi, wsv) = rng.choice(PLACES), rng.choice(EVENTS), rng.choice(WEEKDAYS)
    d, m = _date(rng)
    h = rng.randint(9, 18)
    slug = rng.choice(SLUGS)
    fi = (
        f"{pfi} järjestää {wfi} {d}.{m}. klo {h}–{h + 2} {efi}. Tapahtuma on maksuton ja kaikille avoin, "
        f"tervetuloa mukaan! Lue lisää: https://www.kirkkonummi.fi/{slug} #kirkkonummi"
    )
    sv = (
        f"{psv} ordnar {esv} på {wsv} {d}.{m} kl. {h}–{h + 2}. "
        f"Evenemanget är avgiftsfritt och öppet för alla, "
        f"välkommen! Läs mer: https://www.kirkkonummi.fi/{slug} #kyrkslätt"
    )
    media = []
    if rng.random() < 0.5:
        media = [
            {
                "type": "image",
                "alt": {
                    "fi": f"{pfi} ulkoa kuvattuna kesäpäivänä.",
                    "sv": f"{psv} fotograferad utifrån en sommardag.",
                },
                "rights": {"holder": "Kirkkonummen kunta", "licence": "own"},
            }
        ]
    return {"channel": rng.choice(CHANNELS), "text": {"fi": fi, "sv": sv}, "media": media}


def _roadworks(rng: random.Random) -> dict:
    (sfi, ssv), (ofi, osv) = rng.sample(STREETS, 2)
    d, m = _date(rng)
    a = rng.randint(1, 20)
    return {
        "channel": "facebook",
        "text": {
            "fi": f"{sfi} {a}–{a + 10} on suljettu {d}.{m}. alkaen "
            f"vesijohtotöiden vuoksi noin kahden viikon ajan. "
            f"Kiertotie kulkee {ofi}n kautta. Lisätietoja kuntatekniikka@kirkkonummi.fi #kirkkonummi",
            "sv": f"{ssv} {a}–{a + 10} är avstängd från {d}.{m} på grund av "
            f"vattenledningsarbeten i cirka två veckor. "
            f"Omvägen går via {osv}. Mer information kuntatekniikka@kirkkonummi.fi #kyrkslätt",
        },
    }


def _reply(rng: random.Random) -> dict:
    first, last, unit = rng.choice(FIRST), rng.choice(LAST), rng.choice(UNITS)
    d, m = _date(rng)
    return {
        "channel": "facebook",
        "kind": "reply",
        "text": {
            "fi": (
                "Kiitos palautteesta! Asia on välitetty eteenpäin, ja korjaus on suunniteltu "
                f"viikolle, joka alkaa {d}.{m}. "
                f"Voit seurata tilannetta verkkosivuiltamme.\n/{first} {last}, {unit}"
            )
        },
    }


def _comment_with_data(rng: random.Random) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    street = rng.choice(STREETS)[0]
    kind = rng.randrange(4)
    if kind == 0:
        text = (
            f"Naapurini {first} {last} on jättänyt roskat kadulle jo viikon, soittakaa hänelle "
            f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}."
        )
    elif kind == 1:
        text = (
            f"Katuvalo on rikki talon {street} {rng.randint(1, 40)} B {rng.randint(1, 30)} "
            "kohdalla, korjatkaa pian."
        )
    elif kind == 2:
        text = f"Lähetin hakemuksen, henkilötunnukseni on 131052-308T. Milloin saan päätöksen? t. {first}"
    else:
        text = (
            f"Kiitos {first} {last} eilisestä! Kuvat voi lähettää osoitteeseen "
            f"{first.lower()}.{last.lower()}@gmail.com."
        )
    # a comment pasted as plain text: its language is detected
    return {"channel": "facebook", "account_kind": "personal", "kind": "comment", "text": text}


def _expert(rng: random.Random) -> dict:
    d, m = _date(rng)
    return {
        "channel": "linkedin",
        "account_kind": "expert",
        "text": (
            f"Työskentelen Kirkkonummen kunnalla liikennesuunnittelijana. Esittelin tänään {d}.{m}. "
            "uuden pyöräilyverkon suunnitelman asukasillassa, ja keskustelu oli vilkasta. Suunnitelma on "
            "nähtävillä kunnan verkkosivuilla kuukauden ajan, ja siitä voi antaa palautetta "
            "verkkolomakkeella."
        ),
    }


MAKERS = [(_event, 5), (_roadworks, 2), (_reply, 2), (_comment_with_data, 1), (_expert, 1)]


def generated_posts(n: int, seed: int = 1) -> list[PostDocument]:
    rng = random.Random(seed)
    makers = [m for m, weight in MAKERS for _ in range(weight)]
    return [PostDocument.model_validate(rng.choice(makers)(rng)) for _ in range(n)]


def corpus_posts() -> list[PostDocument]:
    out = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fields = {k: v for k, v in item.items() if k in PostDocument.model_fields}
            out.append(PostDocument.model_validate(fields))
    return out


def posts(n: int = 600, seed: int = 1) -> list[PostDocument]:
    """The corpus first, then generated posts up to ``n`` in all."""
    found = corpus_posts()[:n]
    return found + generated_posts(n - len(found), seed)
