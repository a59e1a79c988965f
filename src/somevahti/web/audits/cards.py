"""The audit's dashboard cards: the open findings the user must act on (for auditors, who act on
none, all open findings). Counted after the same freshness check as the audit page, so the count
is what the page lists."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from somevahti.web.core import dashboard, policy


def open_findings_for(user):
    from somevahti.web.audits.models import Finding

    findings = Finding.objects.filter(status=Finding.Status.OPEN)
    q = policy.actionable_findings_filter(user)
    return findings if q is None else findings.filter(q)


def audit_cards(user) -> list[dashboard.Card]:
    if not policy.can_view_audits(user):
        return []
    from somevahti.web.audits import service
    from somevahti.web.audits.models import Finding

    service.ensure_fresh()
    if policy.acts_on_findings(user):
        n = open_findings_for(user).count()
        return [
            dashboard.Card(
                "audits.mine",
                ngettext("%(n)d audit finding for you to act on", "%(n)d audit findings for you to act on", n)
                % {"n": n},
                n,
                reverse("audits:list") + "?mine=1",
                dashboard.WARNING if n else dashboard.INFO,
                20,
            )
        ]
    n = Finding.objects.filter(status=Finding.Status.OPEN).count()
    return [
        dashboard.Card(
            "audits.open",
            ngettext("%(n)d open audit finding", "%(n)d open audit findings", n) % {"n": n},
            n,
            reverse("audits:list"),
            dashboard.INFO,
            20,
        )
    ]
