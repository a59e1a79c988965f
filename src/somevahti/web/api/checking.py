"""The organisation's pack and a Checker whose directory is the registry's staff and units.

:func:`organisation_pack` is the one place that decides which pack is the organisation's: the pack of
a policy wizard draft when the version put in force last is that draft's (web/wizard), otherwise the
configured pack (SOMEVAHTI_PACK)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError

from somevahti.check import Checker
from somevahti.errors import PackError
from somevahti.policy import load_pack
from somevahti.policy.directory import directory_for


@lru_cache(maxsize=1)
def configured_pack():
    """The configured pack (SOMEVAHTI_PACK), or the generic one while that pack is not available."""
    for name in (settings.SOMEVAHTI["PACK"], "generic"):
        try:
            return load_pack(name)
        except PackError:
            continue
    return None


_wizard_packs: dict[
    tuple, object
] = {}  # (PackVersion pk, digest) → the wizard pack put in force as it (or None)
_newest: list = []  # [(checked at, (newest PackVersion pk, digest))]: asked again after NEWEST_TTL seconds
NEWEST_TTL = 5.0  # another process's put in force is seen within this; this process's at once


def _newest_version():
    import time

    from somevahti.web.policy.models import PackVersion

    now = time.monotonic()
    if not _newest or now - _newest[0][0] > NEWEST_TTL:
        # the digest too: a row id alone may come back for other content (a test database rolled back)
        _newest[:] = [
            (now, PackVersion.objects.order_by("-approved_at", "-id").values_list("pk", "digest").first())
        ]
    return _newest[0][1]


def wizard_pack():
    """The wizard draft's pack when the newest version in force was put in force from the wizard."""
    from somevahti.policy import overlay
    from somevahti.web.wizard.models import Draft

    try:
        newest = _newest_version()
        if newest is None:
            return None
        if newest not in _wizard_packs:
            draft = Draft.objects.filter(in_force_id=newest[0]).order_by("-updated_at", "-id").first()
            pack = None
            if draft is not None:
                try:
                    pack = overlay.load(draft.in_force_overlay, draft.filename)
                except PackError:  # a base pack changed by an upgrade so that the overlay no longer loads
                    pack = None
            _wizard_packs.clear()
            _wizard_packs[newest] = pack
        return _wizard_packs[newest]
    except (DatabaseError, RuntimeError):  # no database (yet): a command, a test without one
        return None


def organisation_pack():
    """The organisation's pack: the wizard's once put in force, else the configured one."""
    return wizard_pack() or configured_pack()


def version_changed() -> None:
    """A version was put in force: ask the database again at the next call."""
    _wizard_packs.clear()
    _newest.clear()


def _cache_clear() -> None:
    configured_pack.cache_clear()
    version_changed()


organisation_pack.cache_clear = _cache_clear


def checker(use_ner: bool = False, pack=None) -> Checker:
    """A Checker for ``pack`` (default: the organisation's) with the registry's staff and units."""
    from somevahti.web.registry.directory import registry_directory

    pack = pack or organisation_pack()
    directory = directory_for(pack)
    directory.merge(registry_directory(pack.organisation.email_domains))
    return Checker(pack, directory=directory, use_ner=use_ner)
