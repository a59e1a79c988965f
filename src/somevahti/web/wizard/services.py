"""The wizard's state changes: a new draft, a step's answers, an import, putting the draft in force.
Views call these; who may is decided in web/core/policy.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from somevahti.errors import PackError
from somevahti.policy import overlay
from somevahti.web.core import policy
from somevahti.web.wizard.models import Draft

MAX_UPLOAD = 512 * 1024  # bytes: the largest built-in pack is 40 kB


def create_draft(user, *, name: str, base: str, pack_id: str, version: str) -> Draft:
    if not policy.can_use_wizard(user):
        raise PermissionDenied
    text = overlay.dump(overlay.new_overlay(base, pack_id, version))
    overlay.load(text)  # raises PackError before anything is saved
    return Draft.objects.create(name=name, base=base, overlay=text, created_by=user)


def save_overlay(draft: Draft, user, data: dict, name: str | None = None) -> Draft:
    """Save a step's result (the overlay data); it must load as a pack, or nothing changes."""
    if not policy.can_use_wizard(user):
        raise PermissionDenied
    text = overlay.dump(data)
    overlay.load(text, f"{data.get('id') or draft.base}.yaml")
    draft.overlay, draft.base = text, data["extends"]
    draft.name = name or draft.name
    draft.save(update_fields=["overlay", "base", "name", "updated_at"])
    return draft


def import_overlay(draft: Draft, user, raw: bytes, filename: str) -> Draft:
    """Replace the draft's overlay with an uploaded one. A bad upload raises PackError (file:line) and
    the draft stays as it was."""
    if not policy.can_use_wizard(user):
        raise PermissionDenied
    if len(raw) > MAX_UPLOAD:
        raise PackError(f"{filename}: larger than {MAX_UPLOAD // 1024} kB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise PackError(f"{filename}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    data = overlay.parse(text, filename)
    draft.overlay, draft.base = text, data["extends"]
    draft.save(update_fields=["overlay", "base", "updated_at"])
    return draft


def put_in_force(draft: Draft, user, note: str = ""):
    """Put the draft's pack in force (web/policy/services.put_in_force records the PackVersion); from
    then on organisation_pack() is this pack, until another version is put in force."""
    from somevahti.web.api import checking
    from somevahti.web.policy import services
    from somevahti.web.publishing.checking import reset_checker

    if not (policy.can_use_wizard(user) and policy.can_put_pack_in_force(user)):
        raise PermissionDenied
    pack = draft.pack()
    with transaction.atomic():
        version = services.put_in_force(pack, user, note=note)
        draft.in_force, draft.in_force_overlay = version, draft.overlay
        draft.save(update_fields=["in_force", "in_force_overlay", "updated_at"])
    checking.organisation_pack.cache_clear()
    reset_checker()
    return version
