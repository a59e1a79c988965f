"""The whole path in Debian's chromium (Playwright), in Finnish and Swedish: an author writes a Finnish
draft; the live check flags the missing Swedish version and a private person's phone number; the
author fixes both and sends it; the author cannot approve, the unit editor does; it is published
through the engine (to the file connector standing in for Facebook: the local Bluesky network is
not in this branch); it is in the archive; a reply arrives in the inbox and is answered with a
checked reply. Screenshots in artifacts/."""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import ARTIFACTS, _sign_in, browser  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.browser, pytest.mark.slow]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FI_WITH_PHONE = (
    "Kirjaston satuhetki lauantaina 6.12. klo 10. Lisätietoja antaa Maija Virtanen, puh. 040 123 4567."
)
FI = (
    "Kirjaston satuhetki lauantaina 6.12. klo 10. "
    "Lisätietoja: https://www.kirkkonummi.fi/kirjasto #kirkkonummi"
)
SV = (
    "Bibliotekets sagostund lördagen 6.12 kl. 10. "
    "Mer information: https://www.kyrkslatt.fi/bibliotek #kyrkslätt"
)


@pytest.fixture
def kirkkonummi(settings, tmp_path, monkeypatch):
    from somevahti.archive.api import DB_ENV
    from somevahti.web.api.checking import organisation_pack
    from somevahti.web.publishing import checking, dispatch

    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    settings.SOMEVAHTI = {**settings.SOMEVAHTI, "PACK": "kirkkonummi"}
    organisation_pack.cache_clear()
    checking.reset_checker()
    dispatch.reset()
    checking.check_texts({"fi": "Hei"}, [])  # build the pack's checker before the page asks (cold: seconds)
    yield
    organisation_pack.cache_clear()
    checking.reset_checker()
    dispatch.reset()


def _sign_out(page, context):
    page.locator("header form[action='/logout/'] button").click()
    page.wait_for_load_state()
    context.clear_cookies()


def _wait_check(page):
    expect(page.locator("#check-results h2").first).to_be_attached()  # the CSP forbids string predicates


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_write_check_fix_approve_publish_archive_answer(
    live_server,
    transactional_db,
    browser,  # noqa: F811
    kirkkonummi,  # noqa: F811
    tmp_path,
    lang,
):
    from somevahti.web.inbox.models import Item
    from somevahti.web.publishing import connections
    from somevahti.web.publishing.models import Draft, Publication
    from tests.web.conftest import Org
    from tests.web.publishing.helpers import needs_unit_editor

    org = Org()
    for user in org.users.values():
        user.set_password("pw")
        user.save()
    needs_unit_editor(org.account_a)
    connections.connect(
        org.users["communications_admin"],
        org.account_a,
        "file",
        {"directory": str(tmp_path / "facebook"), "platform": "facebook"},
    )
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(locale=lang)
    page = context.new_page()

    def shot(n, name):
        page.screenshot(path=str(ARTIFACTS / f"publishing-{lang}-{n}-{name}.png"), full_page=True)

    # The author writes a Finnish draft for unit A's Facebook page: the live check flags both problems.
    _sign_in(page, base, "author", lang)
    page.goto(f"{base}/publishing/new/")
    page.check(f"#targets input[value='{org.account_a.pk}']")
    page.fill("#id_text_fi", FI_WITH_PHONE)
    page.wait_for_selector("#findings li[data-rule='kirk-personal-data']", timeout=30_000)
    assert page.locator("#findings li[data-rule='kirk-bilingual-facebook']").count() == 1
    assert page.locator(".marked mark[data-rule='kirk-personal-data']").inner_text() == "040 123 4567"
    assert page.locator("#findings li[data-rule='kirk-personal-data'] .clause").count() >= 1
    status = page.locator("#check-status")  # beside the buttons: on a phone the findings are a screen below
    expect(status).to_have_class(re.compile(r"\bbad\b"))
    assert status.locator("a[href='#check-results']").count() == 1
    shot(1, "flagged")

    # Sending is blocked while the errors stand: the page says so and keeps the text.
    page.locator("#submit-draft").click()
    page.wait_for_load_state()
    assert page.locator("#refusal").count() == 1
    assert page.locator("#id_text_fi").input_value() == FI_WITH_PHONE
    draft = Draft.objects.get()

    # The author fixes both: no phone number, a Swedish version.
    page.fill("#id_text_fi", FI)
    page.fill("#id_text_sv", SV)
    expect(page.locator("#check-results")).to_have_attribute("data-errors", "0", timeout=30_000)
    assert page.locator("#findings li[data-rule='kirk-personal-data']").count() == 0
    assert page.locator("#previews [data-platform='facebook']").count() == 1
    expect(page.locator("#check-status")).not_to_have_class(re.compile(r"\bbad\b"))
    shot(2, "fixed")
    page.locator("#submit-draft").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == "in_review", page.locator("main").inner_text()[:500]
    assert page.locator("#draft-state").get_attribute("data-state") == "in_review"
    assert (
        page.locator("#approve").count() == 0 and page.locator("#cannot-approve").count() == 1
    )  # not her own
    shot(3, "in-review")
    _sign_out(page, context)

    # The unit editor approves and publishes now: through the engine, to the file connector.
    _sign_in(page, base, "unit_editor", lang)
    page.goto(f"{base}/")
    page.goto(f"{base}/publishing/?show=review")
    assert page.locator(f"#drafts tr[data-draft='{draft.pk}']").count() == 1
    page.goto(f"{base}/publishing/drafts/{draft.pk}/")
    page.locator("#approve").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == "approved" and draft.approved_by == org.users["unit_editor"]
    page.locator("#publish-now").click()
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.state == "published", list(draft.transitions.values_list("to_state", "reason"))
    publication = draft.publications.get(status=Publication.Status.PUBLISHED)
    lines = [json.loads(x) for x in (tmp_path / "facebook" / "published.jsonl").read_text().splitlines()]
    assert len(lines) == 1 and FI in lines[0]["text"] and SV in lines[0]["text"]  # one bilingual update
    shot(4, "published")

    # It is in the archive.
    page.goto(f"{base}/archive/?q=satuhetki")
    assert "satuhetki" in page.locator("main").inner_text().lower()
    shot(5, "archive")

    # A reply to it arrives in the inbox (the page's comments exported by hand) and is answered.
    post_id = (
        publication.external_ids[0].split(":", 1)[-1]
        if ":" in publication.external_ids[0]
        else publication.external_ids[0]
    )
    upload = tmp_path / "comments.jsonl"
    upload.write_text(
        json.dumps(
            {
                "id": f"c-{lang}",
                "text": "Onko satuhetki myös ruotsiksi?",
                "post": post_id,
                "author": "Kuntalainen",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/inbox/import/")
    page.select_option("#id_account", str(org.account_a.pk))
    page.set_input_files("#id_file", str(upload))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_load_state()
    item = Item.objects.get(external_id=f"c-{lang}")
    page.goto(f"{base}/inbox/items/{item.pk}/")
    page.fill("#id_text", "Kiitos kysymyksestä! Satuhetki on myös ruotsiksi klo 11. Terveisin kirjasto")
    page.locator("#send-reply").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == "answered", page.locator("main").inner_text()[:600]
    shot(6, "answered")
    context.close()
