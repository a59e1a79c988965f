from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "somevahti.web.audits"
    label = "audits"
    verbose_name = _("Audits")

    def ready(self) -> None:
        from somevahti.web.audits import signals  # noqa: F401 - marks the audit stale on registry changes
