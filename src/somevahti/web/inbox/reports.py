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
            "account__handle", "account__unit__name", "response_hours"):
        by_account[account].append(hours)
        by_unit[unit].append(hours)

    def rows(groups):
        return [{"name": name, "answered": len(v), "p50": percentile(v, 50), "p90": percentile(v, 90),
                 "max": max(v)} for name, v in sorted(groups.items())]

    return {"account": rows(by_account), "unit": rows(by_unit)}


def volumes(items) -> list[dict]:
    counts = dict(items.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    return [{"category": c, "label": str(label), "count": counts.get(c, 0)} for c, label in CATEGORY_LABELS.items()]


def overdue(items, now=None) -> list[dict]:
    now = now or timezone.now()
    rows = Counter(items.filter(status=Item.Status.OPEN, due_at__lt=now).values_list("account__unit__name",
                                                                                         "account__handle"))
    return [{"unit": unit, "account": account, "overdue": n} for (unit, account), n in sorted(rows.items())]


def incidents_by_type(incidents=None) -> list[dict]:
    incidents = incidents if incidents is not None else Incident.objects.all()
    counts = dict(incidents.values_list("type").annotate(n=Count("id")).values_list("type", "n"))
    return [{"type": t, "label": str(label), "count": counts.get(t, 0)} for t, label in Incident.Type.choices]


def bar_chart(rows: list[tuple[str, float]], title: str, width: int = 560, bar: int = 22) -> str:
    """A horizontal bar chart as inline SVG; every text is escaped."""
    label_w, pad = 190, 6
    top = max((v for _, v in rows), default=0) or 1
    height = len(rows) * (bar + pad) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
           f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 10 + i * (bar + pad)
        w = round((width - label_w - 60) * value / top)
        out.append(f'<text x="{label_w - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" font-size="13">'
                   f'{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#0b5cad"></rect>')
        out.append(f'<text x="{label_w + w + 4}" y="{y + bar * 0.7:.0f}" font-size="13">{value:g}</text>')
    out.append("</svg>")
    return "".join(out)
