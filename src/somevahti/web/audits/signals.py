"""Any change to the registry makes the stored audit stale; the next audit page view recomputes it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation, Unit


def _mark_stale(sender, **kwargs) -> None:
    from somevahti.web.audits.models import AuditState

    AuditState.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})


for model in (Unit, Person, Account, AccessGrant, SecurityAttestation):
    post_save.connect(_mark_stale, sender=model, dispatch_uid=f"audit-stale-save-{model.__name__}")
    post_delete.connect(_mark_stale, sender=model, dispatch_uid=f"audit-stale-delete-{model.__name__}")
