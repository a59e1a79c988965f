"""Overdue items surface to the people who must see that an answer is late (KIRK-5.12, KIRK-5.13): each
unit's editors get their unit's late items, the communications admins all of them — once per item.

An item is claimed (``overdue_notified_at``) in the same transaction that sends the mail, so a sweep
that runs twice, or two sweeps at once, mail an item once; a failed mail rolls the claim back and the
next sweep tries again. The inbox page shows overdue items on top regardless.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override

from somevahti.web.core.models import Membership, Role
from somevahti.web.inbox import services
from somevahti.web.inbox.models import Item


def _lines(items) -> str:
    return "\n".join(
        f"- {i.account} · {timezone.localtime(i.due_at):%Y-%m-%d %H:%M} · {i.text[:80]} "
        f"({reverse('inbox:item', args=[i.pk])})"
        for i in items
    )


def _claim(items: list[Item], now) -> list[Item]:
    """The items this sweep is the first to take (a conditional update per item: concurrent sweeps
    wait on the row and then find it taken)."""
    return [
        i
        for i in items
        if Item.objects.filter(pk=i.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=now)
    ]


def notify(now=None) -> dict[str, int]:
    """Mail the items that became overdue since the last sweep; return address → number of items."""
    now = now or timezone.now()
    candidates = list(
        services.overdue(Item.objects.select_related("account", "account__unit"), now)
        .filter(overdue_notified_at__isnull=True)
        .order_by("due_at", "id")
    )
    sent: dict[str, int] = {}
    if not candidates:
        return sent
    with transaction.atomic():
        late = _claim(candidates, now)
        by_unit = defaultdict(list)
        for item in late:
            by_unit[item.account.unit_id].append(item)
        to_send = [
            (m.user.email, by_unit[m.unit_id])
            for m in Membership.objects.select_related("user").filter(
                role=Role.UNIT_EDITOR, unit_id__in=by_unit
            )
            if m.user.email
        ]
        to_send += [
            (m.user.email, late)
            for m in Membership.objects.select_related("user").filter(role=Role.COMMUNICATIONS_ADMIN)
            if m.user.email
        ]
        with override(settings.LANGUAGE_CODE):
            for email, items in to_send:
                subject = ngettext(
                    "Somevahti: %(n)d comment past its answer time",
                    "Somevahti: %(n)d comments past their answer time",
                    len(items),
                ) % {"n": len(items)}
                send_mail(subject, _lines(items), None, [email])
                sent[email] = sent.get(email, 0) + len(items)
    return sent
