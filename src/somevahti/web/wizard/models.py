"""A policy wizard draft: an overlay pack (``extends:`` a built-in pack plus what the organisation
changed) being answered step by step, and the version it was put in force as (issue 12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from somevahti.policy import overlay
from somevahti.policy.schema import Pack

BASE_CHOICES = [(name, name) for name in overlay.BASES]


class Draft(models.Model):
    name = models.CharField(_("name"), max_length=200)
    base = models.CharField(_("starting pack"), max_length=50, choices=BASE_CHOICES)
    overlay = models.TextField(_("overlay (YAML)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    in_force = models.ForeignKey(
        "policydoc.PackVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wizard_drafts",
        verbose_name=_("put in force as"),
    )
    in_force_overlay = models.TextField(
        _("overlay put in force (YAML)"),
        blank=True,
        help_text=_("the overlay as it was put in force; later edits do not change it"),
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("policy wizard draft")

    def __str__(self) -> str:
        return self.name

    @property
    def filename(self) -> str:
        """``<pack id>.yaml``, safe in a download header (an imported id may hold anything)."""
        import re

        return re.sub(r"[^A-Za-z0-9._-]+", "-", str(self.data().get("id") or self.base))[:80] + ".yaml"

    def data(self) -> dict:
        import yaml

        data = yaml.safe_load(self.overlay)
        return data if isinstance(data, dict) else {}

    def pack(self) -> Pack:
        """The merged pack of the overlay as it stands (raises PackError)."""
        return overlay.load(self.overlay, self.filename)

    def base_pack(self) -> Pack:
        from somevahti.policy import load_pack

        return load_pack(self.base)
