"""The `somevahti archive` command: one pass through init, record, search, export and verification."""

import json

import pytest

from somevahti.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_DB", f"sqlite:///{tmp_path}/a.sqlite3")
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_MEDIA", str(tmp_path / "media"))
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("SOMEVAHTI_ORG", "kunta")
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")
    return tmp_path


def test_archive_command_round_trip(env, capsys):
    assert main(["archive", "init"]) == 0
    payload = env / "post.json"
    payload.write_text(json.dumps({"event": "published", "texts": {"fi": "Kirjasto on auki"}}))
    assert (
        main(
            [
                "archive",
                "record",
                "post",
                str(payload),
                "--account",
                "fb",
                "--subject",
                "fb:1",
                "--actor",
                "anna",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["archive", "search", "kirjastossa", "--format", "json"]) == 0
    assert [h["subject"] for h in json.loads(capsys.readouterr().out)] == ["fb:1"]
    assert main(["archive", "verify"]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["archive", "export", str(env / "b.zip"), "--account", "fb", "--no-progress"]) == 0
    (env / "pub").write_text((env / "keys" / "kunta.pub").read_text())
    assert main(["archive", "verify-export", str(env / "b.zip"), "--public-key", str(env / "pub")]) == 0
    assert (
        main(
            [
                "archive",
                "verify-export",
                str(env / "b.zip"),
                "--public-key",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            ]
        )
        == 1
    )


def test_errors_are_one_line_and_exit_2(env, capsys):
    assert main(["archive", "init"]) == 0
    bad = env / "bad.json"
    bad.write_text("[1, 2]")
    assert main(["archive", "record", "post", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "JSON object" in err
    assert main(["archive", "retention", "set", "fb"]) == 2


def test_verify_fails_with_exit_1_and_names_the_record(env, capsys):
    import sqlite3

    main(["archive", "init"])
    payload = env / "p.json"
    payload.write_text(json.dumps({"texts": {"fi": "Hei"}}))
    for _ in range(3):
        main(["archive", "record", "post", str(payload)])
    db = sqlite3.connect(env / "a.sqlite3")
    db.execute("DROP TRIGGER archive_record_no_delete")
    db.execute("DELETE FROM archive_record WHERE seq = 2")
    db.commit()
    capsys.readouterr()
    assert main(["archive", "verify"]) == 1
    assert "record 2 is missing" in capsys.readouterr().out
