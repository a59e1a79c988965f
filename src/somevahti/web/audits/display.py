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


def rule_labels() -> dict[str, str]:
    """Audit rule id → a short name in the active language (the ids stay in URLs and the API)."""
    return {
        "leaver-access": gettext("a leaver or outsider still has access"),
        "no-active-owner": gettext("no active owner"),
        "not-requested": gettext("not registered through a request"),
        "password-age": gettext("password too old"),
        "two-factor-off": gettext("two-step verification off"),
        "work-email-or-reused-password": gettext("work e-mail or shared password"),
        "contact-email-domain": gettext("contact e-mail outside the organisation"),
        "profile-identification": gettext("profile does not identify the unit"),
        "privacy-notice": gettext("no privacy notice"),
        "settings-review": gettext("settings not reviewed"),
        "dormant-account": gettext("dormant account"),
    }
