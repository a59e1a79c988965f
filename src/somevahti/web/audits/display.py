"""Finding messages in the active language (the msgids live in somevahti.audits)."""

from __future__ import annotations

from django.utils.translation import gettext

from somevahti.web.core.models import Role


def finding_text(finding) -> str:
    try:
        return gettext(finding.message).format(**finding.params)
    except (KeyError, IndexError, ValueError):
        return finding.message


def role_names(finding) -> list[str]:
    labels = {r.value: r.label for r in Role}
    return [str(labels[r]) if r in labels else gettext("account owner") for r in finding.act_roles]
