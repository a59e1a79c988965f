"""``somevahti web manage inbox_poll [--once] [--interval SECONDS]``: fetch comments, replies and
mentions of every connected account; each is archived, triaged and assigned. Between rounds it
waits the interval, twice as long after a round where every connection failed (capped at an hour);
single requests already retry with backoff on 429 and 5xx."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from somevahti.channels import ChannelError, polling
from somevahti.web.inbox import services
from somevahti.web.inbox.models import Connection


class _AllConnections:
    name = "inbox"

    def __init__(self, out):
        self.out = out

    def fetch(self) -> list:
        conns = list(Connection.objects.select_related("account", "account__unit"))
        failed = 0
        for conn in conns:
            try:
                report = services.poll(conn)
            except ChannelError as e:
                failed += 1
                self.out.write(f"{conn.account}: {e}")
            else:
                self.out.write(f"{conn.account}: {len(report.created)} new, {len(report.updated)} changed")
        if conns and failed == len(conns):
            raise ChannelError("every connection failed")
        return []


class Command(BaseCommand):
    help = "Poll the connected accounts for comments, replies and mentions."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=300.0)

    def handle(self, *args, **options):
        polling.poll(
            _AllConnections(self.stdout),
            lambda items: None,
            interval=options["interval"],
            rounds=1 if options["once"] else None,
        )
