"""End to end in Debian's chromium (Playwright, never `playwright install`): an author files an account
request, a communications admin approves it, the audit page shows a leaver who still has access, the
admin revokes the grant and the finding clears. In Finnish and in Swedish; screenshots in artifacts/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from somevahti.web.registry.models import AccessGrant, Account

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

TEXT = {
    "fi": {
        "approve": "Hyväksy",
        "revoke": "Poista käyttöoikeus",
        "sign_in": "Kirjaudu sisään",
        "left": "lähti",
    },
    "sv": {
        "approve": "Godkänn",
        "revoke": "Återkalla behörigheten",
        "sign_in": "Logga in",
        "left": "slutade",
    },
}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it runs; the tests' own ORM calls
    # (and pytest-django's flush after each test) are still synchronous. Allowed for this module only.
    with pytest.MonkeyPatch.context() as env, sync_playwright() as p:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _sign_in(page, base, username, lang, totp_device=None):
    page.goto(f"{base}/login/")
    page.select_option("#language-select", lang)
    page.wait_for_load_state()
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.get_by_role("button", name=TEXT[lang]["sign_in"]).last.click()
    page.wait_for_load_state()
    if totp_device is not None:
        from django_otp.oath import TOTP

        page.fill("#id_token", f"{TOTP(totp_device.bin_key).token():06d}")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_request_approve_audit_revoke(live_server, transactional_db, browser, lang):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.web.conftest import Org

    org = Org()
    for user in org.users.values():
        user.set_password("pw")
        user.save()
    device = TOTPDevice.objects.create(user=org.users["communications_admin"], name="e2e", confirmed=True)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(locale=lang)
    page = context.new_page()

    # The author files a request.
    _sign_in(page, base, "author", lang)
    assert page.locator("html").get_attribute("lang") == lang
    page.goto(f"{base}/requests/new/")
    page.select_option("#id_platform", "youtube")
    page.fill("#id_handle", f"kirkkonummi-{lang}")
    page.select_option("#id_unit", str(org.unit_a.pk))
    page.fill("#id_need", "Tapahtumatallenteet")
    page.fill("#id_goals", "Tavoittaa nuoret")
    page.fill("#id_target_group", "nuoret")
    page.fill("#id_planned_content", "videot")
    page.select_option("#id_maintainers", [str(org.people["author"].pk)])
    assert page.is_checked("input[name=languages][value=fi]") and page.is_checked(
        "input[name=languages][value=sv]"
    )
    page.screenshot(path=str(ARTIFACTS / f"e2e-{lang}-1-request-form.png"), full_page=True)
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/requests/" in page.url
    page.locator("header form[action='/logout/'] button").click()
    page.wait_for_load_state()
    context.clear_cookies()

    # The communications admin (two-step verified) approves it.
    _sign_in(page, base, "communications_admin", lang, totp_device=device)
    req = org.request.__class__.objects.get(handle=f"kirkkonummi-{lang}")
    page.goto(f"{base}/requests/{req.pk}/")
    page.fill("#id_reason", "Perusteltu tarve")
    page.get_by_role("button", name=TEXT[lang]["approve"], exact=True).click()
    page.wait_for_load_state()
    account = Account.objects.get(handle=f"kirkkonummi-{lang}")
    assert page.url.endswith(f"/registry/accounts/{account.pk}/")
    page.screenshot(path=str(ARTIFACTS / f"e2e-{lang}-2-approved-account.png"), full_page=True)

    # The audit page shows the leaver who still has access.
    page.goto(f"{base}/audits/")
    row = page.locator("#findings tr[data-rule='leaver-access']")
    assert (
        row.count() == 1 and "Ville Virtanen" in row.inner_text() and TEXT[lang]["left"] in row.inner_text()
    )
    page.screenshot(path=str(ARTIFACTS / f"e2e-{lang}-3-audit-leaver.png"), full_page=True)

    # Revoke the grant: the finding clears.
    row.get_by_role("button", name=TEXT[lang]["revoke"]).click()
    page.wait_for_load_state()
    assert page.locator("#findings tr[data-rule='leaver-access']").count() == 0
    assert AccessGrant.objects.get(pk=org.leaver_grant.pk).revoked is not None
    page.screenshot(path=str(ARTIFACTS / f"e2e-{lang}-4-finding-cleared.png"), full_page=True)
    context.close()
    assert get_user_model().objects.filter(username="author").exists()
