"""The audit page: open findings with who must act; resolve, or accept with a reason and expiry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from somevahti.web.audits import service
from somevahti.web.audits.display import finding_text, role_names
from somevahti.web.audits.forms import AcceptForm
from somevahti.web.audits.models import AuditState, Finding
from somevahti.web.core import policy


@require_GET
def finding_list(request):
    if not policy.can_view_audits(request.user):
        raise PermissionDenied
    service.ensure_fresh()
    status = request.GET.get("status", Finding.Status.OPEN)
    if status not in Finding.Status.values:
        status = Finding.Status.OPEN
    findings = Finding.objects.filter(status=status).select_related("account", "person", "person__supervisor")
    rule = request.GET.get("rule", "")
    if rule:
        findings = findings.filter(rule=rule)
    page = Paginator(findings.order_by("rule", "id"), 50).get_page(request.GET.get("page"))
    user = request.user
    for f in page:
        f.text = finding_text(f)
        f.roles = role_names(f)
        f.can_act = policy.can_act_on_finding(user, f)
    rules = Finding.objects.filter(status=status).values_list("rule", flat=True).distinct().order_by("rule")
    return render(request, "audits/finding_list.html", {
        "page": page, "status": status, "statuses": Finding.Status.choices, "rule": rule, "rules": list(rules),
        "state": AuditState.get(), "can_run": policy.can_run_audit(user), "accept_form": AcceptForm()})


@require_POST
def run(request):
    if not policy.can_run_audit(request.user):
        raise PermissionDenied
    result = service.run_and_store()
    messages.success(request, _("Audit done: %(total)s findings, %(new)s new, %(cleared)s cleared.") % {
        "total": result.total, "new": len(result.new), "cleared": result.cleared})
    return redirect("audits:list")


def _actionable(request, pk) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("person"), pk=pk)
    if not policy.can_act_on_finding(request.user, finding) or finding.status not in (
            Finding.Status.OPEN, Finding.Status.ACCEPTED):
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
