"""Back-filling imports from the documented export formats: what is added, what is skipped, idempotency."""

from pathlib import Path

import pytest

from somevahti.archive.imports import run_import
from somevahti.archive.search import Query, search
from somevahti.archive.verify import verify

FIXTURES = Path(__file__).with_name("fixtures")


def reasons(result):
    return sorted(s["reason"] for s in result.skipped)


def test_mastodon_outbox(archive):
    result = run_import(
        archive, "mastodon", FIXTURES / "mastodon", org="kunta", account="masto", actor="admin"
    )
    assert result.added == 2
    assert any("boost" in r for r in reasons(result)) and any("direct message" in r for r in reasons(result))
    first = archive.get("kunta", 1)
    assert first.subject == "mastodon:https://mastodon.example/users/kunta/statuses/111"
    assert first.payload["texts"] == {"fi": "Kirjasto on suljettu maanantaina."}
    assert first.payload["media"][0]["alt"] == "Kirjaston sisäänkäynti" and len(first.media) == 1
    assert first.occurred == "2024-01-15T09:00:00.000000Z"
    reply = archive.get("kunta", 2)
    assert reply.kind == "reply" and reply.payload["texts"]["fi"] == "Kiitos palautteesta!\nKorjaamme asian."
    assert archive.get("kunta", 3).kind == "import"


def test_x_tweets_js(archive):
    result = run_import(archive, "x", FIXTURES / "x", org="kunta", account="x", actor="admin")
    assert result.added == 3 and any("retweet" in r for r in reasons(result))
    tweet = archive.get("kunta", 1)
    assert tweet.subject == "x:1790000000000000001"
    assert (
        tweet.payload["texts"]["fi"]
        == "Uimahalli avataan taas 1.6. Lue lisää https://kunta.example/uimahalli"
    )
    assert tweet.payload["media"][0]["alt"] == "Uimahallin allas" and len(tweet.media) == 1
    assert archive.get("kunta", 3).payload["texts"] == {"sv": "Biblioteket har öppet på lördag."}


def test_meta_facebook_and_instagram(archive):
    result = run_import(archive, "meta", FIXTURES / "meta", org="kunta", account="fb", actor="admin")
    assert result.added == 3
    assert any("no text, media or link" in r for r in reasons(result))
    texts = [archive.get("kunta", s).payload for s in (1, 2, 3)]
    bodies = [next(iter(p["texts"].values()), "") for p in texts]
    assert (
        "Hyvää uutta vuotta kuntalaisille! Kirjaston aukioloajat löytyvät verkkosivuilta." in bodies
    )  # mojibake repaired
    assert any(p.get("links") == ["https://kunta.example/tiedote"] for p in texts)
    assert any(b == "Talvinen Kirkkonummi ❄️" for b in bodies)
    assert search(archive, "kunta", Query(text="kirjastossa"))  # Voikko base forms for imported text too


@pytest.mark.parametrize("source, path", [("mastodon", "mastodon"), ("x", "x"), ("meta", "meta")])
def test_import_twice_adds_nothing(archive, source, path):
    first = run_import(archive, source, FIXTURES / path, org="kunta", account="a", actor="admin")
    head = archive.head("kunta")
    second = run_import(archive, source, FIXTURES / path, org="kunta", account="a", actor="admin")
    assert second.added == 0 and second.record is None
    assert archive.head("kunta") == head
    assert sum(s["reason"] == "already in the archive" for s in second.skipped) == first.added
    assert verify(archive, "kunta").ok


def test_missing_media_is_reported_and_the_post_kept(archive, tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "mastodon", tmp_path / "m")
    next((tmp_path / "m" / "media_attachments").rglob("*.png")).unlink()
    result = run_import(archive, "mastodon", tmp_path / "m", org="kunta", account="a", actor="admin")
    assert result.added == 2 and any("not in the export" in r for r in reasons(result))


def test_wrong_file_is_an_input_error(archive):
    from somevahti.errors import InputError

    with pytest.raises(InputError):
        run_import(
            archive, "x", FIXTURES / "mastodon" / "outbox.json", org="kunta", account="a", actor="admin"
        )
