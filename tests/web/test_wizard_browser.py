"""The policy wizard end to end in Debian's chromium: a communications admin (two-step verified)
starts from the Kirkkonummi pack, answers every step, lowers a rule's level, previews the document,
tries a post (the draft's findings differ from the pack in force), puts it in force, and from then on
the organisation's checks and policy page use the new pack. Screenshots in artifacts/."""

from __future__ import annotations

import pytest

from somevahti.web.api import checking
from tests.web.test_browser import ARTIFACTS, _sign_in, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POST = "Soita numeroon 040 123 4567 tai mailaa matti.meikalainen@gmail.com."
SAVE = {"fi": "Tallenna ja jatka", "sv": "Spara och fortsätt"}


def _save(page):
    page.get_by_role("button", name=SAVE[page.locator("html").get_attribute("lang")]).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_wizard_from_start_to_in_force(live_server, transactional_db, browser, lang):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from somevahti.web.policy.models import PackVersion
    from somevahti.web.wizard.models import Draft
    from tests.web.conftest import Org

    checking.organisation_pack.cache_clear()
    org = Org()
    admin = org.users["communications_admin"]
    admin.set_password("pw")
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="e2e", confirmed=True)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(locale=lang, viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, base, "communications_admin", lang, totp_device=device)

    shot = iter(range(1, 20))

    def screenshot(name):
        page.screenshot(path=str(ARTIFACTS / f"wizard-{lang}-{next(shot):02d}-{name}.png"), full_page=True)

    page.goto(f"{base}/policy/wizard/")
    page.locator("a.button[href='/policy/wizard/new/']").click()
    page.wait_for_load_state()
    page.fill("#id_name", "Kirjaston ohje")
    page.check("input[name=base][value=kirkkonummi]")
    page.fill("#id_pack_id", "kirkkonummi-kirjasto")
    page.fill("#id_version", "2027.1")
    screenshot("start")
    page.locator("#wizard-form button[type=submit]").click()
    page.wait_for_load_state()
    draft = Draft.objects.get(name="Kirjaston ohje")
    assert page.url.endswith(f"/policy/wizard/{draft.pk}/organisation/")

    assert page.input_value("#id_org_name") == "Kirkkonummen kunta"  # the starting pack's answer
    page.fill("#id_org_name", "Kirkkonummen kirjasto")
    screenshot("organisation")
    _save(page)
    assert page.url.endswith("/languages/")
    page.check("input[name=channel_instagram][value=en]")
    _save(page)
    assert page.url.endswith("/channels/")
    page.fill("#id_hashtags", "#kirkkonummenkirjasto #kyrkslättsbibliotek")
    _save(page)
    page.check("input[name=expert_required]")
    page.check("input[name=expert_approvers][value=supervisor]")
    _save(page)
    assert page.url.endswith("/inbox/")
    page.fill("#id_target_respond_question", "6")
    _save(page)
    page.fill("#id_password_max_age_days", "90")
    _save(page)
    assert page.url.endswith("/rules/")
    page.select_option("#id_level-kirk-personal-data", "warning")
    page.uncheck("#id_on-kirk-hashtags")
    screenshot("rules")
    _save(page)

    assert page.url.endswith("/preview/")
    assert "Kirkkonummen kirjasto" in page.locator("#preview").inner_text()
    screenshot("preview")
    page.goto(f"{base}/policy/wizard/{draft.pk}/try/")
    page.fill("#id_text", POST)
    page.select_option("#id_language", "fi")
    page.locator("#try-form button[type=submit]").click()
    page.wait_for_load_state()
    mine = page.locator("#draft-findings li[data-rule='kirk-personal-data']")
    assert mine.count() >= 1 and mine.first.get_attribute("data-severity") == "warning"
    assert page.locator("#draft-findings li[data-rule='kirk-hashtags']").count() == 0
    assert page.locator("#current-findings li[data-rule='personal-data'][data-severity='error']").count() >= 1
    screenshot("try")

    page.goto(f"{base}/policy/wizard/{draft.pk}/force/")
    page.fill("#id_note", "Kirjaston johtoryhmä hyväksyi")
    screenshot("force")
    page.locator("#force-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/policy/versions/")
    version = PackVersion.objects.get()
    assert version.pack == "kirkkonummi-kirjasto" and version.note == "Kirjaston johtoryhmä hyväksyi"
    assert "kirkkonummi-kirjasto 2027.1" in page.locator("main").inner_text()

    pack = checking.organisation_pack()
    assert (pack.id, pack.organisation.name, pack.hashtags) == (
        "kirkkonummi-kirjasto",
        "Kirkkonummen kirjasto",
        ["#kirkkonummenkirjasto", "#kyrkslättsbibliotek"],
    )
    from somevahti.document import PostDocument

    found = {(f.rule, str(f.severity)) for f in checking.checker().check(PostDocument(text={"fi": POST}))}
    assert ("kirk-personal-data", "warning") in found and not any(r == "kirk-hashtags" for r, _s in found)
    page.goto(f"{base}/policy/")
    assert "Kirkkonummen kirjasto" in page.locator("main").inner_text()
    screenshot("policy-page")
    context.close()
    checking.organisation_pack.cache_clear()
