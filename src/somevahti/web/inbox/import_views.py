"""Comment file import: a small file is imported in the request; a large one (more than
``imports.INLINE_ROWS`` comments) becomes a background job whose page shows its progress and then
every comment's outcome by line (inbox/imports.py). A bad line anywhere: nothing is imported, and the
bad lines are listed at once, in line order. A dry run imports nothing and says what an import would do."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from somevahti.channels import file as file_connector
from somevahti.errors import InputError
from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.core.models import Role
from somevahti.web.inbox import imports, services
from somevahti.web.inbox.forms import ImportForm
from somevahti.web.inbox.models import ImportItemsJob
from somevahti.web.registry.models import Account


def _importable_accounts(user):
    if policy.role_of(user) == Role.UNIT_EDITOR and not user.is_superuser:
        return Account.objects.filter(unit_id=user.membership.unit_id)
    return Account.objects.all()


def counts(new: int, changed: int, same: int) -> str:
    return ", ".join(
        [
            ngettext("%(n)d new", "%(n)d new", new) % {"n": new},
            ngettext("%(n)d changed", "%(n)d changed", changed) % {"n": changed},
            ngettext("%(n)d already in", "%(n)d already in", same) % {"n": same},
        ]
    )


@require_http_methods(["GET", "POST"])
def import_view(request):
    require(policy.can_import_items(request.user))
    form = ImportForm(
        request.POST or None, request.FILES or None, accounts=_importable_accounts(request.user)
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        account, dry_run = form.cleaned_data["account"], form.cleaned_data["dry_run"]
        require(policy.can_import_items(request.user, account))
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            items, line_errors = file_connector.parse(data, upload.name, account.platform)
        except InputError as e:
            form.add_error("file", str(e))
        else:
            if line_errors:
                errors = [e.render(_) for e in line_errors]
            elif len(items) > imports.INLINE_ROWS:  # too many for one request: the worker imports them
                job = imports.start(
                    request.user, account, upload.name, data.decode("utf-8-sig"), len(items), dry_run
                )
                messages.info(
                    request,
                    _(
                        "The file is large, so it is imported in the background; this page shows "
                        "its progress."
                    ),
                )
                return redirect("inbox:import-job", pk=job.pk)
            elif dry_run:
                rows = imports.preview(items, account)
                found = [sum(1 for r in rows if r["kind"] == k) for k in ("new", "changed", "same")]
                messages.info(
                    request, _("Dry run, nothing was imported: %(counts)s.") % {"counts": counts(*found)}
                )
            else:
                report = services.ingest(items, account, actor=request.user.get_username(), event="imported")
                services.end_import()
                messages.success(
                    request,
                    _("Imported: %(counts)s.")
                    % {"counts": counts(len(report.created), len(report.updated), report.unchanged)},
                )
                return redirect(f"{reverse('inbox:list')}?account={account.pk}")
    return render(
        request, "inbox/import.html", {"form": form, "errors": errors, "inline_rows": imports.INLINE_ROWS}
    )


def _shown(row: dict) -> dict:
    """A job's row in the reader's language: a bad line's reason is kept untranslated."""
    if row["kind"] == "bad":
        params = row.get("params")
        text = (
            _(row["msgid"]) % (tuple(params) if isinstance(params, list) else params)
            if params
            else _(row["msgid"])
        )
        return {**row, "message": text}
    return row


@require_GET
def import_job(request, pk: int):
    job = get_object_or_404(ImportItemsJob.objects.select_related("account", "requested_by"), pk=pk)
    require(policy.can_see_items_import(request.user, job))
    context = {
        "job": job,
        "rows": [] if job.running else [_shown(r) for r in job.rows],
        "counts": counts(job.count("new"), job.count("changed"), job.count("same")),
        "failed": job.count("failed"),
    }
    template = "inbox/_import_progress.html" if getattr(request, "htmx", False) else "inbox/import_job.html"
    return render(request, template, context)
