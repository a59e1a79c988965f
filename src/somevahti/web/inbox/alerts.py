"""A threat is mailed at once, not at the next overdue sweep: to the person it is assigned to (the
post's publisher), the account's unit editors and the communications admins. Its answer time
(``response_targets.escalate_threat``) then runs like any other, and the sweep mails it again if late."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from somevahti.web.core.models import Membership, Role


def recipients(item) -> list[str]:
    emails = {
        m.user.email
        for m in Membership.objects.select_related("user").filter(role=Role.COMMUNICATIONS_ADMIN)
        if m.user.email
    }
    emails |= {
        m.user.email
        for m in Membership.objects.select_related("user").filter(
            role=Role.UNIT_EDITOR, unit_id=item.account.unit_id
        )
        if m.user.email
    }
    if item.assignee_id and item.assignee.email:
        emails.add(item.assignee.email)
    return sorted(emails)


def notify_threats(items) -> int:
    """Mail each new threat; returns the number of mails sent."""
    sent = 0
    with override(settings.LANGUAGE_CODE):
        for item in items:
            to = recipients(item)
            if not to:
                continue
            due = timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M") if item.due_at else "—"
            body = "\n".join(
                [
                    f"{item.account} · {timezone.localtime(item.received_at):%Y-%m-%d %H:%M}",
                    item.text[:500],
                    "",
                    gettext("Handle by: %(due)s") % {"due": due},
                    reverse("inbox:item", args=[item.pk]),
                ]
            )
            send_mail(
                gettext("Somevahti: a threat in the inbox (%(account)s)") % {"account": item.account},
                body,
                None,
                to,
                fail_silently=True,
            )
            sent += 1
    return sent
