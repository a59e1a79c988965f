"""What a municipality's security audit asks of the web app: headers, no inline script, API docs from
our own files for signed-in users only, idle sessions, body limits, rate limits, no 500 on odd ids,
CSV exports that a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from somevahti.web.core.middleware import SessionIdleTimeout
from somevahti.web.core.models import Role
from somevahti.web.core.spreadsheet import safe_cell, unescape_cell
from somevahti.web.registry.models import Person

TEMPLATES = sorted((Path(__file__).parents[2] / "src" / "somevahti" / "web").rglob("*.html"))


def test_no_template_has_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = [
        (p.name, m.group(0))
        for p in TEMPLATES
        for rx in (inline_script, handler)
        for m in rx.finditer(p.read_text("utf-8"))
    ]
    assert found == []


def test_pages_carry_csp_without_inline_script_and_no_store(org, login):
    client = login(org.users[Role.AUTHOR])
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "frame-ancestors 'none'" in csp
    assert "no-store" in response.headers["Cache-Control"]
    assert b'class="autosubmit"' in response.content and b"site.js" in response.content


def test_static_files_may_be_cached(org, login):
    response = login(org.users[Role.AUTHOR]).get("/static/somevahti/site.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_api_docs_come_from_our_static_files_and_only_for_signed_in_users(org, client, login):
    assert client.get("/api/docs").status_code in (302, 401)
    page = login(org.users[Role.AUTHOR]).get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(s.startswith("/static/") for s in scripts)


def test_hsts_only_when_https_is_on():
    import subprocess
    import sys

    code = (
        "import os,django;os.environ['DJANGO_SETTINGS_MODULE']='somevahti.web.settings';"
        "from django.conf import settings;print(getattr(settings,'SECURE_HSTS_SECONDS',0))"
    )
    env = {"SOMEVAHTI_SECRET_KEY": "x", "SOMEVAHTI_DATA_DIR": "/tmp/somevahti-hsts-test", "PATH": "/usr/bin"}
    on = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "SOMEVAHTI_HTTPS": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(on.stdout) >= 180 * 24 * 3600 and int(off.stdout) == 0


@pytest.mark.parametrize(
    "role,idle_minutes,signed_out",
    [
        (Role.AUTHOR, 7 * 60, False),
        (Role.AUTHOR, 9 * 60, True),
        (Role.COMMUNICATIONS_ADMIN, 30, False),
        (Role.COMMUNICATIONS_ADMIN, 90, True),
    ],
)
def test_idle_session_ends(org, login, role, idle_minutes, signed_out):
    client = login(org.users[role])
    assert client.get("/").status_code == 200
    session = client.session
    session[SessionIdleTimeout.KEY] = int(time.time()) - idle_minutes * 60
    session.save()
    response = client.get("/")
    assert (response.status_code == 302 and "/login/" in response["Location"]) is signed_out
    if signed_out:
        assert client.get("/api/units").status_code == 401


def test_api_check_refuses_a_big_body_with_413(org, login):
    client = login(org.users[Role.AUTHOR])
    big = json.dumps({"text": "a" * (settings.API_CHECK_MAX_BYTES + 10)})
    response = client.post("/api/check", big, content_type="application/json")
    assert response.status_code == 413
    assert "KiB" in response.json()["detail"]


@override_settings(API_CHECK_RATE="3/m")
def test_api_check_is_rate_limited_per_user(org, login):
    from django.core.cache import cache

    cache.clear()
    client = login(org.users[Role.AUTHOR])
    codes = [
        client.post("/api/check", json.dumps({"text": "Hei"}), content_type="application/json").status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    other = login(org.users[Role.COMMUNICATIONS_ADMIN])
    assert (
        other.post("/api/check", json.dumps({"text": "Hei"}), content_type="application/json").status_code
        == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/accounts/99999999999999999999",
        "/api/accounts/0",
        "/api/accounts/-5",
        "/api/units?offset=99999999999999999999",
    ],
)
def test_out_of_range_ids_are_404_not_500(org, login, path):
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    assert client.get(path).status_code in (404, 422, 200)
    assert client.get(path).status_code != 500


def test_out_of_range_page_id_is_404(org, login):
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    from django.urls import reverse

    url = reverse("registry:account", args=[1]).replace("/1/", "/99999999999999999999/")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["=1+1", "+358 40 123", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_escaped_and_round_trip(value):
    assert safe_cell(value) == "'" + value
    assert unescape_cell(safe_cell(value)) == value
    assert safe_cell("Kirjasto") == "Kirjasto" and safe_cell(5) == 5


def test_registry_csv_export_escapes_formulas(org, login):
    Person.objects.create(name='=HYPERLINK("http://evil.example")', unit=org.unit_a, email="x@kirkkonummi.fi")
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    from django.urls import reverse

    response = client.get(reverse("registry:export", args=["people"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)
