"""Registry state changes that more than one place makes: adding an access grant (the grant page,
and onboarding when a person passes the quiz the pack requires)."""

from __future__ import annotations

from somevahti.web.registry.models import AccessGrant


def add_grant(grant: AccessGrant, *, by=None, reason: str = "") -> AccessGrant:
    """Save a new access grant. ``by`` is recorded as the granter and, in the history, as the one who
    made the change (also when the grant is made later on their behalf); ``reason`` goes in the history."""
    if by is not None:
        grant.granted_by = grant.granted_by or by
        grant._history_user = by
    if reason:
        grant._change_reason = reason
    grant.save()
    return grant
