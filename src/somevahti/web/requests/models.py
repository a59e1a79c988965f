"""Requests for new accounts, groups and channels (KIRK-5.5, KELA-3.2, KIRK-5.2) and for expert
profiles (KIRK-4.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from somevahti.document import Channel
from somevahti.web.registry.models import Person, Unit


class Decision(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class AccountRequest(models.Model):
    class What(models.TextChoices):
        ACCOUNT = "account", _("account")
        GROUP = "group", _("group")
        CHANNEL = "channel", _("channel")

    what = models.CharField(_("what"), max_length=10, choices=What.choices, default=What.ACCOUNT)
    platform = models.CharField(_("platform"), max_length=20, choices=[(c.value, c.label) for c in Channel])
    handle = models.CharField(_("proposed handle"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="+")
    need = models.TextField(_("need"))
    goals = models.TextField(_("goals"))
    target_group = models.CharField(_("target group"), max_length=300)
    planned_content = models.TextField(_("planned content"))
    languages = models.CharField(_("languages"), max_length=40, default="fi,sv")
    maintainers = models.ManyToManyField(Person, verbose_name=_("maintainers"), related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="account_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)
    history = HistoricalRecords(m2m_fields=[maintainers])

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle}"


class ExpertProfileRequest(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(_("platform"), max_length=20, choices=[(c.value, c.label) for c in Channel])
    handle = models.CharField(_("handle"), max_length=200)
    topics = models.CharField(_("topics"), max_length=300)
    reason = models.TextField(_("why the profile suits the role"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="expert_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("expert profile request")
        verbose_name_plural = _("expert profile requests")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_platform_display()} {self.handle}"
