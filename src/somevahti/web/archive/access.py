"""The archive as the web application reaches it, and who sees which of its accounts.

The archive keeps its own database (``SOMEVAHTI_ARCHIVE_DB``, default ``archive.sqlite3`` in the
web data directory), separate from ``DATABASE_URL``: it is evidence with its own append-only
triggers, backups and retention, and the command line (``somevahti archive``) opens the same URL.
Media and signing keys follow ``SOMEVAHTI_ARCHIVE_MEDIA`` and ``SOMEVAHTI_ARCHIVE_KEYS``; the
organisation is ``SOMEVAHTI_ORG`` or the configured pack's id. The inbox uses the same settings.

Permission decisions call the core's :mod:`somevahti.archive.permissions` with the user's role.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings

from somevahti.archive import Archive, permissions
from somevahti.archive.api import DB_ENV, MEDIA_ENV, ORG_ENV
from somevahti.web.core import policy

_local = threading.local()


def archive() -> Archive:
    """One open archive per thread (a SQLite connection must not be shared between threads)."""
    if getattr(_local, "archive", None) is None:
        url = os.environ.get(DB_ENV) or f"sqlite:///{settings.DATA_DIR / 'archive.sqlite3'}"
        media = None if os.environ.get(MEDIA_ENV) else settings.DATA_DIR / "archive-media"
        _local.archive = Archive.open(url, media_dir=media)
    return _local.archive


def close() -> None:
    if getattr(_local, "archive", None) is not None:
        _local.archive.close()
        _local.archive = None


def org() -> str:
    from somevahti.web.api.checking import organisation_pack

    if os.environ.get(ORG_ENV):
        return os.environ[ORG_ENV]
    pack = organisation_pack()
    return pack.id if pack is not None else "default"


def account_id(account) -> str:
    """The archive's name for a registry account."""
    return f"{account.platform}:{account.handle}"


def role(user) -> str | None:
    return permissions.COMMUNICATIONS_ADMIN if getattr(user, "is_superuser", False) else policy.role_of(user)


def may(user, action: str) -> bool:
    if not permissions.allowed(role(user), action):
        return False
    return action != "search" or _sees_any_account(user)


def _sees_any_account(user) -> bool:
    """``visible_accounts(user) != []`` without reading the accounts (the navigation asks on every page)."""
    from somevahti.web.registry.models import Account

    scope = permissions.scope(role(user))
    if scope == permissions.ALL:
        return True
    membership = getattr(user, "membership", None)
    if scope != permissions.OWN_UNIT or membership is None or membership.unit_id is None:
        return False
    return Account.objects.filter(unit_id=membership.unit_id).exists()


def visible_accounts(user) -> list[str] | None:
    """The accounts whose records the user may see: None for all of them."""
    from somevahti.web.registry.models import Account

    scope = permissions.scope(role(user))
    if scope == permissions.ALL:
        return None
    membership = getattr(user, "membership", None)
    if scope != permissions.OWN_UNIT or membership is None or membership.unit_id is None:
        return []
    return sorted(account_id(a) for a in Account.objects.filter(unit_id=membership.unit_id))


def may_see_record(user, record) -> bool:
    if not may(user, "search"):
        return False
    visible = visible_accounts(user)
    return visible is None or (record.account is not None and record.account in visible)
