"""Who may do what with the archive. The web application maps its users to these roles.

Search and export show comments of private persons, so only roles with a records duty see
them; holds and retention are managed by communications admins (the issue's wording).
"""

from __future__ import annotations

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

ACTIONS = ("search", "export", "verify", "hold", "retention", "import")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "comms_admin": frozenset(ACTIONS),
    "records_officer": frozenset({"search", "export", "verify"}),
    "auditor": frozenset({"search", "verify"}),
    "moderator": frozenset({"search"}),
    "editor": frozenset(),
}


class PermissionDenied(SomevahtiError):
    pass


def allowed(roles, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown archive action {action!r}")
    return any(action in ROLE_ACTIONS.get(role, frozenset()) for role in roles)


def require(roles, action: str) -> None:
    if not allowed(roles, action):
        raise PermissionDenied(_("your role may not %(action)s in the archive") % {"action": action})
