"""The inbox's dashboard cards: comments past their answer time, open threats, comments waiting
for an answer, open incidents, and (for communications admins) API connections whose last poll
failed. Each links to the inbox page listing exactly what it counts; the comments' counts are one
query, the connections' one more."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from somevahti.web.core import dashboard, policy

THREAT = "escalate_threat"


def open_incidents(user):
    from somevahti.web.inbox.models import Incident
    from somevahti.web.inbox.views import visible_incidents

    return visible_incidents(user).exclude(status=Incident.Status.RESOLVED)


def failed_connections():
    from somevahti.web.inbox.models import Connection

    return Connection.objects.exclude(last_error="")


RENEW_WITHIN = timedelta(days=7)


def expiring_connections(now=None):
    """Connections a person must connect again within a week (or already should have): one query."""
    from somevahti.web.inbox.models import Connection

    rows = Connection.objects.only("pk", "connector", "settings", "secrets_sealed")
    return Connection.objects.filter(pk__in=_expiring(rows, now))


def _expiring(rows, now=None) -> list[int]:
    limit = (now or timezone.now()) + RENEW_WITHIN
    return [c.pk for c in rows if (by := c.reconnect_by) is not None and by <= limit]


def _connection_counts(now) -> tuple[int, int]:
    """(failed, expiring): what failed_connections() and expiring_connections() count, from one read."""
    from somevahti.web.inbox.models import Connection

    rows = list(Connection.objects.only("pk", "connector", "settings", "secrets_sealed", "last_error"))
    return sum(1 for c in rows if c.last_error != ""), len(_expiring(rows, now))


def inbox_cards(user) -> list[dashboard.Card]:
    if not policy.can_view_inbox(user):
        return []
    from somevahti.web.inbox import services
    from somevahti.web.inbox.models import Incident, Item
    from somevahti.web.inbox.views import visible_incidents, visible_items

    items = visible_items(user)
    now = timezone.now()
    base = reverse("inbox:list")
    n = dashboard.counts(
        items,
        overdue=services.overdue_q(now),
        threats=Q(status=Item.Status.OPEN, category=THREAT),
        open=Q(status=Item.Status.OPEN),
    )
    n_overdue, n_threats, n_open = n["overdue"], n["threats"], n["open"]
    # open_incidents(user).count() by primary key: counting the distinct rows themselves selected every
    # column of the incident and its joins
    n_incidents = dashboard.counts(visible_incidents(user), open=~Q(status=Incident.Status.RESOLVED))["open"]
    cards = [
        dashboard.Card(
            "inbox.overdue",
            ngettext(
                "%(n)d comment is past its answer time",
                "%(n)d comments are past their answer time",
                n_overdue,
            )
            % {"n": n_overdue},
            n_overdue,
            base + "?queue=overdue&status=open",
            dashboard.URGENT if n_overdue else dashboard.INFO,
            10,
        ),
        dashboard.Card(
            "inbox.threats",
            ngettext("%(n)d open threat", "%(n)d open threats", n_threats) % {"n": n_threats},
            n_threats,
            base + f"?category={THREAT}&status=open",
            dashboard.URGENT if n_threats else dashboard.INFO,
            11,
        ),
        dashboard.Card(
            "inbox.incidents",
            ngettext("%(n)d open incident", "%(n)d open incidents", n_incidents) % {"n": n_incidents},
            n_incidents,
            reverse("inbox:incidents") + "?open=1",
            dashboard.URGENT if n_incidents else dashboard.INFO,
            12,
        ),
        dashboard.Card(
            "inbox.open",
            ngettext("%(n)d comment waits for an answer", "%(n)d comments wait for an answer", n_open)
            % {"n": n_open},
            n_open,
            base + "?status=open",
            dashboard.WARNING if n_open else dashboard.INFO,
            40,
        ),
    ]
    if policy.can_manage_connections(user):
        n, n_expiring = _connection_counts(now)
        cards.append(
            dashboard.Card(
                "inbox.connections-failed",
                ngettext("%(n)d API connection failed", "%(n)d API connections failed", n) % {"n": n},
                n,
                reverse("inbox:connections") + "?failed=1",
                dashboard.URGENT if n else dashboard.INFO,
                13,
            )
        )
        n = n_expiring
        cards.append(
            dashboard.Card(
                "inbox.tokens-expiring",
                ngettext(
                    "%(n)d account must be connected again within a week",
                    "%(n)d accounts must be connected again within a week",
                    n,
                )
                % {"n": n},
                n,
                reverse("inbox:connections") + "?expiring=1",
                dashboard.WARNING if n else dashboard.INFO,
                14,
            )
        )
    return cards
