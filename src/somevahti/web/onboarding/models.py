"""Onboarding: the steps a person has marked done, their quiz attempts, and the registry grants that
wait for their person to pass the quiz (the pack's ``onboarding.quiz_required``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StepDone(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="onboarding_steps",
    )
    step_key = models.CharField(_("step"), max_length=120)
    done_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("onboarding step done")
        verbose_name_plural = _("onboarding steps done")
        constraints = [models.UniqueConstraint(fields=["user", "step_key"], name="onboarding_step_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.step_key}"


class QuizAttempt(models.Model):
    """One answered quiz: the questions are remade from the pack and the seed; the rule ids asked and
    the answers given are kept as they were."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    pack = models.CharField(_("pack"), max_length=100)
    pack_version = models.CharField(_("pack version"), max_length=50)
    seed = models.BigIntegerField(_("seed"))
    rule_ids = models.JSONField(_("rules asked"), default=list)
    answers = models.JSONField(_("answers"), default=list)
    score = models.FloatField(_("score"))
    passed = models.BooleanField(_("passed"), default=False)
    at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        indexes = [models.Index(fields=["user", "pack", "passed"])]

    def __str__(self) -> str:
        return f"{self.user} {self.pack} {self.score:.0%}"


class PendingGrant(models.Model):
    """An access grant the registry was asked for, waiting for its person to pass the quiz."""

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="pending_grants"
    )
    account = models.ForeignKey(
        "registry.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="pending_grants"
    )
    role = models.CharField(_("role"), max_length=10)  # AccessGrant.Role
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    granted_at = models.DateTimeField(_("granted"), null=True, blank=True)
    grant = models.ForeignKey(
        "registry.AccessGrant",
        verbose_name=_("access grant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("grant waiting for the quiz")
        verbose_name_plural = _("grants waiting for the quiz")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "account"],
                condition=Q(granted_at__isnull=True),
                name="onboarding_one_waiting_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.account} ({self.role})"

    @property
    def role_label(self) -> str:
        from somevahti.web.registry.models import AccessGrant, choice_label

        return choice_label(AccessGrant.Role, self.role)
