"""Archive pages: search, a record with its versions and verification, records-request exports
(a background task with progress), retention rules and legal holds.

Permissions come from the archive core (:mod:`somevahti.archive.permissions`) through
:mod:`somevahti.web.archive.access`; every change (export, rule, hold) is recorded in the archive
itself with the signed-in user as the actor.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.archive import payloads, retention
from somevahti.archive.search import Query, answers, search
from somevahti.archive.verify import verify_record
from somevahti.errors import SomevahtiError
from somevahti.web.archive import access
from somevahti.web.archive.forms import ExportForm, HoldForm, ReleaseForm, RetentionForm, SearchForm
from somevahti.web.archive.models import ExportJob
from somevahti.web.archive.tasks import run_export

PAGE_SIZE = 50


def _require(user, action: str) -> None:
    if not access.may(user, action):
        raise PermissionDenied


def _registry_accounts() -> list[str]:
    from somevahti.web.registry.models import Account

    return sorted(access.account_id(a) for a in Account.objects.all())


def _render(request, template: str, context: dict):
    user = request.user
    context["can"] = {
        action: access.may(user, action) for action in ("search", "export", "retention", "hold")
    }
    return render(request, template, context)


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


# -- search and records ----------------------------------------------------------------------------


@require_GET
def search_page(request):
    _require(request.user, "search")
    visible = access.visible_accounts(request.user)
    form = SearchForm(request.GET, accounts=visible)  # no filters: the newest records, as a first look
    hits, page, has_next = [], 1, False
    if form.is_valid():
        d = form.cleaned_data
        accounts = [d["account"]] if d["account"] else []
        if visible is not None:
            accounts = [a for a in accounts if a in visible] or visible
        q = Query(
            text=d["q"] or None,
            accounts=accounts,
            unit=d["unit"] or None,
            since=d["since"],
            until=d["until"],
            kinds=[d["kind"]] if d["kind"] else [],
            author=d["author"] or None,
            language=d["language"] or None,
            state=d["state"] or None,
        )
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        found = search(access.archive(), access.org(), q, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        hits, has_next = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "archive/search.html",
        {
            "form": form,
            "hits": hits,
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "account_choices": _registry_accounts() if visible is None else visible,
        },
    )


@require_GET
def record_page(request, seq: int):
    _require(request.user, "search")
    arch, org = access.archive(), access.org()
    record = arch.get(org, seq)
    if record is None or not access.may_see_record(request.user, record):
        raise Http404
    versions = list(arch.records(org, subject=record.subject)) if record.subject else [record]
    visible = access.visible_accounts(request.user)
    replies = (
        [r for r in answers(arch, org, record.subject) if visible is None or r.account in visible]
        if record.subject and record.kind in payloads.TEXT_KINDS
        else []
    )
    return _render(
        request,
        "archive/record.html",
        {
            "record": record,
            "versions": versions,
            "replies": replies,
            "check": verify_record(arch, org, seq),
            "texts": sorted(((record.payload or {}).get("texts") or {}).items()),
            "media": _media(record),
            "has_raw": arch.raw(org, seq) is not None,
        },
    )


def _media(record) -> list[dict]:
    described = (record.payload or {}).get("media") or []
    return [
        {"digest": d, "about": described[i] if i < len(described) and isinstance(described[i], dict) else {}}
        for i, d in enumerate(record.media)
    ]


# -- exports ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def export_list(request):
    _require(request.user, "export")
    form = ExportForm(
        request.POST or None,
        initial={"accounts": request.GET.get("accounts", ""), "text": request.GET.get("q", "")},
    )
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            job = ExportJob.objects.create(
                requested_by=request.user,
                actor=request.user.get_username(),
                accounts=d["accounts"],
                since=d["since"],
                until=d["until"],
                text=d["text"],
                redact=d["redact"],
            )
            run_export.enqueue(job.pk)
            messages.success(
                request, _("The export was started. It runs in the background; this page shows its progress.")
            )
            return redirect("archive:export", pk=job.pk)
        _errors(request, form)
    return _render(
        request,
        "archive/exports.html",
        {
            "form": form,
            "jobs": ExportJob.objects.select_related("requested_by")[:50],
            "account_choices": _registry_accounts(),
        },
    )


@require_GET
def export_page(request, pk: int):
    _require(request.user, "export")
    job = get_object_or_404(ExportJob, pk=pk)
    if getattr(request, "htmx", False):
        return render(request, "archive/_progress.html", {"job": job})
    return _render(request, "archive/export.html", {"job": job})


@require_GET
def export_download(request, pk: int):
    _require(request.user, "export")
    job = get_object_or_404(ExportJob, pk=pk, status=ExportJob.Status.DONE)
    if not job.bundle_path.is_file():
        raise Http404
    return FileResponse(
        open(job.bundle_path, "rb"),
        as_attachment=True,  # noqa: SIM115 - FileResponse closes it
        filename=f"{access.org()}-records-export-{job.pk}.zip",
        content_type="application/zip",
    )


# -- retention and legal holds ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def retention_page(request):
    _require(request.user, "retention")
    arch, org = access.archive(), access.org()
    form = RetentionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            years = None if d["permanent"] else d["years"]
            try:
                rec = retention.set_rule(arch, org, d["account"], years, actor=request.user.get_username())
            except SomevahtiError as e:
                messages.error(request, str(e))
            else:
                messages.success(
                    request, _("Retention rule saved (archive record %(seq)d).") % {"seq": rec.seq}
                )
                return redirect("archive:retention")
        else:
            _errors(request, form)
    return _render(
        request,
        "archive/retention.html",
        {
            "form": form,
            "rules": sorted(retention.rules(arch, org).items()),
            "account_choices": _registry_accounts(),
        },
    )


@require_http_methods(["GET", "POST"])
def holds_page(request):
    _require(request.user, "hold")
    arch, org = access.archive(), access.org()
    form = HoldForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                rec = retention.place_hold(
                    arch,
                    org,
                    actor=request.user.get_username(),
                    reason=d["reason"],
                    accounts=d["accounts"],
                    text=d["text"] or None,
                    since=d["since"],
                    until=d["until"],
                )
            except SomevahtiError as e:
                messages.error(request, str(e))
            else:
                messages.success(
                    request,
                    _("Legal hold %(hold)s placed (archive record %(seq)d).")
                    % {"hold": rec.payload["hold"], "seq": rec.seq},
                )
                return redirect("archive:holds")
        else:
            _errors(request, form)
    holds = sorted(retention.active_holds(arch, org).values(), key=lambda h: h["seq"], reverse=True)
    return _render(
        request,
        "archive/holds.html",
        {
            "form": form,
            "holds": holds,
            "release_form": ReleaseForm(),
            "account_choices": _registry_accounts(),
        },
    )


@require_POST
def hold_release(request, hold_id: str):
    _require(request.user, "hold")
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("archive:holds")
    try:
        rec = retention.release_hold(
            access.archive(),
            access.org(),
            hold_id,
            actor=request.user.get_username(),
            reason=form.cleaned_data["reason"],
        )
    except SomevahtiError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("Legal hold %(hold)s released (archive record %(seq)d).") % {"hold": hold_id, "seq": rec.seq},
        )
    return redirect("archive:holds")
