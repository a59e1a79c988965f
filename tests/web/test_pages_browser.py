"""Every page of every role of the demo organisation in Debian's chromium: in Finnish at 1280 px
and in Swedish at 390 px. On each page: no horizontal scroll, the navigation in one row at
1280 px, axe-core (from node_modules) finds no serious or critical WCAG 2.1 A/AA violation, and the
visible text has no English catalogue message, no English model or field name and no UTC time.
Screenshots of each role's start page and the inbox in artifacts/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import polib
import pytest

from somevahti.web.archive import access

from .pages import demo_pages
from .test_browser import ARTIFACTS, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = (
    "/__test__/axe.min.js"  # answered by the browser context's route from node_modules, never by the app
)
PACKAGE = ROOT / "src" / "somevahti"
ROLES = ["viestinta", "yksikko", "kirjoittaja", "esihenkilo", "tietoturva", "tarkastaja"]
PASSES = [("fi", 1280), ("sv", 1280), ("fi", 390), ("sv", 390)]  # every language at both widths
UNFILLED = re.compile(r"\{[a-z_]+\}")
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\d\d:\d\d(:\d\d)?(\.\d+)? ?(UTC|Z)\b|\+00:00")
# Words English and Finnish/Swedish share, or names: not evidence of an untranslated message.
SAME = re.compile(r"^[\W\d_]*$")


def _english_messages(lang: str) -> list[str]:
    """Catalogue msgids of several words whose translation differs: seeing one in the page means a
    message was not translated."""
    found = set()
    for cat in [PACKAGE / "locale", *PACKAGE.glob("web/*/locale")]:
        po = cat / lang / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        for e in polib.pofile(str(po)):
            text = e.msgid
            if "%" in text or "{" in text or len(text.split()) < 2 or SAME.match(text):
                continue
            if e.msgstr and e.msgstr != text:
                found.add(text)
    return sorted(found, key=len, reverse=True)


def _english_field_names() -> set[str]:
    """Model and field names (verbose names) in English whose translation differs."""
    from django.apps import apps
    from django.utils import translation

    names = set()
    with translation.override("en"):
        for model in apps.get_models():
            if not model.__module__.startswith("somevahti."):
                continue
            for f in model._meta.get_fields():
                name = str(getattr(f, "verbose_name", "") or "")
                if len(name.split()) >= 2:
                    names.add(name)
    return names


@pytest.fixture
def demo(transactional_db, monkeypatch, tmp_path, settings):
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_DB", f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_MEDIA", str(tmp_path / "media"))
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("SOMEVAHTI_ORG", "kirkkonummi")
    access.close()
    from somevahti.web.core.demo import load_demo
    from somevahti.web.publishing import demo as publishing_demo

    monkeypatch.setattr(publishing_demo, "channel_directory", lambda: tmp_path / "channels")

    load_demo()
    yield demo_pages()
    access.close()


def _sign_in(page, base, username, lang):
    from django_otp.oath import TOTP

    from somevahti.web.core.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

    page.goto(f"{base}/login/")
    page.select_option("#language-select", lang)
    page.wait_for_load_state()
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("#id_token").count():
        page.fill("#id_token", f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()


def _check(page, width, english, fields) -> list[str]:
    problems = []
    scroll = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll[0] > scroll[1]:
        problems.append(f"horizontal scroll: {scroll[0]} px wide at {scroll[1]} px")
    if width >= 1280:
        tops = page.evaluate(
            "() => [...document.querySelectorAll('.site-nav > ul > li')].map(li => li.offsetTop)"
        )
        if len(set(tops)) > 1:
            problems.append(f"navigation wraps: rows at {sorted(set(tops))}")
        clipped = page.evaluate("""() => { const nav = document.querySelector('.site-nav');
            if (!nav) return false; const items = [...nav.querySelectorAll(':scope > ul > li')];
            const tools = document.querySelector('.header-tools').getBoundingClientRect();
            return items.some(li => li.getBoundingClientRect().right >
                Math.min(nav.getBoundingClientRect().right, tools.left) + 1); }""")
        if clipped:
            problems.append("navigation items hidden under the header tools")
        header = page.evaluate("() => document.querySelector('.site-header').offsetHeight")
        if header > 70:
            problems.append(f"header {header} px high")
    if width < 600:  # a list of four or more columns is a list of cards on a phone, not a sideways scroll
        wide = page.evaluate("""() => [...document.querySelectorAll('main table')]
            .filter(t => t.querySelectorAll('thead th').length >= 4 && t.scrollWidth > t.clientWidth + 1)
            .map(t => t.id || t.className || 'table')""")
        problems += [f"table {t} scrolls sideways" for t in wide]
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('main table.stack tbody td')]
            .filter(td => !td.dataset.label && td.closest('table').querySelectorAll('thead th')
                [td.cellIndex]?.textContent.trim()).length""")
        if unlabelled:
            problems.append(f"{unlabelled} card cells without their column's label")
    page.add_script_tag(url=AXE_URL)  # a same-origin script (routed below): the CSP forbids inline ones
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))""")
    problems += [f"axe {v}" for v in result]
    text = page.evaluate("() => document.body.innerText")
    problems += [f"English message: {m!r}" for m in english if m in text][:3]
    problems += [f"English field name: {m!r}" for m in fields if re.search(rf"\b{re.escape(m)}\b", text)][:3]
    if UTC_TIME.search(text):
        problems.append(f"UTC time: {UTC_TIME.search(text).group(0)!r}")
    if UNFILLED.search(text):  # a rule's message template shown as it is, e.g. "'{term}' refers to …"
        problems.append(f"unfilled placeholder: {UNFILLED.search(text).group(0)!r}")
    return problems


@pytest.mark.parametrize(("lang", "width"), PASSES)
def test_every_page_of_every_role(live_server, demo, browser, lang, width):  # noqa: F811
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is not installed; `make install-test` runs npm ci")
        pytest.skip("axe-core not installed (npm ci)")
    english, fields = _english_messages(lang), _english_field_names()
    ARTIFACTS.mkdir(exist_ok=True)
    failures, seen = [], 0
    for username in ROLES:
        context = browser.new_context(locale=lang, viewport={"width": width, "height": 900})
        context.route(
            f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript")
        )
        page = context.new_page()
        _sign_in(page, live_server.url, username, lang)
        denied_checked = False
        for name, url in demo.items():
            response = page.goto(live_server.url + url)
            page.wait_for_load_state()
            if response.status in (403, 404):
                if denied_checked:
                    continue
                denied_checked = True
            elif response.status != 200:
                failures.append(f"{username} {name}: HTTP {response.status}")
                continue
            seen += 1
            assert page.locator("html").get_attribute("lang") == lang, (username, name)
            failures += [
                f"{username} {name} ({lang}, {width}px): {p}" for p in _check(page, width, english, fields)
            ]
            if name in ("home", "inbox:list", "audits:list"):
                page.screenshot(
                    path=str(ARTIFACTS / f"pages-{width}-{lang}-{username}-{name.replace(':', '-')}.png"),
                    full_page=True,
                )
        context.close()
    assert seen > 60
    assert failures == [], "\n".join(failures)
