"""Small helpers every view module uses: the permission guard and reading an id from a query string."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Refuse the request (the 403 page in the user's language) unless the permission policy allowed it."""
    if not allowed:
        raise PermissionDenied


def int_or_none(value):
    """An id or number from a query string or form, or None when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
