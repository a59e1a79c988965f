"""Text and JSON output of audit findings for the command line."""

from __future__ import annotations

from somevahti.audits.base import N_, AuditFinding
from somevahti.i18n import _, ngettext

ROLE_LABELS = {
    "communications_admin": N_("communications admin"),
    "unit_editor": N_("unit editor"),
    "supervisor": N_("supervisor"),
    "it_security": N_("IT/security"),
    "account_owner": N_("account owner"),
}


def message_of(f: AuditFinding, gettext=_) -> str:
    return gettext(f.message).format(**f.params)


def render_text(findings: list[AuditFinding], people: dict[int, str]) -> str:
    if not findings:
        return _("No audit findings.")
    lines = []
    for f in findings:
        who = [_(ROLE_LABELS[r]) for r in f.act_roles] + [people[i] for i in f.act_people if i in people]
        lines.append(f"[{', '.join(f.clauses)}] {f.rule}: {message_of(f)}")
        lines.append("    " + _("Must act: {who}").format(who=", ".join(who)))
    lines.append(ngettext("{count} finding.", "{count} findings.", len(findings)).format(count=len(findings)))
    return "\n".join(lines)
