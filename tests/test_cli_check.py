"""`somevahti check` as a user runs it: exit codes, batches with bad files, JSON shape, stdin."""

import json
import subprocess
import sys

import pytest

from somevahti.cli import main

LONG_X = "Kirjasto on auki. " * 20  # 360 characters: too long for X


@pytest.fixture
def files(tmp_path):
    def make(name, content):
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return str(p)

    return make


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_post_exits_0_and_error_finding_exits_1(files, capsys):
    ok = files("ok.yaml", "channel: x\ntext: {fi: Kirjasto on auki tänään.}\n")
    bad = files("bad.yaml", f"channel: x\ntext: {{fi: '{LONG_X}'}}\n")
    assert run(["check", "--policy", "generic", ok], capsys)[0] == 0
    code, out, _ = run(["check", "--policy", "generic", "--format", "json", bad], capsys)
    assert code == 1
    data = json.loads(out)
    finding = data["findings"][0]
    assert {"rule", "clauses", "severity", "message", "field", "span", "suggestion"} <= set(finding)
    assert finding["field"] == "text.fi" and finding["severity"] == "error"
    start, end = finding["span"]
    assert 0 < start < end == len(LONG_X)
    assert data["summary"]["error"] == 1


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty"),
        ("blank.yaml", "  \n\n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("latin1.txt", "Hyvää päivää".encode("latin-1"), "UTF-8"),
        ("broken.yaml", "text: [unclosed\nchannel: x\n", "malformed YAML"),
        ("broken.json", '{"text": "a",}', "malformed JSON"),
        ("channel.yaml", "channel: myspace\ntext: moi\n", "channel"),
        ("list.json", "[1, 2]", "mapping"),
        ("unknown.yaml", "text: moi\ncolour: red\n", "colour"),
    ],
)
def test_bad_input_is_exit_2_one_line_and_the_batch_goes_on(files, capsys, name, content, reason):
    bad = files(name, content)
    good = files("good.yaml", f"channel: x\ntext: {{fi: '{LONG_X}'}}\n")
    code, out, err = run(["check", "--policy", "generic", bad, good], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0] and name in lines[0], err
    assert "Traceback" not in err
    assert "good.yaml" in out, "the good file after the bad one is still checked"


def test_missing_file_and_unknown_pack(files, capsys):
    code, _, err = run(["check", "--policy", "generic", "/nonexistent/post.txt"], capsys)
    assert code == 2 and "no such file" in err
    code, _, err = run(["check", "--policy", "no-such-pack", files("a.txt", "moi")], capsys)
    assert code == 2 and "unknown policy pack" in err


def test_pack_with_a_typo_in_a_family_is_exit_2(files, capsys):
    pack = files(
        "pack.yaml",
        """\
id: typo
organisation: {name: X}
rules:
  - id: r
    family: platform_limitz
    severity: error
    clauses: [KIRK-5.3]
    message: {fi: a, sv: b, en: c}
""",
    )
    code, _, err = run(["check", "--policy", pack, files("a.txt", "moi")], capsys)
    assert code == 2
    assert "pack.yaml:5" in err and "platform_limits" in err


def test_one_megabyte_post_is_checked_not_crashed(files, capsys):
    big = files("big.txt", ("Kirkkonummen kirjasto palvelee kaikkia kuntalaisia. " * 20000)[:1_000_000])
    code, out, err = run(["check", "--policy", "generic", "--channel", "facebook", big], capsys)
    assert code == 1, err  # far over Facebook's 63,206 characters
    assert "big.txt" in out


def test_channel_flag_overrides_the_document(files, capsys):
    post = files("p.txt", LONG_X)
    assert run(["check", "--policy", "generic", post], capsys)[0] == 0
    assert run(["check", "--policy", "generic", "--channel", "x", post], capsys)[0] == 1


def test_stdin_and_no_traceback_in_a_real_process():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "somevahti",
            "check",
            "--policy",
            "generic",
            "--channel",
            "x",
            "--format",
            "json",
            "-",
        ],
        input=LONG_X.encode(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"][0]["rule"] == "platform-limits"
    proc = subprocess.run(
        [sys.executable, "-m", "somevahti", "check", "-"],
        input=b"\xff\xfe\x00\x00",
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
