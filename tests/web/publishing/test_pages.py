"""The pages as a person meets them: bad input gives a clear message and loses nothing, the live check
answers, guidance comes from the pack, the calendar moves a post, the dashboard counts what its page lists,
the news feed becomes suggestions."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from somevahti.document import Channel
from somevahti.web.core import dashboard
from somevahti.web.publishing import services
from somevahti.web.publishing.models import Draft, FeedSuggestion, State
from tests.web.publishing.helpers import CLEAN_FI, CLEAN_SV, draft_for, later, needs_unit_editor

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def pub(org):
    needs_unit_editor(org.account_a)
    return org


def _form(org, **extra):
    data = {"accounts": [org.account_a.pk], "text_fi": CLEAN_FI, "text_sv": CLEAN_SV}
    data.update(extra)
    return data


def test_a_100000_character_text_is_refused_on_the_page_and_kept_in_the_form(pub, login):
    client = login(pub.users["author"])
    long = "Kirjasto. " * 10_000
    response = client.post(reverse("publishing:new"), _form(pub, text_fi=long, save="1"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="refusal"' in page and "100000" in page
    assert response.context["form"]["text_fi"].value() == long  # nothing lost
    assert not Draft.objects.exists()


def test_an_unknown_account_is_named_on_the_page(pub, login):
    client = login(pub.users["author"])
    response = client.post(reverse("publishing:new"), _form(pub, accounts=[99999], save="1"))
    assert response.status_code == 400
    assert "99999" in response.content.decode()
    assert response.context["form"]["text_sv"].value() == CLEAN_SV


def test_an_unknown_account_through_the_api_is_a_clear_422(pub, login):
    client = login(pub.users["author"])
    response = client.post(
        "/api/publishing/drafts",
        data={"texts": {"fi": CLEAN_FI}, "accounts": [424242]},
        content_type="application/json",
    )
    assert response.status_code == 422 and "424242" in response.json()["detail"]


def test_a_schedule_in_the_past_is_refused_on_the_page(pub, login):
    client = login(pub.users["author"])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("publishing:new"), _form(pub, scheduled_at=past, save="1"))
    assert response.status_code == 400 and "past" not in response.content.decode()  # Finnish by default
    assert "menneisyydessä" in response.content.decode()
    assert response.context["form"]["text_fi"].value() == CLEAN_FI


def test_an_image_over_the_platform_limit_is_refused_and_the_draft_kept(pub, login):
    draft = draft_for(pub)
    client = login(pub.users["author"])
    big = SimpleUploadedFile(
        "kuva.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024), content_type="image/jpeg"
    )
    response = client.post(
        reverse("publishing:media-add", args=[draft.pk]), {"type": "image", "file": big}, follow=True
    )
    page = response.content.decode()
    assert "11.0 MB" in page and "10.0 MB" in page  # Facebook takes 10 MB
    assert draft.media.count() == 0 and Draft.objects.get(pk=draft.pk).texts()["fi"] == CLEAN_FI


def test_the_live_check_marks_the_words_and_cites_the_clause(pub, login):
    client = login(pub.users["author"])
    text = "Soita Matti Meikäläiselle numeroon 040 123 4567."
    response = client.post(reverse("publishing:check"), {"accounts": [pub.account_a.pk], "text_fi": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="error"' in page and ">040 123 4567</mark>" in page
    assert 'class="badge clause"' in page and 'data-errors="0"' not in page


def test_guidance_comes_from_the_pack_for_a_closed_group(pub, login):
    client = login(pub.users["author"])
    public = client.post(reverse("publishing:check"), _form(pub)).content.decode()
    closed = client.post(reverse("publishing:check"), _form(pub, closed_group="on")).content.decode()
    assert 'data-clause="KIRK-4.4"' in closed and 'data-clause="KIRK-4.4"' not in public


def test_the_preview_counts_the_platforms_way(pub, login):
    pub.account_a.platform = "x"
    pub.account_a.save()
    client = login(pub.users["author"])
    page = client.post(reverse("publishing:check"), _form(pub)).content.decode()
    assert 'data-platform="x"' in page and "/ 280" in page


def test_dragging_in_the_calendar_moves_the_post_to_the_day_keeping_its_time(pub, login):
    when = timezone.localtime(later(24 * 3)).replace(hour=14, minute=30, second=0, microsecond=0)
    draft = draft_for(pub, when=when)
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    client = login(pub.users["unit_editor"])
    month = client.get(reverse("publishing:calendar") + f"?month={when:%Y-%m}").content.decode()
    assert f'data-draft="{draft.pk}"' in month and "data-reschedule" in month
    target = (when + timedelta(days=2)).date()
    response = client.post(
        reverse("publishing:schedule", args=[draft.pk]), {"date": target.isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    moved = timezone.localtime(Draft.objects.get(pk=draft.pk).scheduled_at)
    assert moved.date() == target and (moved.hour, moved.minute) == (14, 30)
    week = client.get(
        reverse("publishing:calendar") + f"?view=week&start={target.isoformat()}"
    ).content.decode()
    assert f'data-draft="{draft.pk}"' in week
    other = client.get(
        reverse("publishing:calendar") + f"?month={when:%Y-%m}&unit={pub.unit_b.pk}"
    ).content.decode()
    assert f'data-draft="{draft.pk}"' not in other  # the unit filter


def test_a_calendar_entry_shows_its_time_text_platforms_and_state(pub, login):
    when = timezone.localtime(later(24 * 3)).replace(hour=9, minute=5, second=0, microsecond=0)
    fi = "Pääkirjaston satuhetki siirtyy ensi viikon torstaille kello 18."
    draft = draft_for(pub, when=when, texts={"fi": fi, "sv": CLEAN_SV})
    draft.accounts.add(pub.account_b)
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    month = (
        login(pub.users["unit_editor"])
        .get(reverse("publishing:calendar") + f"?month={when:%Y-%m}")
        .content.decode()
    )
    entry = month[month.index(f'data-draft="{draft.pk}"') :]
    entry = entry[: entry.index("</li>")]
    assert f"09:05 {fi[:39]}…</a>" in entry  # the first language, cut to 40 characters
    platforms = {Channel(pub.account_a.platform).label, Channel(pub.account_b.platform).label}
    assert all(p in entry for p in platforms)  # the platforms' own names ("LinkedIn", "X")
    assert f'href="{reverse("publishing:draft", args=[draft.pk])}"' in entry
    assert f'data-reschedule="{reverse("publishing:schedule", args=[draft.pk])}"' in entry
    draft.refresh_from_db()
    assert draft.state == State.SCHEDULED and f"· {draft.state_label}</span>" in entry


def test_a_calendar_entry_is_titled_by_the_first_language_version_that_has_text(pub, login):
    when = timezone.localtime(later(24 * 3)).replace(hour=14, minute=30, second=0, microsecond=0)
    draft = draft_for(pub, when=when, texts={"fi": "  \n ", "sv": "Biblioteket har öppet."})
    draft.accounts.add(pub.account_b)
    Draft.objects.filter(pk=draft.pk).update(state=State.SCHEDULED)
    month = (
        login(pub.users["unit_editor"])
        .get(reverse("publishing:calendar") + f"?month={when:%Y-%m}")
        .content.decode()
    )
    entry = month[month.index(f'data-draft="{draft.pk}"') :]
    assert "14:30 Biblioteket har öppet.</a>" in entry[: entry.index("</li>")]


@pytest.mark.parametrize(
    ("period", "local_times"),
    [
        # Helsinki leaves summer time on Sunday 31.10.2027 at 04:00 (+3 -> +2): the month and its week
        ("?month=2027-10", ["2027-10-30 23:59", "2027-10-31 01:30", "2027-10-31 23:45", "2027-09-27 00:05"]),
        ("?view=week&start=2027-10-25", ["2027-10-30 23:59", "2027-10-31 01:30", "2027-10-31 23:45"]),
        # one offset all month (+2): a post just after midnight is on its own day, not the UTC day before
        ("?month=2027-12", ["2027-12-01 00:15", "2027-12-24 23:50"]),
    ],
)
def test_a_calendar_entry_is_on_its_local_day_at_its_local_time(pub, login, period, local_times):
    from datetime import datetime

    tz = timezone.get_current_timezone()
    drafts = {}
    for text in local_times:
        when = datetime.fromisoformat(text).replace(tzinfo=tz)
        draft = draft_for(pub, when=when)
        Draft.objects.filter(pk=draft.pk).update(state=State.SCHEDULED)
        drafts[text] = draft
    page = login(pub.users["unit_editor"]).get(reverse("publishing:calendar") + period).content.decode()
    for text, draft in drafts.items():
        day, hhmm = text.split()
        cell = page[page.index(f'data-date="{day}"') :]
        cell = cell[: cell.index("</td>")]
        assert f'data-draft="{draft.pk}"' in cell, text
        entry = cell[cell.index(f'data-draft="{draft.pk}"') :]
        assert f'">{hhmm} ' in entry[: entry.index("</a>")], text


def test_a_month_without_posts_says_so(pub, login):
    page = (
        login(pub.users["unit_editor"])
        .get(reverse("publishing:calendar") + "?month=2031-02")
        .content.decode()
    )
    assert 'id="calendar-empty"' in page and "data-draft=" not in page


def test_a_calendar_entry_escapes_what_the_author_wrote(pub, login):
    when = timezone.localtime(later(24 * 3))
    draft = draft_for(
        pub, when=when, texts={"fi": '<img src=x onerror="alert(1)"> & "lainaus"', "sv": CLEAN_SV}
    )
    services.submit(pub.users["author"], draft)
    services.approve(pub.users["unit_editor"], draft.pk)
    month = (
        login(pub.users["unit_editor"])
        .get(reverse("publishing:calendar") + f"?month={when:%Y-%m}")
        .content.decode()
    )
    entry = month[month.index(f'data-draft="{draft.pk}"') :]
    entry = entry[: entry.index("</li>")]
    assert "<img" not in entry and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;" in entry


def test_dashboard_cards_count_what_their_pages_list(pub, login):
    draft = draft_for(pub)
    services.submit(pub.users["author"], draft)
    cards = {c.key: c for c in dashboard.cards_for(pub.users["unit_editor"])}
    card = cards["publishing.awaiting-my-approval"]
    assert card.count == 1
    listed = login(pub.users["unit_editor"]).get(card.url).content.decode()
    assert listed.count("<tr data-draft=") == 1
    # an author never approves: no card that would always say 0
    assert "publishing.awaiting-my-approval" not in {c.key for c in dashboard.cards_for(pub.users["author"])}
    services.request_changes(pub.users["unit_editor"], draft.pk, "Lisää linkki.")
    author_cards = {c.key: c.count for c in dashboard.cards_for(pub.users["author"])}
    assert author_cards["publishing.sent-back"] == 1  # never stale: computed on the request
    assert {c.key: c.count for c in dashboard.cards_for(pub.users["unit_editor"])}[
        "publishing.awaiting-my-approval"
    ] == 0


def test_the_crisis_banner_is_on_every_page_while_crisis_mode_is_on(pub, login):
    client = login(pub.users["author"])
    assert 'id="crisis-banner"' not in client.get(reverse("registry:accounts")).content.decode()
    services.start_crisis(pub.users["communications_admin"], "Myrsky katkaisi sähköt")
    for url in (
        reverse("registry:accounts"),
        reverse("publishing:drafts"),
        reverse("publishing:queue"),
        reverse("publishing:calendar"),
        reverse("publishing:new"),
        reverse("home"),
    ):
        # once: the publishing pages no longer repeat the banner in a paragraph of their own
        assert client.get(url).content.decode().count("Myrsky katkaisi sähköt") == 1, url


class _Feed(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_the_news_feed_becomes_draft_suggestions_once(pub, login, settings):
    from somevahti.web.publishing import newsfeed

    _Feed.body = (FIXTURES / "uutiset.rss").read_bytes()
    server = HTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/rss"
        assert newsfeed.refresh(url) == 2
        assert newsfeed.refresh(url) == 0  # each item once
    finally:
        server.shutdown()
    s = FeedSuggestion.objects.get(title="Kirjaston aukioloajat muuttuvat joulun aikaan")
    assert s.link == "https://www.kirkkonummi.fi/uutiset/kirjasto-joulu" and "aukioloajat" in s.summary
    client = login(pub.users["author"])
    page = client.get(reverse("publishing:new") + f"?suggestion={s.pk}").content.decode()
    assert "Kirjaston aukioloajat muuttuvat joulun aikaan" in page
    response = client.post(reverse("publishing:new"), _form(pub, suggestion=s.pk, save="1"))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.draft is not None and s.draft.source_url == s.link


def test_an_unreadable_feed_is_a_clear_message():
    from somevahti.web.publishing import newsfeed

    with pytest.raises(newsfeed.FeedError):
        newsfeed.store(b"<html><body>not a feed")


def test_a_published_post_cannot_be_edited_and_the_state_is_shown(pub, login):
    draft = draft_for(pub)
    Draft.objects.filter(pk=draft.pk).update(state=State.PUBLISHED)
    client = login(pub.users["author"])
    response = client.post(reverse("publishing:draft", args=[draft.pk]), _form(pub, save="1"))
    assert response.status_code == 403
    assert Draft.objects.get(pk=draft.pk).texts()["fi"] == CLEAN_FI


def test_a_busy_day_in_the_month_shows_its_first_posts_and_links_to_the_week_with_all(pub, login):
    from somevahti.web.publishing.calendar_page import MONTH_DAY_LIMIT

    day = timezone.localtime(later(24 * 3)).replace(hour=8, minute=0, second=0, microsecond=0)
    drafts = [draft_for(pub, when=day + timedelta(minutes=10 * i)) for i in range(MONTH_DAY_LIMIT + 3)]
    Draft.objects.filter(pk__in=[d.pk for d in drafts]).update(state=State.SCHEDULED)
    client = login(pub.users["unit_editor"])
    month = client.get(reverse("publishing:calendar") + f"?month={day:%Y-%m}").content.decode()
    cell = month[month.index(f'data-date="{day.date().isoformat()}"') :]
    cell = cell[: cell.index("</td>")]
    shown = [d for d in drafts if f'data-draft="{d.pk}"' in cell]
    assert shown == drafts[:MONTH_DAY_LIMIT]  # the day's first posts, in time order
    assert f'?view=week&amp;start={day.date().isoformat()}">+3 julkaisua lisää</a>' in cell  # Finnish first
    week = client.get(reverse("publishing:calendar") + f"?view=week&start={day.date().isoformat()}")
    assert all(f'data-draft="{d.pk}"' in week.content.decode() for d in drafts)  # the week lists them all
