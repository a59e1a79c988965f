"""makemessages that also collects the core's ``N_()`` markers (audit messages translated on display)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
