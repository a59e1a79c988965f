"""Platform figures on the results page: the daily read of every connected account whose connector
can say them (``read_all``, run by the ``daily_metrics`` task) into :class:`MetricSnapshot` rows, and
the period's figures per account and per unit (``rows``)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from somevahti.channels import metrics as core

log = logging.getLogger("somevahti.metrics")


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time.min, tz), datetime.combine(day + timedelta(days=1), time.min, tz)


def read_all(day: date | None = None, connector_for=None) -> dict:
    """Read yesterday's figures (or ``day``'s) for every connection whose connector can; one failing
    account is kept on its connection's ``last_error`` and the others are read all the same.
    ``connector_for``: how a connection becomes a connector (tests give recorded exchanges)."""
    from somevahti import channels
    from somevahti.web.inbox.models import Connection
    from somevahti.web.policy.models import MetricSnapshot
    from somevahti.web.publishing import connections

    day = day or timezone.localdate() - timedelta(days=1)
    connector_for = connector_for or connections.renewed_connector_for
    since, until = _day_bounds(day)
    report = {"read": 0, "failed": 0, "skipped": 0}
    for conn in Connection.objects.select_related("account").order_by("pk"):
        try:
            if not core.supports_metrics(channels.get(conn.connector)):
                report["skipped"] += 1
                continue
            figures = core.fetch_metrics(connector_for(conn), since, until)
        except Exception as e:  # noqa: BLE001 - one account's failure (any) stays its own; the others are read
            log.warning("reading the figures of %s failed: %s", conn.account, e)
            conn.last_error = _("Reading the platform's figures failed: %(reason)s") % {"reason": e}
            conn.save(update_fields=["last_error"])
            report["failed"] += 1
            continue
        MetricSnapshot.objects.update_or_create(
            account=conn.account,
            day=day,
            defaults={
                "followers": figures.followers,
                "reach": figures.reach,
                "engagement": figures.engagement,
                "demo": False,
            },
        )
        report["read"] += 1
    return report


def account_figures(snapshots: list, before) -> dict:
    """One account's period from its snapshots in the period (by day) and the last one before it:
    followers at the end, their change since the start, reach and engagement summed."""
    followed = [s for s in snapshots if s.followers is not None]
    end = followed[-1].followers if followed else None
    start = (
        before.followers
        if before is not None and before.followers is not None
        else (followed[0].followers if followed else None)
    )
    return {
        "followers": end,
        "change": end - start if end is not None and start is not None else None,
        "reach": core.total(s.reach for s in snapshots),
        "engagement": core.total(s.engagement for s in snapshots),
    }


def rows(period, accounts) -> dict:
    """``{"accounts": [...], "units": [...]}``: per account (every registered one in scope; those
    without any figure say so) and summed per unit, in the period."""
    from somevahti.web.policy.models import MetricSnapshot
    from somevahti.web.registry.models import Account

    wanted = set(accounts) if accounts is not None else None
    out, units = [], {}
    for account in Account.objects.select_related("unit").order_by("platform", "handle"):
        name = f"{account.platform}:{account.handle}"
        if wanted is not None and name not in wanted:
            continue
        snaps = list(
            MetricSnapshot.objects.filter(
                account=account, day__gte=period.start, day__lte=period.end
            ).order_by("day")
        )
        before = MetricSnapshot.objects.filter(account=account, day__lt=period.start).order_by("-day").first()
        figures = account_figures(snaps, before)
        available = any(v is not None for v in figures.values())
        unit = account.unit.name if account.unit_id else ""
        out.append(
            {
                "account": name,
                "unit": unit,
                "available": available,
                "demo": any(s.demo for s in snaps),
                **figures,
            }
        )
        if available:
            total = units.setdefault(
                unit, {"unit": unit, "followers": None, "change": None, "reach": None, "engagement": None}
            )
            for key in ("followers", "change", "reach", "engagement"):
                if figures[key] is not None:
                    total[key] = (total[key] or 0) + figures[key]
    return {"accounts": out, "units": [units[k] for k in sorted(units)]}


# The demo organisation: figures for the organisation accounts on platforms whose connectors can read
# them (a person's own expert or personal profile has none: the page says the figures are not
# available), generated from the handle, never random.
DEMO_PLATFORMS = ("facebook", "instagram", "x", "mastodon", "bluesky", "youtube", "linkedin")
NO_REACH = ("mastodon", "x", "bluesky", "youtube")  # as their connectors: docs/policy-document.md


def demo_snapshots(today: date | None = None, days: int = 56) -> int:
    """Daily snapshots of the last ``days`` days for the demo accounts, marked as demo data."""
    import zlib

    from somevahti.web.policy.models import MetricSnapshot
    from somevahti.web.registry.models import Account

    today = today or timezone.localdate()
    made = []
    for account in Account.objects.filter(platform__in=DEMO_PLATFORMS, kind=Account.Kind.SHARED).order_by(
        "pk"
    ):
        seed = zlib.crc32(f"{account.platform}:{account.handle}".encode())
        base = 400 + seed % 4600
        for n in range(days, 0, -1):
            day = today - timedelta(days=n)
            step = days - n
            followers = base + step * (1 + seed % 5) + (step * 7 + seed) % 9
            reach = (
                None if account.platform in NO_REACH else 60 + (seed >> 3) % 400 + (step * 37 + seed) % 150
            )
            engagement = (
                2 + (seed >> 5) % 30 + (step * 13 + seed) % 17 if day.weekday() < 5 else (step + seed) % 4
            )
            if account.platform == "youtube":
                engagement = None
            made.append(
                MetricSnapshot(
                    account=account,
                    day=day,
                    followers=followers,
                    reach=reach,
                    engagement=engagement,
                    demo=True,
                )
            )
    MetricSnapshot.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
