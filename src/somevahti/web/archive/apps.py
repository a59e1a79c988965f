from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveWebConfig(AppConfig):
    name = "somevahti.web.archive"
    label = "archive_web"  # "archive_*" table names belong to the archive core
    verbose_name = _("Archive")
