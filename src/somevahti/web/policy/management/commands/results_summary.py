"""``somevahti web manage results_summary``: e-mail last month's results to communications now."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "E-mail last month's results summary to the communications admins, each in their language."

    def handle(self, *args, **options):
        from somevahti.web.policy.summary import send_monthly_summary

        self.stdout.write(_("%(n)s summaries sent.") % {"n": send_monthly_summary()})
