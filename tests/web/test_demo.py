"""`somevahti web demo --no-serve` on a fresh data directory leaves a living organisation: every list
page of every role has rows, every role's start page has work, a records-request export completes
and verifies at once (the demo signs a checkpoint), and every inbox category has comments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_demo_has_content_for_every_role_and_the_export_verifies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOMEVAHTI_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        {
            "SOMEVAHTI_DATA_DIR": str(tmp_path),
            "SOMEVAHTI_SECRET_KEY": "demo-test-only",
            "SOMEVAHTI_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "SOMEVAHTI_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        }
    )  # this checkout
    if os.environ.get("DATABASE_URL") and os.environ.get("SOMEVAHTI_TEST_DB") == "postgres":
        pytest.skip("runs on its own SQLite data directory")
    cli = [sys.executable, "-m", "somevahti", "web", "demo", "--no-serve"]
    done = subprocess.run(cli, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    again = subprocess.run(cli, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]  # a second run loads nothing twice
    check = subprocess.run(
        [sys.executable, "-m", "tests.web.demo_check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert check.returncode == 0, check.stderr[-3000:]
    report = json.loads(check.stdout.strip().splitlines()[-1])
    assert report["errors"] == [] and report["empty"] == [], report
    assert report["forbidden_links"] == [], report["forbidden_links"]
    assert report["pages"] > 60
    assert all(
        report["cards"][u] > 0
        for u in ("viestinta", "yksikko", "kirjoittaja", "esihenkilo", "tietoturva", "tarkastaja")
    ), report["cards"]
    assert report["export"]["status"] == "done", report
    assert report["verified"] is True and report["problems"] == [], report
    assert report["records"] > 5
