"""Every crafted input in tests/robustness/fixtures, fed to every command that reads it: one line on
stderr naming the file and the problem, the documented exit code, never a traceback, and the good
inputs of the same batch still processed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from somevahti.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
POSTS = sorted((FIXTURES / "posts").iterdir())
PACKS = sorted((FIXTURES / "packs").iterdir())
COMMENTS = sorted((FIXTURES / "comments").iterdir())
GOOD_POST = Path(__file__).parents[2] / "examples" / "01-facebook-clean.yaml"

# Inputs that are valid after all (a normal result, not exit 2).
VALID_POSTS = {"control_chars.json"}
VALID_PACKS = {"version_impossible_date.yaml"}  # the version is a label; the YAML date stays text
# Problems found only when the rules are built (validate and check build them; show and triage do not).
BUILD_PROBLEMS = {
    "bad_regex.yaml",
    "missing_lexicon_file.yaml",
    "unknown_lexicon.yaml",
    "missing_directory.yaml",
}


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_per_problem(err: str, names: list[str]) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(line.startswith("somevahti: ") for line in lines), err
    for name in names:
        assert any(name in line for line in lines), (name, err)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_check_each_crafted_post(path, capsys):
    code, out, err = run(["check", "--policy", "generic", "--no-ner", str(path)], capsys)
    if path.name in VALID_POSTS:
        assert code in (0, 1) and not err
    else:
        assert code == 2
        assert_one_line_per_problem(err, [path.name])
        assert len(err.strip().splitlines()) == 1


def test_check_batch_keeps_going_after_every_bad_post(capsys):
    argv = ["check", "--policy", "generic", "--no-ner", "--format", "json", *map(str, POSTS), str(GOOD_POST)]
    code, out, err = run(argv, capsys)
    assert code == 2
    data = json.loads(out)
    by_source = {f["source"]: f for f in data["files"]}
    assert "error" not in by_source[str(GOOD_POST)]
    assert data["summary"]["unreadable"] == len(POSTS) - len(VALID_POSTS)
    assert_one_line_per_problem(err, [p.name for p in POSTS if p.name not in VALID_POSTS])


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "command",
    [["policy", "validate"], ["policy", "show"], ["check", "--no-ner", "--policy"], ["triage", "--policy"]],
    ids=lambda c: "-".join(c[:2]),
)
def test_every_command_on_each_crafted_pack(path, command, capsys):
    argv = [*command, str(path)]
    if command[0] == "check":
        argv.append(str(GOOD_POST))
    if command[0] == "triage":
        argv.append(str(FIXTURES / "comments" / "separators.jsonl"))
    started = time.monotonic()
    code, out, err = run(argv, capsys)
    assert time.monotonic() - started < 30
    if path.name in VALID_PACKS or (
        path.name in BUILD_PROBLEMS and command[0] in {"policy", "triage"} and command[-1] != "validate"
    ):
        assert code == 0, err
    else:
        assert code == 2, (code, err)
        assert_one_line_per_problem(err, [path.name])
        assert len(err.strip().splitlines()) == 1


def test_validate_catches_what_check_would_reject(capsys):
    """Each of these passed `policy validate` before and failed only when a post was checked."""
    expected = {
        "bad_regex.yaml": "bad pattern",
        "missing_lexicon_file.yaml": "no such lexicon file",
        "unknown_lexicon.yaml": "unknown lexicon 'no-such-lexicon'",
        "missing_directory.yaml": "no such directory file",
        "unknown_placeholder.yaml": "unknown placeholder {trem}",
        "unbalanced_brace.yaml": "expected '}'",
    }
    for name, words in expected.items():
        code, out, err = run(["policy", "validate", str(FIXTURES / "packs" / name)], capsys)
        assert code == 2 and words in err, (name, err)


def test_alias_bomb_is_refused_fast(capsys):
    started = time.monotonic()
    code, _, err = run(["policy", "validate", str(FIXTURES / "packs" / "alias_bomb.yaml")], capsys)
    assert code == 2 and "aliases" in err
    assert time.monotonic() - started < 2


def test_triage_batch_reports_each_bad_line_and_keeps_the_rest(capsys):
    code, out, err = run(["triage", "--policy", "generic", "--format", "json", *map(str, COMMENTS)], capsys)
    assert code == 2
    results = json.loads(out)["results"]
    sources = {(r["source"].rsplit("/", 1)[-1], str(r["id"])) for r in results}
    for name in ("surrogate.jsonl", "deep.jsonl", "duplicate_key.jsonl", "control_chars.jsonl"):
        assert (name, "2") in sources
        assert (name, "1") not in sources or name == "control_chars.jsonl"
    assert_one_line_per_problem(
        err, ["surrogate.jsonl:1", "deep.jsonl:1", "duplicate_key.jsonl:1", "not_utf8.txt"]
    )


def test_jsonl_line_separators_inside_strings_are_one_comment(capsys):
    code, out, err = run(
        [
            "triage",
            "--policy",
            "generic",
            "--format",
            "json",
            str(FIXTURES / "comments" / "separators.jsonl"),
        ],
        capsys,
    )
    assert code == 0 and not err
    results = json.loads(out)["results"]
    assert [str(r["id"]) for r in results] == ["1", "2"]


def test_internal_error_is_exit_70_one_line_and_traceback_only_with_debug(capsys, monkeypatch):
    from somevahti import check

    def broken(self, doc):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(check.Checker, "check", broken)
    code, out, err = run(["check", "--no-ner", str(GOOD_POST), str(GOOD_POST)], capsys)
    assert code == 70 and "Traceback" not in err
    assert err.count("internal error: ZeroDivisionError: boom") == 2  # both files tried
    code, out, err = run(["--debug", "check", "--no-ner", str(GOOD_POST)], capsys)
    assert code == 70 and "Traceback" in err


def _web(env_extra: dict, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SOMEVAHTI_PACK"}}
    env.update({"SOMEVAHTI_DATA_DIR": str(tmp_path / "data"), "SOMEVAHTI_LANG": "en", **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "somevahti", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize(
    "env,words,code",
    [
        ({}, "web migrate", 2),  # audit before the tables exist
        ({"DATABASE_URL": "garbage"}, "DATABASE_URL", 2),
        ({"SOMEVAHTI_PACK": "no-such-pack"}, "SOMEVAHTI_PACK=no-such-pack", 2),
        ({"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"}, "database", 3),
    ],
    ids=["before-migrate", "garbage-url", "unknown-pack", "unreachable-db"],
)
def test_audit_configuration_problems(env, words, code, tmp_path):
    result = _web(env, "audit", tmp_path=tmp_path)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
