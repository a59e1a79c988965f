"""The home page is the day's work: each app contributes cards through one registry.

An app registers a provider in its ``AppConfig.ready()``::

    from somevahti.web.core import dashboard
    dashboard.register("publishing", publishing_cards)

A provider is ``provider(user) -> list[Card]``; it returns only cards the user may act on or
open (the permission policy decides), computes counts with a constant number of queries, and
links each card to the page that lists exactly what it counts. Cards are computed on every
request: counts are never cached, so they are never stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

URGENT, WARNING, INFO = "urgent", "warning", "info"


@dataclass(frozen=True)
class Card:
    key: str  # stable id, e.g. "publishing.awaiting-my-approval" (tests and CSS use it)
    label: str  # already translated, e.g. ngettext("%(n)d draft waits for your approval", …)
    count: int
    url: str  # the page listing exactly these items
    level: str = INFO  # URGENT (overdue, threats, failures), WARNING, INFO
    order: int = 100  # lower first within a level


Provider = Callable[[object], list[Card]]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def counts(queryset, **filters) -> dict[str, int]:
    """Several counts over one queryset in one query: ``counts(qs, open=Q(status="open"), …)``. Each is
    exactly ``queryset.filter(q).count()``; a queryset made distinct by its joins is counted by primary
    key, so a row is counted once."""
    from django.db.models import Count

    if not filters:
        return {}
    if queryset.query.distinct:
        queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
    return queryset.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})


def cards_for(user) -> list[Card]:
    found: list[Card] = []
    for provider in _PROVIDERS.values():
        found.extend(provider(user))
    rank = {URGENT: 0, WARNING: 1, INFO: 2}
    return sorted(found, key=lambda c: (rank.get(c.level, 3), c.order, c.key))
