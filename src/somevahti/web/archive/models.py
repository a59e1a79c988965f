"""Records-request exports started from the web: what was asked, by whom, and how far the
background task has come. The bundle itself is a file under the data directory; the export is
recorded in the archive (kind ``export``) by the archive core."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from somevahti.web.core.models import BackgroundJob


class ExportJob(BackgroundJob):
    actor = models.CharField(_("actor"), max_length=150)
    accounts = models.JSONField(_("accounts"), default=list)
    since = models.DateField(_("from"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    text = models.CharField(_("search"), max_length=500, blank=True)
    redact = models.BooleanField(_("redact personal data in the PDF"), default=False)
    threads = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    archive_seq = models.BigIntegerField(_("archive record"), null=True, blank=True)

    class Meta:
        db_table = "web_archive_export"
        ordering = ["-created"]
        verbose_name = _("records export")
        verbose_name_plural = _("records exports")

    def __str__(self) -> str:
        return f"#{self.pk} {', '.join(self.accounts)}"

    def done_of_total(self) -> str:
        return ngettext("%(done)s of %(total)s thread", "%(done)s of %(total)s threads", self.total) % {
            "done": self.done,
            "total": self.total,
        }

    @property
    def bundle_path(self):
        return settings.DATA_DIR / "archive-exports" / f"export-{self.pk}.zip"
