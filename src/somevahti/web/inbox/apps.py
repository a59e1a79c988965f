from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "somevahti.web.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from somevahti.web.core import dashboard
        from somevahti.web.inbox.cards import inbox_cards

        dashboard.register("inbox", inbox_cards)
