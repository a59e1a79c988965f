"""Inbox figures: response-time percentiles per account and unit, volumes per category, overdue
counts, incidents by type; as rows for tables and CSV, and a bar chart as SVG."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape

from somevahti.web.inbox.models import CATEGORY_LABELS, Incident, Item


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of the values, None for none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def response_times(items) -> dict[str, list[dict]]:
    by_account: dict[str, list[float]] = defaultdict(list)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for account, unit, hours in items.filter(response_hours__isnull=False).values_list(
        "account__handle", "account__unit__name", "response_hours"
    ):
        by_account[account].append(hours)
        by_unit[unit].append(hours)

    def rows(groups):
        return [
            {
                "name": name,
                "answered": len(v),
                "p50": percentile(v, 50),
                "p90": percentile(v, 90),
                "max": max(v),
            }
            for name, v in sorted(groups.items())
        ]

    return {"account": rows(by_account), "unit": rows(by_unit)}


def volumes(items) -> list[dict]:
    counts = dict(items.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    return [
        {"category": c, "label": str(label), "count": counts.get(c, 0)}
        for c, label in CATEGORY_LABELS.items()
    ]


def overdue(items, now=None) -> list[dict]:
    now = now or timezone.now()
    rows = Counter(
        items.filter(status=Item.Status.OPEN, due_at__lt=now).values_list(
            "account__unit__name", "account__handle"
        )
    )
    return [{"unit": unit, "account": account, "overdue": n} for (unit, account), n in sorted(rows.items())]


def incidents_by_type(incidents=None) -> list[dict]:
    incidents = incidents if incidents is not None else Incident.objects.all()
    counts = dict(incidents.values_list("type").annotate(n=Count("id")).values_list("type", "n"))
    return [{"type": t, "label": str(label), "count": counts.get(t, 0)} for t, label in Incident.Type.choices]


def bar_chart(rows: list[tuple[str, float]], title: str) -> str:
    """A horizontal bar chart in HTML: each label beside its bar (a <progress>, sized by CSS, no inline
    style, so a strict Content-Security-Policy allows it) and its number; labels wrap instead of being
    cut, and the chart narrows with the screen. The table below it is the accessible alternative, so
    the bars are hidden from screen readers. Every text is escaped."""
    top = max((v for _, v in rows), default=0) or 1
    out = [
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption><ul class="bars" aria-hidden="true">'
    ]
    for label, value in rows:
        out.append(
            f'<li><span class="bar-label">{escape(label)}</span>'
            f'<progress max="{top:g}" value="{value:g}"></progress><span class="value">{value:g}</span></li>'
        )
    out.append("</ul></figure>")
    return "".join(out)
