"""Audit findings as they persist between runs: open, resolved, or accepted with a reason until a date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AuditState(models.Model):
    """One row: when the registry last changed and when the audit last ran."""

    changed_at = models.DateTimeField(null=True)
    audited_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"changed {self.changed_at}, audited {self.audited_at}"

    @classmethod
    def get(cls) -> AuditState:
        return cls.objects.get_or_create(pk=1)[0]

    @property
    def is_stale(self) -> bool:
        return self.audited_at is None or (self.changed_at is not None and self.changed_at >= self.audited_at)


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        ACCEPTED = "accepted", _("accepted")
        CLEARED = "cleared", _("cleared by the audit")

    rule = models.CharField(_("rule"), max_length=60)
    key = models.CharField(_("subject"), max_length=80)
    clauses = models.JSONField(_("clauses"), default=list)
    message = models.TextField(_("message"))
    params = models.JSONField(default=dict)
    account = models.ForeignKey(
        "registry.Account", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    grant = models.ForeignKey(
        "registry.AccessGrant", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    unit = models.ForeignKey(
        "registry.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    act_roles = models.JSONField(default=list)
    act_people = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    accepted_until = models.DateField(_("accepted until"), null=True, blank=True)
    notified = models.BooleanField(default=False)
    # The pack version the audit ran with when the finding was opened (or reopened), e.g.
    # "kirkkonummi 2026.11 #1a2b3c4d5e6f" (somevahti.policy.versions.label).
    pack_version = models.CharField(_("pack version"), max_length=140, blank=True)
    history = HistoricalRecords(excluded_fields=["last_seen", "params", "message", "notified"])

    class Meta:
        ordering = ["rule", "id"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="finding_unique_subject")]
        indexes = [
            models.Index(fields=["status", "rule", "id"]),
            models.Index(fields=["account", "status", "rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"

    @property
    def identity(self) -> str:
        return f"{self.rule}|{self.key}"
