"""The command-line contract: ``somevahti channel connect|list|test`` and ``somevahti publish`` with its
exit codes, run as a user would (subprocesses over a fresh data directory, web database and archive)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SOMEVAHTI_PUBLISH_DB", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "SOMEVAHTI_DATA_DIR": str(root / "var"),
            "SOMEVAHTI_SECRET_KEY": "test-only",
            "SOMEVAHTI_CHANNEL_KEY": Fernet.generate_key().decode(),
            "SOMEVAHTI_LANG": "en",
            "SOMEVAHTI_ARCHIVE_DB": f"sqlite:///{root}/archive.sqlite3",
            "SOMEVAHTI_ARCHIVE_KEYS": str(root / "keys"),
            "SOMEVAHTI_ARCHIVE_MEDIA": str(root / "media"),
            "SOMEVAHTI_ORG": "kirkkonummi",
            "SOMEVAHTI_PACK": "kirkkonummi",
            "XDG_DATA_HOME": str(root / "xdg"),
        }
    )

    def run(*args, stdin: str | None = None):
        return subprocess.run(
            [sys.executable, "-m", "somevahti", *args],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=300,
        )

    assert run("web", "migrate").returncode == 0
    assert run("archive", "init").returncode == 0
    (root / "post.yaml").write_text(
        "text:\n  fi: Kirjasto on auki tänään kello 10–18.\n  sv: Biblioteket är öppet i dag kl. 10–18.\n"
    )
    (root / "bad.yaml").write_text("text:\n  fi: Soita Matti Meikäläiselle, hänen hetunsa on 131052-308T.\n")
    r = run(
        "channel",
        "connect",
        "file",
        "--account",
        "mastodon:kirkkonummi",
        "--server",
        str(root / "platform"),
        "--create",
    )
    assert r.returncode == 0, r.stderr
    run.root = root
    return run


def lines(cli):
    path = cli.root / "platform" / "published.jsonl"
    return path.read_text().splitlines() if path.exists() else []


def test_publish_prints_each_part_and_the_same_key_publishes_once(cli):
    first = cli(
        "publish",
        "post.yaml",
        "--account",
        "mastodon:kirkkonummi",
        "--format",
        "json",
        "--idempotency-key",
        "tiedote-1",
    )
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert out["status"] == "published" and out["submitted_by"].startswith("cli:")
    assert [bool(p["id"]) and p["url"].startswith("file://") for p in out["parts"]] == [True, True]
    again = cli(
        "publish",
        "post.yaml",
        "--account",
        "mastodon:kirkkonummi",
        "--format",
        "json",
        "--idempotency-key",
        "tiedote-1",
    )
    assert again.returncode == 0 and json.loads(again.stdout)["parts"] == out["parts"]
    assert len(lines(cli)) == 2
    found = cli("archive", "search", "kirjasto", "--format", "json")
    assert out["parts"][0]["url"] in found.stdout


def test_error_findings_exit_1_and_nothing_is_sent(cli):
    before = len(lines(cli))
    r = cli("publish", "bad.yaml", "--account", "mastodon:kirkkonummi")
    assert r.returncode == 1 and "Refused" in r.stderr and "KIRK-" in r.stderr
    assert len(lines(cli)) == before


def test_unknown_account_and_unreadable_input_exit_2(cli):
    assert cli("publish", "post.yaml", "--account", "mastodon:tuntematon").returncode == 2
    assert cli("publish", "missing.yaml", "--account", "mastodon:kirkkonummi").returncode == 2
    assert (
        cli("publish", "post.yaml", "--account", "mastodon:kirkkonummi", "--policy", "nosuchpack").returncode
        == 2
    )


def test_approval_where_the_pack_requires_it(cli):
    r = cli("publish", "post.yaml", "--account", "mastodon:kirkkonummi", "--policy", "kela")
    assert r.returncode == 1 and "approval" in r.stderr


def test_scheduled_publication_exits_0_and_waits(cli):
    r = cli(
        "publish",
        "post.yaml",
        "--account",
        "mastodon:kirkkonummi",
        "--at",
        "2099-01-01T09:00:00+02:00",
        "--idempotency-key",
        "later",
        "--format",
        "json",
    )
    assert r.returncode == 0 and json.loads(r.stdout)["status"] == "queued"
    before = len(lines(cli))
    assert cli("publish-worker", "--once").returncode == 0
    assert len(lines(cli)) == before


def test_unreachable_platform_exits_3_with_the_error_kind(cli):
    r = cli(
        "channel",
        "connect",
        "mastodon",
        "--account",
        "mastodon:suljettu",
        "--server",
        "http://127.0.0.1:9",
        "--password-stdin",
        "--create",
        stdin="token\n",
    )
    assert r.returncode == 0, r.stderr
    listing = json.loads(cli("channel", "list", "--format", "json").stdout)
    assert {c["account"] for c in listing} >= {"mastodon:kirkkonummi", "mastodon:suljettu"}
    assert "token" not in json.dumps(listing).replace("secret_set_at", "")
    r = cli("publish", "post.yaml", "--account", "mastodon:suljettu")
    assert r.returncode == 3 and "platform_down" in r.stderr
    assert cli("channel", "test", "--account", "mastodon:suljettu").returncode == 3
    assert cli("channel", "test", "--account", "mastodon:kirkkonummi").returncode == 0
