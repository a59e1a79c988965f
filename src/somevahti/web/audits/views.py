"""The audit page: open findings with who must act; resolve, or accept with a reason and expiry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from somevahti.audits import registered_rules
from somevahti.web.audits import service
from somevahti.web.audits.display import finding_text, role_labels, rule_labels
from somevahti.web.audits.forms import AcceptForm
from somevahti.web.audits.models import Finding
from somevahti.web.core import policy
from somevahti.web.core.links import link_to
from somevahti.web.core.paging import page_of

# Each finding is worked on one by one, with its own forms: 25 a page (50 rows cost 4 ms more to render).
PAGE_SIZE = 25
# What the list shows and the permission check reads: no more (the message parameters are JSON).
LISTED_FIELDS = (
    "rule",
    "clauses",
    "message",
    "params",
    "account_id",
    "grant_id",
    "unit_id",
    "act_roles",
    "status",
    "first_seen",
    "reason",
    "accepted_until",
    "person__name",
    "person__supervisor_id",
    "person__supervisor__name",
)


@require_GET
def finding_list(request):
    if not policy.can_view_audits(request.user):
        raise PermissionDenied
    state = service.ensure_fresh()
    status = request.GET.get("status", Finding.Status.OPEN)
    if status not in Finding.Status.values:
        status = Finding.Status.OPEN
    rules = sorted(registered_rules())
    rule = request.GET.get("rule", "")
    findings = Finding.objects.filter(status=status)
    mine = request.GET.get("mine") == "1" and policy.acts_on_findings(request.user)
    if mine:  # the dashboard's "for you to act on": the findings this user may resolve or accept
        q = policy.actionable_findings_filter(request.user)
        findings = findings if q is None else findings.filter(q)
    if rule in rules:
        findings = findings.filter(rule=rule)
    page = page_of(
        request,
        findings.order_by("rule", "id"),
        lambda qs: qs.select_related("person", "person__supervisor").only(*LISTED_FIELDS),
        per_page=PAGE_SIZE,
    )
    user = request.user
    roles = role_labels()
    rule_names = rule_labels()
    links = {
        name: link_to(name)
        for name in ("registry:account", "audits:resolve", "audits:accept", "registry:grant-revoke")
    }
    since: dict = {}  # the findings of one audit run share their first day: format each day once
    for f in page:
        day = timezone.localdate(f.first_seen)
        f.since = since.get(day) or since.setdefault(day, date_format(day, "SHORT_DATE_FORMAT"))
        f.account_href = links["registry:account"](f.account_id) if f.account_id else ""
        f.text = finding_text(f)
        f.rule_name = rule_names.get(f.rule, f.rule)
        f.roles = ", ".join(roles.get(r, roles[None]) for r in f.act_roles)
        f.leaver_supervisor = f.person.supervisor if f.rule == "leaver-access" and f.person_id else None
        f.can_act = policy.can_act_on_finding(user, f)
        if f.can_act:
            f.resolve_href, f.accept_href = links["audits:resolve"](f.pk), links["audits:accept"](f.pk)
            f.revoke_href = links["registry:grant-revoke"](f.grant_id) if f.grant_id else ""
    return render(
        request,
        "audits/finding_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Finding.Status.choices,
            "rule": rule,
            "mine": mine,
            "rules": [(r, rule_names.get(r, r)) for r in rules],
            "can_filter_mine": policy.acts_on_findings(user),
            "state": state,
            "can_run": policy.can_run_audit(user),
            "accept_form": AcceptForm(),
        },
    )


@require_POST
def run(request):
    if not policy.can_run_audit(request.user):
        raise PermissionDenied
    result = service.run_and_store()
    messages.success(
        request,
        _("Audit done: %(total)s findings, %(new)s new, %(cleared)s cleared.")
        % {"total": result.total, "new": len(result.new), "cleared": result.cleared},
    )
    return redirect("audits:list")


def _actionable(request, pk) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("person"), pk=pk)
    if not policy.can_act_on_finding(request.user, finding) or finding.status not in (
        Finding.Status.OPEN,
        Finding.Status.ACCEPTED,
    ):
        raise PermissionDenied
    return finding


@require_POST
def resolve(request, pk):
    finding = _actionable(request, pk)
    finding.status = Finding.Status.RESOLVED
    finding.closed_at = timezone.now()
    finding.closed_by = request.user
    finding.reason = request.POST.get("reason", "")[:2000]
    finding.save()
    messages.success(request, _("Marked as resolved. The next audit reopens it if the problem remains."))
    return redirect("audits:list")


@require_POST
def accept(request, pk):
    finding = _actionable(request, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("audits:list")
    finding.status = Finding.Status.ACCEPTED
    finding.reason = form.cleaned_data["reason"]
    finding.accepted_until = form.cleaned_data["until"]
    finding.closed_at = timezone.now()
    finding.closed_by = request.user
    finding.save()
    messages.success(request, _("Accepted until %(date)s.") % {"date": finding.accepted_until})
    return redirect("audits:list")
