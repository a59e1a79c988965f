from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "somevahti.web.audits"
    label = "audits"
    verbose_name = _("Audits")

    def ready(self) -> None:
        from somevahti.web.audits import signals  # noqa: F401 - marks the audit stale on registry changes
        from somevahti.web.audits.cards import audit_cards
        from somevahti.web.core import dashboard

        dashboard.register("audits", audit_cards)
