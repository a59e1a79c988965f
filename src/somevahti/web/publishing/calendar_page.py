"""The calendar of scheduled and published posts (month and week), filterable by account and unit;
a scheduled post is dragged to another day to reschedule it (the schedule view does the move)."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast, Substr
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from somevahti.web.core import policy
from somevahti.web.core.guards import int_or_none, require
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


def _items_by_day(
    drafts, start: date, end: date, limit: int | None = None
) -> tuple[dict[date, list[str]], dict[date, int]]:
    """Each day's posts as list items (at most ``limit`` a day, in time order) and how many more each day
    has, read as plain rows in three queries (no model instances: a busy month has over a thousand
    posts) and written here rather than in the template, whose nine variable lookups per entry cost more
    than the rest of the page. Only a post's title is the author's text and is escaped per entry
    (html.escape, quotes too, as Django's own escape does); the other values are our own (ids, times,
    the states' labels and the platforms' names, escaped once each)."""
    draft_url, schedule_url = _url_pattern("publishing:draft"), _url_pattern("publishing:schedule")
    rows, hidden, shown_on = [], Counter(), Counter()
    for day, pk, stored, state in _rows_by_day(drafts, start, end):
        if limit is not None and shown_on[day] >= limit:
            hidden[day] += 1
            continue
        shown_on[day] += 1
        rows.append((day, pk, _local_time(stored), state))
    # a subquery when every post is shown, not a thousand parameters; else the few shown
    pks = drafts.values("pk") if not hidden else [pk for _, pk, _, _ in rows]
    first_text, platforms = _first_texts(pks), _platforms(pks)
    labels: dict[str, tuple[str, str]] = {}
    by_day: dict[date, list[str]] = {}
    for day, pk, when, state in rows:
        if state not in labels:
            labels[state] = (escape(state), escape(str(choice_label(State, state))))
        state_value, state_label = labels[state]
        drag = ""
        if state == State.SCHEDULED:
            drag = f' draggable="true" data-reschedule="{schedule_url.format(pk)}"'
        by_day.setdefault(day, []).append(
            f'<li data-draft="{pk}" data-state="{state_value}"{drag}><a href="{draft_url.format(pk)}">'
            f"{when.hour:02d}:{when.minute:02d} {escape(_title(first_text.get(pk, ''), pk))}</a> "
            f'<span class="muted">{platforms.get(pk, "")} · {state_label}</span></li>'
        )
    return by_day, hidden


def _rows_by_day(drafts, start: date, end: date):
    """The posts (in time order) as (local day, pk, stored time, state). A busy month has over a thousand
    posts, most of them behind a day's "+N more", so their times are not converted one by one: each is
    compared, as stored, with the UTC instants at which the period's local days end (which also puts
    the posts of a daylight-saving day on the right day). On SQLite the stored time is read as its text
    (UTC, ISO 8601, which sorts as the instants do): Django's two converters per row cost three times
    the query."""
    tz = timezone.get_current_timezone()
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    ends = [datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz) for day in days]
    if connection.vendor == "sqlite":
        stored = drafts.values_list("pk", Cast("scheduled_at", CharField()), "state")
        ends = [connection.ops.adapt_datetimefield_value(instant) for instant in ends]
    else:
        stored = drafts.values_list("pk", "scheduled_at", "state")  # aware, the driver's own conversion
    i = 0
    for pk, when, state in stored:
        while when >= ends[i]:
            i += 1
        yield days[i], pk, when, state


def _local_time(stored) -> datetime:
    """A stored time (SQLite's UTC text, or an aware datetime) as the organisation's local time."""
    if isinstance(stored, str):
        stored = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return stored.astimezone(timezone.get_current_timezone())


def _day_cells(weeks, by_day, hidden, month: int, view: str, today: date, weekday, filters: str) -> str:
    """The calendar's rows of day cells, written here for the reason _items_by_day gives: a month is 42
    cells of ten values each. Every value is our own (dates, numbers, translated weekday names and the
    "+N more" text, escaped), or a day's items, escaped where they were written; ``filters`` is the
    account and unit query, made of integers."""
    more_text: dict[int, str] = {}
    out = []
    for week in weeks:
        out.append("<tr>")
        for day in week:
            classes = " ".join(
                name
                for name, on in (("muted", day.month != month and view != "week"), ("today", day == today))
                if on
            )
            more = hidden.get(day, 0)
            link = ""
            if more:
                if more not in more_text:
                    more_text[more] = escape(
                        ngettext("+%(n)s more post", "+%(n)s more posts", more) % {"n": more}
                    )
                link = (
                    f'<li class="more"><a href="?view=week&amp;start={day.isoformat()}{filters}">'
                    f"{more_text[more]}</a></li>"
                )
            out.append(
                f'<td data-date="{day.isoformat()}" class="{classes}"><div class="day"><span class="weekday">'
                f"{escape(weekday[day.weekday()])}</span> {day.day}.{day.month}.</div><ul>"
                f"{''.join(by_day.get(day, ()))}{link}</ul></td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - see above


def _options(choices, selected: int | None) -> str:
    """A filter's ``<option>`` elements, written here as the day cells are: an organisation has hundreds
    of accounts, and the template's lookups and number formatting per option cost more than the query.
    Labels (account handles, unit names) are escaped; values are integers."""
    return mark_safe(  # noqa: S308 - every label escaped, every value an integer
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk == selected else ""}>{escape(str(label))}</option>'
            for pk, label in choices
        )
    )


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
        start,
        end,
        limit=MONTH_DAY_LIMIT if view == "month" else None,
    )
    weekday = [str(WEEKDAYS_ABBR[i]) for i in range(7)]
    filters = "".join(f"&amp;{name}={pk}" for name, pk in (("account", account), ("unit", unit)) if pk)
    rows = _day_cells(
        weeks, by_day, hidden, (start + timedelta(days=10)).month, view, today, weekday, filters
    )
    accounts = (
        Account.objects.exclude(status=Account.Status.CLOSED)
        .order_by("platform", "handle")
        .values_list("pk", "platform", "handle")
    )
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
            "account_options": _options(
                ((pk, Account.label(platform, handle)) for pk, platform, handle in accounts), account
            ),
            "unit_options": _options(Unit.objects.order_by("name").values_list("pk", "name"), unit),
            "weekdays": weekday,
        },
    )
