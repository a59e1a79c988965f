"""Who a user is in the organisation: one role, the person they are, and for unit editors the unit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    COMMUNICATIONS_ADMIN = "communications_admin", _("communications admin")
    UNIT_EDITOR = "unit_editor", _("unit editor")
    AUTHOR = "author", _("author")
    SUPERVISOR = "supervisor", _("supervisor")
    IT_SECURITY = "it_security", _("IT/security")
    AUDITOR = "auditor", _("auditor")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    person = models.OneToOneField(
        "registry.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("the unit a unit editor maintains"),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("empty: the browser's language"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class BackgroundJob(models.Model):
    """What every job the background worker runs for a page keeps: who started it, when, its status
    and how far it has come (``done`` of ``total``), and the error it ended with. The page polls it
    (core/_job_progress.html). A job with more steps redefines ``Status`` and ``status``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True

    def record(self, **fields) -> None:
        """Set ``fields`` here and write them at once on the default database, outside whatever
        transaction or scratch copy the job is working in, so the polling page sees them."""
        for name, value in fields.items():
            setattr(self, name, value)
        type(self).objects.using("default").filter(pk=self.pk).update(**fields)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    @property
    def running(self) -> bool:
        """Still waiting or working: the page goes on polling."""
        return self.status not in (self.Status.DONE, self.Status.FAILED)

    def done_of_total(self) -> str:
        """How far the job has come in its own unit ("3 of 7 rows"); each job names what it counts."""
        return ngettext("%(done)s of %(total)s row", "%(done)s of %(total)s rows", self.total) % {
            "done": self.done,
            "total": self.total,
        }


# Who created, changed or deactivated a user, and when (the password hash is never copied).
register(User, app="somevahti.web.core", excluded_fields=["password", "last_login"])
