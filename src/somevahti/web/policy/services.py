"""Putting a pack version in force: a model-level step, never done in a view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from somevahti.policy import versions
from somevahti.policy.schema import Pack
from somevahti.web.core import policy
from somevahti.web.policy.models import PackVersion


def put_in_force(pack: Pack, user, note: str = "") -> PackVersion:
    """Record this pack content as in force, approved by ``user``. The same content as the version
    already in force is not recorded twice (that version is returned)."""
    if not policy.can_put_pack_in_force(user):
        raise PermissionDenied
    digest = versions.digest(pack)
    with transaction.atomic():
        current = (
            PackVersion.objects.select_for_update()
            .filter(pack=pack.id)
            .order_by("-approved_at", "-id")
            .first()
        )
        if current is not None and current.digest == digest:
            return current
        version = PackVersion.objects.create(
            pack=pack.id,
            version=pack.version,
            digest=digest,
            source=versions.source(pack),
            approved_by=user,
            approved_at=timezone.now(),
            note=note,
        )
    from somevahti.web.api.checking import version_changed

    version_changed()  # organisation_pack() decides again (web/wizard: a draft's pack may be in force)
    return version
