"""``somevahti web manage inbox_overdue``: e-mail each unit's editors the items of their unit that have
become overdue since the last sweep, and the communications admins all of them. The task worker
(``somevahti web worker``, started by ``serve``) runs the same sweep every 15 minutes; this command is
for running it by hand. Prints what was sent."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from somevahti.web.inbox import overdue


class Command(BaseCommand):
    help = "Mail the unit editors and communications admins the items that became overdue (each item once)."

    def handle(self, *args, **options):
        sent = overdue.notify()
        if not sent:
            self.stdout.write("nothing newly overdue")
        for email, n in sent.items():
            self.stdout.write(f"{email}: {n}")
