"""End to end in Debian's chromium (Playwright, never `playwright install`): a threatening comment
arrives by file import, lands in the threat queue, becomes an incident routed to the supervisor, and
a negative-feedback comment is answered from a saved reply in Swedish. Screenshots in artifacts/."""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from somevahti.web.inbox.models import Incident, Item
from tests.web.test_browser import ARTIFACTS, _sign_in, browser  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.browser, pytest.mark.slow]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

THREAT = "Tiedän missä asut. Tapan sinut."
NEGATIVE_SV = "Dålig service, biblioteket var stängt igen utan förvarning."


@pytest.fixture
def archive_db(tmp_path, monkeypatch):
    from somevahti.archive.api import DB_ENV

    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'archive.sqlite3'}")


def _sign_out(page, context):
    page.locator("header form[action='/logout/'] button").click()
    page.wait_for_load_state()
    context.clear_cookies()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_threat_to_incident_and_swedish_answer(
    live_server,
    transactional_db,
    browser,  # noqa: F811
    archive_db,
    tmp_path,
    lang,
):
    from tests.web.conftest import Org

    org = Org()
    for user in org.users.values():
        user.set_password("pw")
        user.save()
    author = org.people["author"]
    lines = [
        {"id": f"t-{lang}", "text": THREAT, "post": "p1", "post_author": author.email, "author": "Anonyymi"},
        {"id": f"n-{lang}", "text": NEGATIVE_SV, "post": "p1", "post_author": author.email, "language": "sv"},
    ]
    upload = tmp_path / "kommentit.jsonl"
    upload.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(locale=lang)
    page = context.new_page()

    # The unit editor imports the comment file of a channel without API access.
    _sign_in(page, base, "unit_editor", lang)
    page.goto(f"{base}/inbox/import/")
    page.select_option("#id_account", str(org.account_a.pk))
    page.set_input_files("#id_file", str(upload))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_load_state()
    threat = Item.objects.get(external_id=f"t-{lang}")
    assert threat.archive_seq and threat.assignee == author

    # It lands in the threat queue.
    page.locator("#queues a[data-queue='escalate_threat']").click()
    page.wait_for_load_state()
    row = page.locator(f"#items tr[data-item='{threat.pk}']")
    assert row.count() == 1 and row.get_attribute("data-category") == "escalate_threat"
    page.screenshot(path=str(ARTIFACTS / f"inbox-{lang}-1-threat-queue.png"), full_page=True)
    _sign_out(page, context)

    # The author whose post it answers turns it into an incident: routed to the supervisor.
    _sign_in(page, base, "author", lang)
    page.goto(f"{base}/inbox/items/{threat.pk}/")
    page.locator("#escalate").click()
    page.wait_for_load_state()
    assert page.locator("#id_type").input_value() == "threat"
    page.locator("#incident-form button[type=submit]").click()
    page.wait_for_load_state()
    incident = Incident.objects.get(item=threat)
    assert page.url.endswith(f"/inbox/incidents/{incident.pk}/")
    assert page.locator(f"#incident-routes [data-handler='{org.people['supervisor'].pk}']").count() == 1
    assert THREAT in page.locator("#evidence").inner_text()
    assert page.locator("#police-guidance").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"inbox-{lang}-2-incident.png"), full_page=True)

    # The negative feedback gets the saved thank–explain–fix–apologise reply in Swedish.
    negative = Item.objects.get(external_id=f"n-{lang}")
    assert negative.category == "respond_negative"
    page.goto(f"{base}/inbox/items/{negative.pk}/")
    page.locator(
        "#saved-replies a[data-saved='negative-feedback'][data-lang='sv']"
    ).click()  # htmx swaps the composer
    # expect() polls without evaluating a string: the Content-Security-Policy forbids eval on our pages
    expect(page.locator("#id_text")).to_have_value(re.compile(r"^Tack"))
    text = page.locator("#id_text").input_value()
    assert text.startswith("Tack för din respons!") and "Author Person" in text
    page.locator("#send-reply").click()  # the [placeholders] are still there: blocked
    page.wait_for_load_state()
    assert page.locator("#problems li[data-rule='placeholder']").count() == 2
    filled = text.replace(
        "[Berätta vad problemet berodde på.]", "Biblioteket var stängt på grund av sjukdom."
    ).replace("[Berätta hur och när saken åtgärdas.]", "I fortsättningen meddelar vi ändringar i tid.")
    page.fill("#id_text", filled)
    page.screenshot(path=str(ARTIFACTS / f"inbox-{lang}-3-swedish-reply.png"), full_page=True)
    page.locator("#send-reply").click()
    page.wait_for_load_state()
    negative.refresh_from_db()
    assert negative.status == "answered" and negative.actions.get(kind="answered").language == "sv"
    assert "Biblioteket var stängt" in page.locator("#actions").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"inbox-{lang}-4-answered.png"), full_page=True)
    _sign_out(page, context)

    # The supervisor finds the incident; the IT/security person does not.
    _sign_in(page, base, "supervisor", lang)
    page.goto(f"{base}/inbox/incidents/")
    assert page.locator("#incidents tr[data-type='threat']").count() == 1
    _sign_out(page, context)
    _sign_in(page, base, "it_security", lang)
    page.goto(f"{base}/inbox/incidents/")
    assert page.locator("#incidents tr[data-type='threat']").count() == 0
    context.close()
