"""Who may do what with the archive, by the web application's roles (plain strings, so the core
needs no Django): communications_admin, unit_editor, author, supervisor, it_security, auditor.

The archive holds comments of private persons, so it is shown only to roles with a duty to
answer for the organisation's records (RANUA-S.1b, KIRK-3.3: published texts are official
documents to be delivered on request; RANUA-S.4: everyone answers for what they publish):

- ``search`` (and reading a record with its versions): communications admins and auditors over
  every account; unit editors over their own unit's accounts only (``scope``). Authors,
  supervisors and IT/security do not search the archive: supervisors lead people, not accounts,
  and misuse cases reach IT/security through the inbox with the evidence pinned.
- ``verify`` (the chain and signatures, no content): communications admins, auditors, IT/security.
- ``export`` (records-request bundles), ``hold`` (legal holds), ``retention`` and ``import``:
  communications admins only; each of these is itself recorded in the archive with the actor.

Superusers are treated as communications admins by the web application.
"""

from __future__ import annotations

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

COMMUNICATIONS_ADMIN, UNIT_EDITOR, AUTHOR, SUPERVISOR, IT_SECURITY, AUDITOR = (
    "communications_admin",
    "unit_editor",
    "author",
    "supervisor",
    "it_security",
    "auditor",
)
ACTIONS = ("search", "export", "verify", "hold", "retention", "import")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    COMMUNICATIONS_ADMIN: frozenset(ACTIONS),
    AUDITOR: frozenset({"search", "verify"}),
    UNIT_EDITOR: frozenset({"search"}),
    IT_SECURITY: frozenset({"verify"}),
    SUPERVISOR: frozenset(),
    AUTHOR: frozenset(),
}
ALL, OWN_UNIT = "all", "own-unit"


class PermissionDenied(SomevahtiError):
    pass


def allowed(role: str | None, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown archive action {action!r}")
    return action in ROLE_ACTIONS.get(role or "", frozenset())


def scope(role: str | None) -> str | None:
    """Which accounts a role searches: ``ALL``, ``OWN_UNIT`` (the accounts of the user's unit) or None."""
    if not allowed(role, "search"):
        return None
    return OWN_UNIT if role == UNIT_EDITOR else ALL


def require(role: str | None, action: str) -> None:
    if not allowed(role, action):
        raise PermissionDenied(_("your role may not %(action)s in the archive") % {"action": action})
