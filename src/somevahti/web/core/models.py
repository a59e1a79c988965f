"""Who a user is in the organisation: one role, the person they are, and for unit editors the unit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _
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
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="membership")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    person = models.OneToOneField("registry.Person", verbose_name=_("person"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="membership")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text=_("the unit a unit editor maintains"))
    language = models.CharField(_("language"), max_length=5, blank=True, choices=settings.LANGUAGES,
                                help_text=_("empty: the browser's language"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"



# Who created, changed or deactivated a user, and when (the password hash is never copied).
register(User, app="somevahti.web.core", excluded_fields=["password", "last_login"])
