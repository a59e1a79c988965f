"""Finding messages in the active language (the msgids live in somevahti.audits)."""

from __future__ import annotations

from django.utils.translation import gettext

from somevahti.web.core.models import Role


def finding_text(finding) -> str:
    try:
        return gettext(finding.message).format(**finding.params)
    except (KeyError, IndexError, ValueError):
        return finding.message


def role_labels() -> dict[str | None, str]:
    """Role → its name in the active language; None: the account owner (a finding's other actor)."""
    return {**{r.value: str(r.label) for r in Role}, None: gettext("account owner")}
