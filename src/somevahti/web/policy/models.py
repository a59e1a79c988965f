"""Every version of the organisation's pack that was put in force: its full content, its hash, who
approved it (a communications admin with verified two-step sign-in) and when."""

from __future__ import annotations

import yaml
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PackVersion(models.Model):
    pack = models.CharField(_("pack"), max_length=100)
    version = models.CharField(_("version"), max_length=50)
    digest = models.CharField(_("content hash"), max_length=64)
    source = models.TextField(_("content (YAML)"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("put in force"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("pack version in force")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.pack} {self.version} #{self.digest[:12]}"

    def content(self) -> dict:
        return yaml.safe_load(self.source)

    @classmethod
    def in_force(cls, pack: str) -> PackVersion | None:
        return cls.objects.filter(pack=pack).order_by("-approved_at", "-id").first()


class Reader(models.Model):
    """The language a person last read the policy in: the monthly results summary is sent in it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_reader"
    )
    language = models.CharField(_("language"), max_length=5)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"


class MetricSnapshot(models.Model):
    """One account's platform figures for one day, as its connector read them (``metrics`` task): the
    followers when read, the reach and engagement of that day. None: the platform did not say.
    ``demo`` marks the demo organisation's generated figures."""

    account = models.ForeignKey(
        "registry.Account",
        on_delete=models.CASCADE,
        related_name="metric_snapshots",
        verbose_name=_("account"),
    )
    day = models.DateField(_("day"))
    followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    engagement = models.PositiveIntegerField(_("engagement"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("read at"), auto_now=True)
    demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["account_id", "day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="one_metric_snapshot_a_day")]
        verbose_name = _("platform figures of a day")

    def __str__(self) -> str:
        return f"{self.account} {self.day}"
