"""The results page's figures for a period: the core's archive figures (posts, languages, findings
per 100 posts) plus answer times, overdue answers and audit findings from the apps' own models, and
the platforms' own figures (followers, reach, engagement: ``web/policy/metrics.py``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.html import escape

from somevahti.policy import results as core
from somevahti.policy.results import week_of


@dataclass
class Period:
    start: date
    end: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        try:
            e = date.fromisoformat(end) if end else today
        except ValueError:
            e = today
        try:
            s = date.fromisoformat(start) if start else e - timedelta(weeks=8)
        except ValueError:
            s = e - timedelta(weeks=8)
        return cls(min(s, e), max(s, e))

    def bounds(self):
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tz),
        )


@lru_cache(maxsize=2)
def _checker(digest: str):
    from somevahti.check import Checker
    from somevahti.web.policy.documents import _packs

    return Checker(_packs[digest], use_ner=False)


def figures(pack, period: Period, accounts: list[str] | None) -> dict:
    """Everything the page, the CSV and the monthly summary show. ``accounts``: None for all."""
    from somevahti.web.archive import access
    from somevahti.web.policy import documents, metrics

    wanted = set(accounts) if accounts is not None else None
    posts = (
        []
        if wanted == set()
        else core.posts_from_archive(access.archive(), access.org(), period.start, period.end, wanted)
    )
    checker = _checker(documents._remember(pack))
    platform = metrics.rows(period, accounts)
    return {
        "posts": core.posts_per_week(posts),
        "coverage_account": core.language_coverage(posts, pack, "account"),
        "coverage_unit": core.language_coverage(posts, pack, "unit"),
        "findings": core.findings_per_100(posts, checker),
        "answers": answer_rows(period, accounts),
        "audits": audit_rows(period, accounts),
        "metrics_accounts": platform["accounts"],
        "metrics_units": platform["units"],
        "total_posts": len(posts),
    }


def _items(period: Period, accounts):
    from somevahti.web.inbox.models import Item

    start, end = period.bounds()
    items = Item.objects.filter(received_at__gte=start, received_at__lt=end).select_related("account")
    wanted = set(accounts) if accounts is not None else None
    return [i for i in items if wanted is None or f"{i.account.platform}:{i.account.handle}" in wanted]


def answer_rows(period: Period, accounts) -> list[dict]:
    """Per account: items with an answer clock, answered, median and slowest answer (business hours),
    overdue."""
    from somevahti.web.inbox.reports import percentile

    now = timezone.now()
    by_account: dict[str, dict] = {}
    for item in _items(period, accounts):
        name = f"{item.account.platform}:{item.account.handle}"
        row = by_account.setdefault(name, {"account": name, "answered": 0, "hours": [], "overdue": 0})
        if item.response_hours is not None:
            row["answered"] += 1
            row["hours"].append(item.response_hours)
        elif item.due_at is not None and item.due_at < now and item.status == "open":
            row["overdue"] += 1
    out = []
    for _name, row in sorted(by_account.items()):
        hours = row.pop("hours")
        out.append({**row, "p50": percentile(hours, 50), "max": max(hours) if hours else None})
    return out


def audit_rows(period: Period, accounts) -> list[dict]:
    """Per week: audit findings opened and closed."""
    from somevahti.web.audits.models import Finding

    start, end = period.bounds()
    qs = Finding.objects.all()
    if accounts is not None:
        from somevahti.web.registry.models import Account

        ids = [a.pk for a in Account.objects.all() if f"{a.platform}:{a.handle}" in set(accounts)]
        qs = qs.filter(account_id__in=ids)
    opened = Counter(
        week_of(timezone.localdate(t))
        for t in qs.filter(first_seen__gte=start, first_seen__lt=end).values_list("first_seen", flat=True)
    )
    closed = Counter(
        week_of(timezone.localdate(t))
        for t in qs.filter(closed_at__gte=start, closed_at__lt=end).values_list("closed_at", flat=True)
    )
    return [
        {"week": w, "opened": opened.get(w, 0), "closed": closed.get(w, 0)}
        for w in sorted(set(opened) | set(closed))
    ]


def rule_names(pack, lang: str) -> dict[str, str]:
    """Rule id -> what the rule asks, in the reader's language (its message), for tables a person reads."""
    from somevahti.policy.render import fill

    return {r.id: fill(r.message.get(lang), {}, lang) for r in pack.rules}


def bar_chart(rows: list[tuple[str, float]], title: str, unit: str = "", bar: int = 20) -> str:
    """Horizontal bars as inline SVG; the label column is as wide as the longest label, so labels fit.
    Every text is escaped; the page shows the same figures as a table beside it."""
    longest = max((len(label) for label, _ in rows), default=4)
    label_w = min(360, 12 + int(longest * 7.6))
    width, pad = label_w + 320, 6
    top = max((v for _, v in rows), default=0) or 1
    height = len(rows) * (bar + pad) + 16
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" font-family="DejaVu Sans, sans-serif">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(rows):
        y = 8 + i * (bar + pad)
        w = round(250 * value / top)
        out.append(
            f'<text x="{label_w - 6}" y="{y + bar * 0.72:.0f}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#0b5cad"></rect>'
            f'<text x="{label_w + w + 4}" y="{y + bar * 0.72:.0f}" font-size="12">'
            f"{value:g}{escape(unit)}</text>"
        )
    out.append("</svg>")
    return "".join(out)
