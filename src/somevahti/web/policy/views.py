"""The policy document page (the organisation's policy in the reader's language, with a PDF), and
the versions of the pack put in force with a readable difference between any two."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from somevahti.policy.render import build_document, document_css
from somevahti.web.core import policy
from somevahti.web.policy import documents


def _remember_reader(user, lang: str) -> None:
    from somevahti.web.policy.models import Reader

    if getattr(user, "pk", None):
        Reader.objects.update_or_create(user=user, defaults={"language": lang})


@require_GET
def document(request):
    if not policy.can_read_policy_document(request.user):
        raise PermissionDenied
    pack = documents.current_pack()
    lang = documents.reader_language(get_language())
    _remember_reader(request.user, lang)
    doc = build_document(pack, lang)
    return render(
        request,
        "policy/document.html",
        {
            # The fragment is made by the core's Jinja2 template with autoescaping on: pack and clause
            # texts in it are escaped there (tests/web/test_policy_document.py tries markup in a pack).
            "body": mark_safe(documents.fragment(pack, lang)),  # noqa: S308
            "css": mark_safe(document_css()),  # noqa: S308 - our own stylesheet, no outside content
            "title": doc.title,
            "pack": pack,
            "lang": lang,
            "pdf_href": reverse("policy:pdf", args=[lang]),
            "other_pdfs": [
                (code, reverse("policy:pdf", args=[code])) for code in documents.LANGS if code != lang
            ],
            "versions_href": reverse("policy:versions")
            if policy.can_view_pack_versions(request.user)
            else "",
        },
    )


@require_GET
def document_pdf(request, lang: str):
    if not policy.can_read_policy_document(request.user):
        raise PermissionDenied
    if lang not in documents.LANGS:
        raise Http404
    pack = documents.current_pack()
    response = HttpResponse(documents.pdf(pack, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack.id}-{pack.version}-{lang}.pdf"'
    return response


# -- versions in force ------------------------------------------------------------------------------


def _pending(pack, current):
    """The configured pack when its content differs from the version in force (None otherwise)."""
    from somevahti.policy import versions

    return pack if current is None or current.digest != versions.digest(pack) else None


@require_GET
def version_list(request):
    from somevahti.policy import versions
    from somevahti.web.policy.models import PackVersion

    if not policy.can_view_pack_versions(request.user):
        raise PermissionDenied
    pack = documents.current_pack()
    rows = list(PackVersion.objects.filter(pack=pack.id).select_related("approved_by"))
    current = rows[0] if rows else None
    pending = _pending(pack, current)
    return render(
        request,
        "policy/versions.html",
        {
            "pack": pack,
            "rows": rows,
            "current": current,
            "pending_label": versions.label(pending) if pending else "",
            "may_put_in_force": pending is not None and policy.can_put_pack_in_force(request.user),
            "diff_href": reverse("policy:diff"),
        },
    )


@require_POST
def put_in_force(request):
    from somevahti.web.policy import services

    if not policy.can_put_pack_in_force(request.user):
        raise PermissionDenied
    version = services.put_in_force(
        documents.current_pack(), request.user, note=request.POST.get("note", "")[:2000]
    )
    messages.success(request, _("%(version)s is now in force.") % {"version": version.label})
    return redirect("policy:versions")


@require_GET
def version_detail(request, pk: int):
    from somevahti.web.policy.models import PackVersion

    if not policy.can_view_pack_versions(request.user):
        raise PermissionDenied
    version = get_object_or_404(PackVersion.objects.select_related("approved_by"), pk=pk)
    return render(request, "policy/version.html", {"version": version})


def _shown(value) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@require_GET
def version_diff(request):
    from somevahti.policy import versions
    from somevahti.web.policy.models import PackVersion

    if not policy.can_view_pack_versions(request.user):
        raise PermissionDenied
    try:
        old = get_object_or_404(PackVersion, pk=int(request.GET.get("a", "")))
        new = get_object_or_404(PackVersion, pk=int(request.GET.get("b", "")))
    except ValueError:
        raise Http404 from None
    diff = versions.compare(old.content(), new.content())
    return render(
        request,
        "policy/diff.html",
        {
            "old": old,
            "new": new,
            "diff": diff,
            "rules_changed": [
                (c.rule, [(f, _shown(a), _shown(b)) for f, a, b in c.changes]) for c in diff.rules_changed
            ],
            "sections_changed": [(k, _shown(a), _shown(b)) for k, a, b in diff.sections_changed],
        },
    )


# -- results ----------------------------------------------------------------------------------------

SECTIONS = {
    "posts": ("week", "lang", "posts"),
    "coverage_account": ("name", "posts", "required", "complete", "share"),
    "coverage_unit": ("name", "posts", "required", "complete", "share"),
    "findings": ("week", "rule", "posts", "findings", "per_100"),
    "answers": ("account", "answered", "p50", "max", "overdue"),
    "audits": ("week", "opened", "closed"),
    "metrics_accounts": ("account", "unit", "followers", "change", "reach", "engagement"),
    "metrics_units": ("unit", "followers", "change", "reach", "engagement"),
}


def _results_scope(request):
    from somevahti.web.archive import access
    from somevahti.web.policy.results import Period

    if not policy.can_view_results(request.user):
        raise PermissionDenied
    accounts = access.visible_accounts(request.user)  # None: every account
    chosen = request.GET.get("account", "")
    if chosen:
        accounts = [chosen] if accounts is None or chosen in accounts else []
    return Period.parse(request.GET.get("start"), request.GET.get("end")), accounts, chosen


@require_GET
def results(request):
    from somevahti.web.policy.results import bar_chart, figures, rule_names

    period, accounts, chosen = _results_scope(request)
    pack = documents.current_pack()
    data = figures(pack, period, accounts)
    names = rule_names(pack, (get_language() or "fi")[:2])
    for row in data["findings"]:
        row["rule_name"] = names.get(row["rule"], "")
    charts = {
        "posts": bar_chart(
            [(f"{r['week']} {r['lang']}", r["posts"]) for r in data["posts"]], _("Posts per week by language")
        ),
        "coverage": bar_chart(
            [(r["name"], r["share"]) for r in data["coverage_account"] if r["share"] is not None],
            _("Share of posts with every required language version"),
            " %",
        ),
        "findings": bar_chart(
            [(f"{r['week']} {r['rule']}", r["per_100"]) for r in data["findings"]],
            _("Findings per 100 posts by rule"),
        ),
    }
    # the platforms' figures: a chart only where some account has the figure (the tables say the rest)
    for key, title in (
        ("followers", _("Followers at the end of the period")),
        ("engagement", _("Engagement in the period")),
    ):
        known = [(r["account"], r[key]) for r in data["metrics_accounts"] if r[key] is not None]
        charts[key] = bar_chart(known, title) if known else ""
    query = f"start={period.start.isoformat()}&end={period.end.isoformat()}" + (
        f"&account={chosen}" if chosen else ""
    )
    return render(
        request,
        "policy/results.html",
        {
            "period": period,
            "data": data,
            "charts": {k: mark_safe(v) for k, v in charts.items()},  # noqa: S308 - escaped in bar_chart
            "demo_metrics": any(r["demo"] for r in data["metrics_accounts"]),
            "chosen": chosen,
            "csv": {name: f"{reverse('policy:results-csv')}?section={name}&{query}" for name in SECTIONS},
        },
    )


@require_GET
def results_csv(request):
    import csv
    import io

    from somevahti.web.policy.results import figures

    section = request.GET.get("section", "")
    if section not in SECTIONS:
        raise Http404
    period, accounts, _chosen = _results_scope(request)
    rows = figures(documents.current_pack(), period, accounts)[section]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SECTIONS[section])
    for row in rows:
        writer.writerow(["" if row[k] is None else row[k] for k in SECTIONS[section]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="results-{section}-{period.start}-{period.end}.csv"'
    )
    return response
