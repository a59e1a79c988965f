"""``somevahti web manage inbox_overdue``: e-mail each unit's editors the items of their unit that are
past their answer time, and the communications admins all of them (run it from cron, e.g. hourly
in business hours). Prints what was sent."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from somevahti.web.core.models import Membership, Role
from somevahti.web.inbox import services
from somevahti.web.inbox.models import Item


def _lines(items) -> str:
    return "\n".join(f"- {i.account} · {i.due_at:%Y-%m-%d %H:%M} · {i.text[:80]} ({reverse('inbox:item', args=[i.pk])})"
                     for i in items)


class Command(BaseCommand):
    help = "Mail the unit editors and communications admins the items past their answer time."

    def handle(self, *args, **options):
        late = list(services.overdue(Item.objects.select_related("account", "account__unit"), timezone.now())
                    .order_by("due_at"))
        if not late:
            self.stdout.write("nothing overdue")
            return
        by_unit = defaultdict(list)
        for item in late:
            by_unit[item.account.unit_id].append(item)
        to_send = [(m.user.email, by_unit[m.unit_id]) for m in Membership.objects.select_related("user").filter(
            role=Role.UNIT_EDITOR, unit_id__in=by_unit) if m.user.email]
        to_send += [(m.user.email, late) for m in Membership.objects.select_related("user").filter(
            role=Role.COMMUNICATIONS_ADMIN) if m.user.email]
        with override(settings.LANGUAGE_CODE):
            for email, items in to_send:
                send_mail(_("Somevahti: %(n)d comments past their answer time") % {"n": len(items)},
                          _lines(items), None, [email])
                self.stdout.write(f"{email}: {len(items)}")
