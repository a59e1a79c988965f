"""``somevahti audit`` prints the findings in text or JSON, citing clauses and who must act."""

from __future__ import annotations

import json

import pytest

from somevahti.cli import main


@pytest.mark.django_db(transaction=True)
def test_audit_json_and_text(org, capsys):
    assert main(["audit", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    leaver = [f for f in data["findings"] if f["rule"] == "leaver-access"]
    assert leaver and leaver[0]["clauses"] == ["RANUA-S.8"] and "Ville Virtanen" in leaver[0]["text"]
    assert "supervisor" in leaver[0]["act_roles"]
    assert main(["audit"]) == 1
    out = capsys.readouterr().out
    assert "[RANUA-S.8]" in out and "Ville Virtanen" in out


@pytest.mark.django_db(transaction=True)
def test_audit_of_a_clean_registry_exits_0(org, capsys):
    org.leaver_grant.delete()
    assert main(["audit", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_serve_refuses_zero_workers(capsys):
    assert main(["web", "serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err


@pytest.mark.slow
def test_serve_answers_with_worker_processes_and_stops_on_sigterm(tmp_path):
    """The production server: pages and static files over HTTP, and SIGTERM stops it and the task worker."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    env = {
        **os.environ,
        "SOMEVAHTI_DATA_DIR": str(tmp_path),
        "SOMEVAHTI_SECRET_KEY": "test",
        "SOMEVAHTI_LANG": "en",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "somevahti", "web", "migrate"], env=env, check=True, capture_output=True
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "somevahti", "web", "serve", "--addr", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                login = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        assert login.status == 200 and b'name="username"' in login.read()
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/somevahti/site.css", timeout=5)
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        children = dict(
            line.split(None, 1)
            for line in subprocess.run(
                ["ps", "-o", "pid=,args=", "--ppid", str(server.pid)], capture_output=True, text=True
            ).stdout.splitlines()
        )
        assert sum("web serve" in a for a in children.values()) == 2  # the gunicorn workers
        assert sum("web worker" in a for a in children.values()) == 1  # the task worker
    finally:
        server.send_signal(signal.SIGTERM)
        out = server.communicate(timeout=30)[0]
    assert server.returncode == 0, out
    assert "with 2 processes" in out
    time.sleep(0.5)
    alive = subprocess.run(
        ["ps", "-o", "pid=", "-p", ",".join(children)], capture_output=True, text=True
    ).stdout
    assert alive.split() == []
