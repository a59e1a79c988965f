"""``somevahti web manage inbox_import FILE --account platform:handle``: import a comment file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from somevahti.channels import file as file_connector
from somevahti.errors import InputError
from somevahti.web.inbox import services
from somevahti.web.registry.models import Account


class Command(BaseCommand):
    help = "Import comments (JSON Lines or CSV) into the inbox: archived, triaged, assigned."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--account", required=True, help="platform:handle of a registered account")

    def handle(self, *args, **options):
        platform, _, handle = options["account"].partition(":")
        account = Account.objects.filter(platform=platform, handle=handle).first()
        if account is None:
            raise CommandError(f"no registered account {options['account']!r}")
        path = Path(options["path"])
        try:
            items, errors = file_connector.parse(path.read_bytes(), str(path), account.platform)
        except (OSError, InputError) as e:
            raise CommandError(str(e)) from None
        if errors:
            raise CommandError("\n".join(f"{path}: {e}" for e in errors) + "\nnothing was imported")
        report = services.ingest(items, account, actor="inbox-import", event="imported")
        self.stdout.write(
            f"{len(report.created)} new, {len(report.updated)} changed, {report.unchanged} already in"
        )
