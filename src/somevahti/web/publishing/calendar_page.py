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


def _url_pattern(name: str) -> str:
    """The URL of ``name`` with ``{}`` for its one pk, reversed and escaped once: a month of a busy
    organisation has over a thousand posts, and reversing two URLs for each costs more than the rest of
    the page."""
    return escape(reverse(name, args=[987654321])).replace("987654321", "{}")


def _first_texts(pks) -> dict[int, str]:
    """Each post's first language version that has text, only the title's characters of it: the blank
    versions are skipped in Python (a regex filter is a Python call per row on SQLite), and the whole
    texts of a month are megabytes the page never shows."""
    first: dict[int, str] = {}
    for draft_id, text in (
        LanguageVersion.objects.filter(draft_id__in=pks)
        .exclude(text="")
        .order_by("draft_id", "position", "id")
        .values_list("draft_id", Substr("text", 1, TITLE_LENGTH + 1))
    ):
        if draft_id not in first and text.strip():
            first[draft_id] = text
    return first


def _platforms(pks) -> dict[int, str]:
    """Each post's platforms as the escaped text the calendar shows ("Bluesky, Facebook")."""
    found: dict[int, list[str]] = {}
    names: dict[str, str] = {}  # the labels are lazy translations: each resolved once, not per post
    for draft_id, platform in (
        Draft.accounts.through.objects.filter(draft_id__in=pks)
        .order_by("draft_id", "account_id")
        .values_list("draft_id", "account__platform")
    ):
        if platform not in names:
            names[platform] = str(PLATFORM_LABELS.get(platform, platform))
        found.setdefault(draft_id, []).append(names[platform])
    shown: dict[tuple, str] = {}
    out: dict[int, str] = {}
    for pk, listed in found.items():
        key = tuple(listed)
        if key not in shown:
            shown[key] = escape(", ".join(listed))
        out[pk] = shown[key]
    return out


MONTH_DAY_LIMIT = 6  # posts a day shows in the month view; the rest behind "+N more" (the week view)


def _items_by_day(drafts, limit: int | None = None) -> tuple[dict[date, list[str]], dict[date, int]]:
    """Each day's posts as list items (at most ``limit`` a day, in time order) and how many more each day
    has, read as plain rows in three queries (no model instances: a busy month has over a thousand
    posts) and written here rather than in the template, whose nine variable lookups per entry cost more
    than the rest of the page. Only a post's title is the author's text and is escaped per entry
    (html.escape, quotes too, as Django's own escape does); the other values are our own (ids, times,
    the states' labels and the platforms' names, escaped once each)."""
    draft_url, schedule_url = _url_pattern("publishing:draft"), _url_pattern("publishing:schedule")
    tz = timezone.get_current_timezone()
    rows, hidden, shown_on = [], {}, {}
    for pk, scheduled_at, state in drafts.values_list("pk", "scheduled_at", "state"):
        when = scheduled_at.astimezone(tz)
        day = when.date()
        if limit is not None and shown_on.get(day, 0) >= limit:
            hidden[day] = hidden.get(day, 0) + 1
            continue
        shown_on[day] = shown_on.get(day, 0) + 1
        rows.append((pk, when, state))
    # a subquery when every post is shown, not a thousand parameters; else the few shown
    pks = drafts.values("pk") if not hidden else [pk for pk, _, _ in rows]
    first_text, platforms = _first_texts(pks), _platforms(pks)
    labels: dict[str, tuple[str, str]] = {}
    by_day: dict[date, list[str]] = {}
    for pk, when, state in rows:
        if state not in labels:
            labels[state] = (escape(state), escape(str(choice_label(State, state))))
        state_value, state_label = labels[state]
        drag = ""
        if state == State.SCHEDULED:
            drag = f' draggable="true" data-reschedule="{schedule_url.format(pk)}"'
        by_day.setdefault(when.date(), []).append(
            f'<li data-draft="{pk}" data-state="{state_value}"{drag}><a href="{draft_url.format(pk)}">'
            f"{when.hour:02d}:{when.minute:02d} {escape(_title(first_text.get(pk, ''), pk))}</a> "
            f'<span class="muted">{platforms.get(pk, "")} · {state_label}</span></li>'
        )
    return by_day, hidden


class CalendarDay(NamedTuple):
    iso: str
    weekday: str
    label: str  # "5.12."
    items: str
    more: int  # posts of the day not shown (month view): the week view from that day lists them
    inside: bool  # in the month shown (a month view's first and last weeks reach into its neighbours)
    today: bool


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
    by_day, hidden = _items_by_day(
        _calendar_drafts(request.user, start, end, account, unit),
        limit=MONTH_DAY_LIMIT if view == "month" else None,
    )
    inside_month = (start + timedelta(days=10)).month
    weekday = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
    rows = [
        [
            CalendarDay(
                day.isoformat(),
                weekday[day.weekday()],
                f"{day.day}.{day.month}.",
                mark_safe("".join(by_day.get(day, ()))),  # noqa: S308 - every value escaped in _items_by_day
                hidden.get(day, 0),
                day.month == inside_month or view == "week",
                day == today,
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
            "weekdays": weekday,
        },
    )
