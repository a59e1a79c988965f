"""The publishing cards of the home page (registered in the app's ready())."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from somevahti.web.core import dashboard, policy
from somevahti.web.publishing.models import Draft, State


def awaiting(user) -> list[Draft]:
    """Drafts in review that this user may approve now."""
    qs = (
        policy.drafts_for(user)
        .filter(state=State.IN_REVIEW)
        .exclude(author=user)
        .select_related("author__membership__person")
        .prefetch_related("accounts", "accounts__publishing")
    )
    return [d for d in qs if policy.can_approve(user, d)]


def today_range():
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    return datetime.combine(today, time.min, tzinfo=tz), datetime.combine(
        today + timedelta(days=1), time.min, tzinfo=tz
    )


def publishing_cards(user) -> list[dashboard.Card]:
    if not policy.can_view_publishing(user):
        return []
    cards = []
    lo, hi = today_range()
    compose, failed = policy.can_compose(user), policy.can_view_failed(user)
    going = (State.SCHEDULED, State.PUBLISHING)
    wanted = {"today": Q(state__in=going, scheduled_at__gte=lo, scheduled_at__lt=hi)}
    if compose:
        wanted["sent_back"] = Q(author=user, state=State.CHANGES_REQUESTED)
    if failed:
        wanted["failed"] = Q(state=State.FAILED)
    counted = dashboard.counts(policy.drafts_for(user), **wanted)  # one query for the three counts
    if compose and policy.approves_posts(user):
        n = len(awaiting(user))
        cards.append(
            dashboard.Card(
                "publishing.awaiting-my-approval",
                ngettext("%(n)d draft waits for your approval", "%(n)d drafts wait for your approval", n)
                % {"n": n},
                n,
                reverse("publishing:drafts") + "?show=review",
                dashboard.WARNING if n else dashboard.INFO,
                10,
            )
        )
    if compose:
        n = counted["sent_back"]
        cards.append(
            dashboard.Card(
                "publishing.sent-back",
                ngettext("%(n)d of your drafts was sent back", "%(n)d of your drafts were sent back", n)
                % {"n": n},
                n,
                reverse("publishing:drafts") + "?show=returned",
                dashboard.WARNING if n else dashboard.INFO,
                20,
            )
        )
    n = counted["today"]
    cards.append(
        dashboard.Card(
            "publishing.today",
            ngettext("%(n)d post goes out today", "%(n)d posts go out today", n) % {"n": n},
            n,
            reverse("publishing:queue") + "?today=1",
            dashboard.INFO,
            30,
        )
    )
    if failed:
        n = counted["failed"]
        cards.append(
            dashboard.Card(
                "publishing.failed",
                ngettext("%(n)d publication failed", "%(n)d publications failed", n) % {"n": n},
                n,
                reverse("publishing:failed"),
                dashboard.URGENT if n else dashboard.INFO,
                5,
            )
        )
    return cards
