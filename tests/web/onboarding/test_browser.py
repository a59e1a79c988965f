"""A new author in Debian's chromium at phone width, on a pack with the quiz required: the path page,
a step marked done, the quiz answered, and the access that waited for it granted. Every page fits
390 px, passes axe and shows no English message (the checks of tests/web/test_pages_browser.py)."""

from __future__ import annotations

import os

import pytest

from somevahti.web.core.models import Role
from tests.web.test_browser import _sign_in, browser  # noqa: F401 - the fixture is used by name
from tests.web.test_pages_browser import AXE, AXE_URL, _check, _english_field_names, _english_messages

pytestmark = [pytest.mark.browser, pytest.mark.slow]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.parametrize("lang", ["sv", "fi"])
def test_a_new_author_walks_the_path_and_passes_the_quiz(
    live_server,
    transactional_db,
    browser,  # noqa: F811
    pack_in_force,
    lang,
):
    if not AXE.exists():
        pytest.skip("axe-core not installed (npm ci)")
    from somevahti.web.onboarding import quiz, services
    from somevahti.web.onboarding.models import PendingGrant, StepDone
    from somevahti.web.registry.models import AccessGrant
    from tests.web.conftest import Org

    pack = pack_in_force("kirkkonummi")
    org = Org()
    author = org.users[Role.AUTHOR]
    author.set_password("pw")
    author.save()
    services.grant_or_wait(
        AccessGrant(person=org.people[Role.AUTHOR], account=org.account_b, role="editor"),
        pack,
        by=org.users[Role.COMMUNICATIONS_ADMIN],
    )
    assert PendingGrant.objects.count() == 1
    english, fields = _english_messages(lang), _english_field_names()
    context = browser.new_context(locale=lang, viewport={"width": 390, "height": 900})
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page = context.new_page()
    _sign_in(page, live_server.url, "author", lang)
    problems = []

    page.goto(f"{live_server.url}/onboarding/")
    problems += [f"path: {p}" for p in _check(page, 390, english, fields)]
    first = page.locator("#steps > li").first
    key = first.get_attribute("data-step")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(f"#steps > li[data-step='{key}']").get_attribute("data-done") == "1"
    assert list(StepDone.objects.filter(user=author).values_list("step_key", flat=True)) == [key]

    page.locator("#quiz-box a.button").click()
    page.wait_for_load_state()
    problems += [f"quiz: {p}" for p in _check(page, 390, english, fields)]
    seed = int(page.locator("input[name=seed]").get_attribute("value"))
    questions = quiz.generate(pack, seed, lang)
    assert page.locator("fieldset[data-question]").count() == len(questions) == 5
    for i, q in enumerate(questions):
        page.locator(f"input[name=q{i}][value='{q.rule_id}']").check()
    page.locator("#quiz button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#result").get_attribute("data-passed") == "1"
    problems += [f"result: {p}" for p in _check(page, 390, english, fields)]
    assert AccessGrant.objects.filter(
        person=org.people[Role.AUTHOR], account=org.account_b, revoked__isnull=True
    ).exists()
    assert problems == []
    context.close()
