"""End to end in Debian's chromium (Playwright, never `playwright install`): a records officer (a
communications admin, two-step verified) searches the archive with an inflected Finnish word,
starts a records-request export, watches it finish in the background, downloads the bundle and
the bundle verifies with `somevahti archive verify-export`. Screenshots in artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from somevahti.web.archive import access

from .test_archive import ORG, archive_env, fill
from .test_browser import ARTIFACTS, _sign_in, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Playwright's sync API keeps an event loop in this thread (also while the database is flushed after
# the test); the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_records_officer_searches_exports_and_the_bundle_verifies(
    live_server,
    transactional_db,
    browser,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.web.conftest import Org

    org = Org()
    admin = org.users["communications_admin"]
    admin.set_password("pw")
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="e2e", confirmed=True)
    archive_env(monkeypatch, tmp_path)
    seqs = fill(org)
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fi", accept_downloads=True)
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, "communications_admin", "fi", totp_device=device)
        page.goto(f"{live_server.url}/archive/")
        page.fill("#id_q", "kirjastossa")  # inessive of "kirjasto"; the texts say kirjasto, Kirjaston
        page.fill("#id_account", "facebook:visitkirkkonummi")
        page.locator("#archive-search button[type=submit]").click()
        page.wait_for_load_state()
        rows = page.locator("#hits tbody tr[data-seq]")
        assert sorted(int(rows.nth(i).get_attribute("data-seq")) for i in range(rows.count())) == [
            seqs["post_a"],
            seqs["comment_a"],
        ]
        page.screenshot(path=str(ARTIFACTS / "archive-1-search.png"), full_page=True)

        page.locator("a[href^='/archive/exports/?accounts=']").click()  # "export these threads"
        page.wait_for_load_state()
        assert page.input_value("#id_accounts") == "facebook:visitkirkkonummi"
        page.locator("#export-form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#export-progress").get_attribute("data-status") == "queued"
        page.screenshot(path=str(ARTIFACTS / "archive-2-export-queued.png"), full_page=True)

        call_command("db_worker", "--batch", "--no-startup-delay")  # what `somevahti web worker` runs
        page.wait_for_selector("#export-progress[data-status=done]", timeout=15_000)  # htmx polled it
        page.screenshot(path=str(ARTIFACTS / "archive-3-export-done.png"), full_page=True)
        with page.expect_download() as download:
            page.click("#export-download")
        bundle = tmp_path / "bundle.zip"
        download.value.save_as(bundle)
    finally:
        context.close()

    key = tmp_path / f"{ORG}.pub"
    key.write_text(access.archive().keys.public_key(ORG))
    cli = Path(sys.executable).with_name("somevahti")
    checked = subprocess.run(
        [str(cli), "archive", "verify-export", str(bundle), "--public-key", str(key)],
        capture_output=True,
        text=True,
        env={"SOMEVAHTI_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK" in checked.stdout
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unpacked)
    records = unpacked / "records.jsonl"
    records.write_text(records.read_text("utf-8").replace("Milloin kirjasto", "Milloin Kirjasto"), "utf-8")
    tampered = subprocess.run(
        [str(cli), "archive", "verify-export", str(unpacked), "--public-key", str(key)],
        capture_output=True,
        text=True,
        env={"SOMEVAHTI_LANG": "en", "PATH": "/usr/bin:/bin"},
    )
    assert tampered.returncode == 1 and "FAILED" in tampered.stdout
