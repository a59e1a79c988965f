"""The requests' dashboard cards: requests waiting for my decision (account requests for
communications admins, expert profile requests for the person's supervisor, KIRK-4.1) and my own
requests still waiting. The request list shows exactly these with ``?show=decide`` / ``?show=mine``."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from somevahti.web.core import dashboard, policy
from somevahti.web.core.models import Role
from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest

PENDING = "pending"


def _decides_accounts(user) -> bool:
    """Communications decides account requests."""
    return getattr(user, "is_superuser", False) or policy.role_of(user) == Role.COMMUNICATIONS_ADMIN


def _supervised(user) -> Q | None:
    """The expert profile requests this user decides as the person's supervisor (None: none)."""
    person_id = getattr(getattr(user, "membership", None), "person_id", None)
    if person_id is None or policy.role_of(user) == Role.AUDITOR:
        return None
    return Q(person__supervisor_id=person_id)


def to_decide(user):
    """(account requests, expert profile requests) waiting for this user's decision."""
    accounts = AccountRequest.objects.filter(status=PENDING)
    if not _decides_accounts(user):
        accounts = accounts.none()
    experts = ExpertProfileRequest.objects.filter(status=PENDING)
    supervised = _supervised(user)
    experts = experts.none() if supervised is None else experts.filter(supervised)
    return accounts, experts


def mine_waiting(user):
    return (
        AccountRequest.objects.filter(status=PENDING, requested_by=user),
        ExpertProfileRequest.objects.filter(status=PENDING, requested_by=user),
    )


def _counts(user) -> tuple[int, int]:
    """(to decide, mine waiting): what to_decide() and mine_waiting() list, at most one query per model."""
    supervised = _supervised(user)
    files = policy.can_file_request(user) or policy.can_file_expert_request(user)
    mine = {"mine": Q(requested_by=user)} if files else {}  # no filter, no query
    a = mine | ({"decide": Q()} if _decides_accounts(user) else {})
    e = mine | ({"decide": supervised} if supervised is not None else {})
    a = dashboard.counts(AccountRequest.objects.filter(status=PENDING), **a)
    e = dashboard.counts(ExpertProfileRequest.objects.filter(status=PENDING), **e)
    return a.get("decide", 0) + e.get("decide", 0), a.get("mine", 0) + e.get("mine", 0)


def request_cards(user) -> list[dashboard.Card]:
    cards = []
    base = reverse("requests:list")
    n, mine = _counts(user)
    if n or policy.role_of(user) in (Role.COMMUNICATIONS_ADMIN, Role.SUPERVISOR):
        cards.append(
            dashboard.Card(
                "requests.to-decide",
                ngettext("%(n)d request waits for your decision", "%(n)d requests wait for your decision", n)
                % {"n": n},
                n,
                base + "?show=decide",
                dashboard.WARNING if n else dashboard.INFO,
                30,
            )
        )
    if policy.can_file_request(user) or policy.can_file_expert_request(user):
        n = mine
        cards.append(
            dashboard.Card(
                "requests.mine",
                ngettext("%(n)d of your requests is waiting", "%(n)d of your requests are waiting", n)
                % {"n": n},
                n,
                base + "?show=mine",
                dashboard.INFO,
                60,
            )
        )
    return cards
