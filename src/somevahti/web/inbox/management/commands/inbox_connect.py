"""``somevahti web manage inbox_connect --account mastodon:kirkkonummi --base-url https://… --token-env VAR
--status ID …``: connect an account to its platform API. The token is read from the named
environment variable (never from the command line) and stored encrypted (SOMEVAHTI_CHANNEL_KEY)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from somevahti.errors import SomevahtiError
from somevahti.web.inbox import services
from somevahti.web.registry.models import Account


class Command(BaseCommand):
    help = "Connect a registered account to its platform API (token encrypted at rest)."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="platform:handle of a registered account")
        parser.add_argument(
            "--connector", default="", help="connector name (default: the account's platform)"
        )
        parser.add_argument("--base-url", default="", help="the server, e.g. https://mastodon.example")
        parser.add_argument(
            "--token-env", required=True, help="environment variable that holds the access token"
        )
        parser.add_argument(
            "--status", action="append", default=[], help="id of our post whose replies are fetched"
        )

    def handle(self, *args, **options):
        platform, _, handle = options["account"].partition(":")
        account = Account.objects.filter(platform=platform, handle=handle).first()
        if account is None:
            raise CommandError(f"no registered account {options['account']!r}")
        token = os.environ.get(options["token_env"], "")
        if not token:
            raise CommandError(f"the environment variable {options['token_env']} is empty")
        try:
            services.connect(
                account,
                options["connector"] or platform,
                token,
                base_url=options["base_url"],
                statuses=options["status"],
            )
        except SomevahtiError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"{account}: connected")
