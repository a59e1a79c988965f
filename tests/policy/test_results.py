"""Results from the archive, against hand counts on a small fixture organisation (Kirkkonummi's pack:
shared Facebook posts need Finnish and Swedish)."""

from __future__ import annotations

from datetime import date

import pytest

from somevahti.archive.api import Archive
from somevahti.check import Checker
from somevahti.policy import load_pack
from somevahti.policy.results import findings_per_100, language_coverage, posts_from_archive, posts_per_week

ORG = "kirkkonummi"
OK_FI = "Kirjasto on auki lauantaina klo 10–16. Lue lisää: https://www.kirkkonummi.fi/kirjasto #kirkkonummi"
OK_SV = "Biblioteket är öppet på lördag kl. 10–16. Läs mer: https://www.kirkkonummi.fi/kirjasto #kyrkslätt"
# (subject, account, unit, day, texts)
POSTS = [
    ("fb:1", "facebook:kirkkonummi", "Viestintä", "2026-03-02T09:00:00Z", {"fi": OK_FI, "sv": OK_SV}),  # W10
    ("fb:2", "facebook:kirkkonummi", "Viestintä", "2026-03-04T09:00:00Z", {"fi": OK_FI}),  # W10, no sv
    ("fb:3", "facebook:kirjasto", "Kirjasto", "2026-03-05T09:00:00Z", {"fi": OK_FI, "sv": OK_SV}),  # W10
    ("fb:4", "facebook:kirjasto", "Kirjasto", "2026-03-10T09:00:00Z", {"fi": OK_FI}),  # W11, no sv
    ("fb:5", "facebook:kirjasto", "Kirjasto", "2026-03-12T09:00:00Z", {"fi": OK_FI}),  # W11, no sv
    ("fb:6", "facebook:kirjasto", "Kirjasto", "2026-04-20T09:00:00Z", {"fi": OK_FI}),  # outside the period
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("results")
    a = Archive.open(f"sqlite:///{tmp}/archive.sqlite3", media_dir=tmp / "media", keys_dir=tmp / "keys")
    a.init(ORG)
    for subject, account, unit, occurred, texts in POSTS:
        a.append(
            "post",
            {"event": "published", "texts": texts, "unit": unit, "channel": "facebook"},
            org=ORG,
            account=account,
            subject=subject,
            occurred=occurred,
        )
    # an edit of fb:1 and a comment: neither is a new post
    a.append(
        "post",
        {"event": "edited", "texts": {"fi": OK_FI}, "channel": "facebook"},
        org=ORG,
        account="facebook:kirkkonummi",
        subject="fb:1",
        occurred="2026-03-03T09:00:00Z",
    )
    a.append(
        "comment",
        {"event": "received", "texts": {"fi": "Kiitos!"}, "parent": "fb:1"},
        org=ORG,
        account="facebook:kirkkonummi",
        subject="fb:1/c1",
        occurred="2026-03-03T10:00:00Z",
    )
    yield a
    a.close()


def period(archive):
    return posts_from_archive(archive, ORG, date(2026, 3, 1), date(2026, 3, 31))


def test_posts_per_week_by_language(archive):
    posts = period(archive)
    assert [p.subject for p in posts] == ["fb:1", "fb:2", "fb:3", "fb:4", "fb:5"]
    assert posts_per_week(posts) == [
        {"week": "2026-W10", "lang": "fi", "posts": 3},
        {"week": "2026-W10", "lang": "sv", "posts": 2},
        {"week": "2026-W11", "lang": "fi", "posts": 2},
    ]


def test_share_of_posts_with_every_required_language(archive):
    pack = load_pack("kirkkonummi")
    rows = language_coverage(period(archive), pack)
    assert rows == [
        {"name": "facebook:kirjasto", "posts": 3, "required": 3, "complete": 1, "share": 33.3},
        {"name": "facebook:kirkkonummi", "posts": 2, "required": 2, "complete": 1, "share": 50.0},
    ]
    by_unit = {r["name"]: r["share"] for r in language_coverage(period(archive), pack, by="unit")}
    assert by_unit == {"Kirjasto": 33.3, "Viestintä": 50.0}
    only = posts_from_archive(
        archive, ORG, date(2026, 3, 1), date(2026, 3, 31), accounts={"facebook:kirkkonummi"}
    )
    assert [p.subject for p in only] == ["fb:1", "fb:2"]


@pytest.mark.slow
def test_findings_per_100_posts_by_rule_and_week(archive):
    checker = Checker(load_pack("kirkkonummi"), use_ner=False)
    rows = {(r["week"], r["rule"]): r for r in findings_per_100(period(archive), checker)}
    # the Swedish version is missing on one of W10's three posts and on both of W11's
    assert rows[("2026-W10", "kirk-bilingual-facebook")] == {
        "week": "2026-W10",
        "rule": "kirk-bilingual-facebook",
        "posts": 3,
        "findings": 1,
        "per_100": 33.3,
    }
    assert rows[("2026-W11", "kirk-bilingual-facebook")]["per_100"] == 100.0
    assert not [k for k in rows if k[1] == "kirk-tone"]
