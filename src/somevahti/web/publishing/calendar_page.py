"""The calendar of scheduled and published posts (month and week), filterable by account and unit;
a scheduled post is dragged to another day to reschedule it (the schedule view does the move)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from html import escape
from typing import NamedTuple

from django.db.models.functions import Substr
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import mark_safe

from somevahti.web.core import policy
from somevahti.web.core.guards import int_or_none, require
from somevahti.web.publishing import services
from somevahti.web.publishing.models import Draft, LanguageVersion, State
from somevahti.web.registry.models import PLATFORM_LABELS, Account, Unit, choice_label


def _calendar_drafts(user, start: date, end: date, account=None, unit=None):
    tz = timezone.get_current_timezone()
    lo = datetime.combine(start, time.min, tzinfo=tz)
    hi = datetime.combine(end, time.min, tzinfo=tz)
    qs = policy.drafts_for(user).filter(
        scheduled_at__gte=lo,
        scheduled_at__lt=hi,
        state__in=(State.SCHEDULED, State.PUBLISHING, State.PUBLISHED, State.FAILED, State.APPROVED),
    )
    if account:
        qs = qs.filter(pk__in=Draft.accounts.through.objects.filter(account_id=account).values("draft_id"))
    if unit:
        qs = qs.filter(pk__in=Draft.accounts.through.objects.filter(account__unit_id=unit).values("draft_id"))
    return qs.order_by("scheduled_at", "id")


TITLE_LENGTH = 40  # characters of a post's first language version shown in the calendar


class CalendarEntry(NamedTuple):
    pk: int
    day: date
    time: str
    title: str
    platforms: str
    state: str
    state_label: str
    url: str
    reschedule_url: str


def _url_pattern(name: str) -> str:
    """The URL of ``name`` with ``{}`` for its one pk, reversed once: a month of a busy organisation has
    over a thousand posts, and reversing two URLs for each costs more than the rest of the page."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _calendar_entries(drafts) -> list[CalendarEntry]:
    """What the calendar shows of each post, read as plain rows in three queries (no model instances:
    a busy month has over a thousand posts) and put together once here; the template only prints it."""
    draft_url, schedule_url = _url_pattern("publishing:draft"), _url_pattern("publishing:schedule")
    rows = list(drafts.values_list("pk", "scheduled_at", "state"))
    pks = drafts.values("pk")  # a subquery, not a thousand parameters
    first_text: dict[int, str] = {}
    # Only the title's characters, and the blank versions skipped in Python: a regex filter is a Python
    # call per row on SQLite, and the whole texts of a month are megabytes the page never shows.
    for draft_id, text in (
        LanguageVersion.objects.filter(draft_id__in=pks)
        .exclude(text="")
        .order_by("draft_id", "position", "id")
        .values_list("draft_id", Substr("text", 1, TITLE_LENGTH + 1))
    ):
        if draft_id not in first_text and text.strip():
            first_text[draft_id] = text
    platforms: dict[int, list[str]] = {}
    for draft_id, platform in (
        Draft.accounts.through.objects.filter(draft_id__in=pks)
        .order_by("draft_id", "account_id")
        .values_list("draft_id", "account__platform")
    ):
        platforms.setdefault(draft_id, []).append(PLATFORM_LABELS.get(platform, platform))
    out, labels, tz = [], {}, timezone.get_current_timezone()
    for pk, scheduled_at, state in rows:
        when = scheduled_at.astimezone(tz)
        if state not in labels:
            labels[state] = str(choice_label(State, state))
        out.append(
            CalendarEntry(
                pk,
                when.date(),
                f"{when:%H:%M}",
                _title(first_text.get(pk, ""), pk),
                ", ".join(platforms.get(pk, ())),
                state,
                labels[state],
                draft_url.format(pk),
                schedule_url.format(pk) if state == State.SCHEDULED else "",
            )
        )
    return out


def _entry_html(e: CalendarEntry) -> str:
    drag = f' draggable="true" data-reschedule="{escape(e.reschedule_url)}"' if e.reschedule_url else ""
    return (
        f'<li data-draft="{e.pk}" data-state="{escape(e.state)}"{drag}><a href="{escape(e.url)}">'
        f'{escape(e.time)} {escape(e.title)}</a> <span class="muted">{escape(e.platforms)} · '
        f"{escape(e.state_label)}</span></li>"
    )


def _day_items(entries) -> str:
    """One day's posts as list items, every value escaped (html.escape, quotes too, as Django's own
    escape does). Built here rather than in the template: a busy month has over a thousand entries, and
    the template engine's nine variable lookups for each cost more than the rest of the page."""
    return mark_safe("".join(_entry_html(e) for e in entries))  # noqa: S308 - every value escaped above


def _title(text: str, pk: int, length: int = TITLE_LENGTH) -> str:
    title = text or f"#{pk}"
    return title if len(title) <= length else title[: length - 1] + "…"


def calendar_view(request):
    require(policy.can_view_publishing(request.user))
    today = timezone.localdate()
    view = request.GET.get("view", "month")
    account, unit = int_or_none(request.GET.get("account")), int_or_none(request.GET.get("unit"))
    if view == "week":
        try:
            anchor = date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else today
        except ValueError:
            anchor = today
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
        prev, nxt = start - timedelta(days=7), end
        weeks = [[start + timedelta(days=i) for i in range(7)]]
    else:
        view = "month"
        try:
            year, month = (int(x) for x in request.GET.get("month", "").split("-"))
            first = date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
        start, end = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
        prev = (first - timedelta(days=1)).replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
    by_day: dict[date, list] = {}
    for entry in _calendar_entries(_calendar_drafts(request.user, start, end, account, unit)):
        by_day.setdefault(entry.day, []).append(entry)
    rows = [
        [
            (
                day,
                _day_items(by_day.get(day, ())),
                day.month == (start + timedelta(days=10)).month or view == "week",
            )
            for day in week
        ]
        for week in weeks
    ]
    return render(
        request,
        "publishing/calendar.html",
        {
            "view": view,
            "rows": rows,
            "any_posts": bool(by_day),
            "today": today,
            "prev": prev,
            "next": nxt,
            "start": start,
            "title_month": start + timedelta(days=10),
            "account": account,
            "unit": unit,
            "accounts": Account.objects.exclude(status=Account.Status.CLOSED).order_by("platform", "handle"),
            "units": Unit.objects.order_by("name"),
            "crisis": services.crisis_now(),
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        },
    )
