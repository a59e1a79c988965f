"""Records-request exports started from the web: what was asked, by whom, and how far the
background task has come. The bundle itself is a file under the data directory; the export is
recorded in the archive (kind ``export``) by the archive core."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    actor = models.CharField(_("actor"), max_length=150)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    accounts = models.JSONField(_("accounts"), default=list)
    since = models.DateField(_("from"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    text = models.CharField(_("search"), max_length=500, blank=True)
    redact = models.BooleanField(_("redact personal data in the PDF"), default=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    threads = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    archive_seq = models.BigIntegerField(_("archive record"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        db_table = "web_archive_export"
        ordering = ["-created"]
        verbose_name = _("records export")
        verbose_name_plural = _("records exports")

    def __str__(self) -> str:
        return f"#{self.pk} {', '.join(self.accounts)}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def bundle_path(self):
        return settings.DATA_DIR / "archive-exports" / f"export-{self.pk}.zip"
