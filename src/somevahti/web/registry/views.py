"""Registry pages: units, people, accounts, grants, attestations, history, CSV import and export.

Every view asks :mod:`somevahti.web.core.policy`; lists are paginated and fetch related rows in
a fixed number of queries.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.core.links import link_to
from somevahti.web.core.models import Role
from somevahti.web.core.paging import page_of
from somevahti.web.registry.forms import (
    AccountForm,
    AttestationForm,
    GrantForm,
    ImportForm,
    PersonForm,
    UnitForm,
)
from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation, Unit
from somevahti.web.registry.resources import RESOURCES, export_csv, import_csv


def _template(request, full: str, partial: str) -> str:
    """htmx requests for a list get only the table."""
    return partial if getattr(request, "htmx", False) and request.htmx.target == "results" else full


# -- units -----------------------------------------------------------------------------------------


@require_GET
def unit_list(request):
    require(policy.can_view_registry(request.user))
    page = page_of(request, Unit.objects.order_by("name"), lambda qs: qs.select_related("parent"))
    ids = [u.pk for u in page]
    n_accounts = _counts(Account.objects.filter(unit_id__in=ids), "unit_id")
    n_people = _counts(Person.objects.filter(unit_id__in=ids), "unit_id")
    for u in page:
        u.n_accounts, u.n_people = n_accounts.get(u.pk, 0), n_people.get(u.pk, 0)
    return render(
        request, "registry/unit_list.html", {"page": page, "can_edit": policy.can_edit_unit(request.user)}
    )


def _counts(queryset, key: str) -> dict[int, int]:
    """Rows per key, for the keys of one page (counting over joins of the whole table took 0.3 s)."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk=None):
    require(policy.can_edit_unit(request.user))
    unit = get_object_or_404(Unit, pk=pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("registry:units")
    return render(request, "registry/form.html", {"form": form, "title": _("Unit")})


# -- people ----------------------------------------------------------------------------------------


@require_GET
def person_list(request):
    require(policy.can_view_registry(request.user))
    people = Person.objects.all()
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(Q(name__icontains=q) | Q(email__icontains=q) | Q(title__icontains=q))
    status = request.GET.get("status", "")
    if status in Person.Status.values:
        people = people.filter(status=status)
    page = page_of(request, people, lambda qs: qs.select_related("unit", "supervisor"))
    link = link_to("registry:person")
    for p in page:
        p.href = link(p.pk)
    return render(
        request,
        _template(request, "registry/person_list.html", "registry/_person_rows.html"),
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Person.Status.choices,
            "can_add": policy.can_add_person(request.user),
        },
    )


@require_GET
def person_detail(request, pk):
    require(policy.can_view_registry(request.user))
    person = get_object_or_404(Person.objects.select_related("unit", "supervisor"), pk=pk)
    grants = person.grants.select_related("account", "granted_by").order_by("revoked", "account__handle")
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "grants": grants,
            "can_edit": policy.can_edit_person(request.user, person),
            "expert_profiles": person.expert_profiles.select_related("approved_by", "account"),
            "reports": person.reports.only("name", "status", "supervisor_id")[:100],
        },
    )


def _editor_units(user):
    if policy.role_of(user) == Role.UNIT_EDITOR and not user.is_superuser:
        return Unit.objects.filter(pk=user.membership.unit_id)
    return None


@require_http_methods(["GET", "POST"])
def person_edit(request, pk=None):
    person = get_object_or_404(Person, pk=pk) if pk else None
    require(policy.can_edit_person(request.user, person) if person else policy.can_add_person(request.user))
    units = _editor_units(request.user) if person is None else None
    form = PersonForm(request.POST or None, instance=person, units=units)
    if request.method == "POST" and form.is_valid():
        if person is None and not policy.can_add_person(
            request.user, form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None
        ):
            raise PermissionDenied
        if person is not None and not policy.can_edit_person(request.user, form.instance):
            raise PermissionDenied
        saved = form.save()
        messages.success(request, _("Saved."))
        return redirect("registry:person", pk=saved.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("Person")})


# -- accounts --------------------------------------------------------------------------------------


@require_GET
def account_list(request):
    require(policy.can_view_registry(request.user))
    accounts = Account.objects.order_by("platform", "handle")  # unique together: a total order
    q = request.GET.get("q", "").strip()
    if q:
        accounts = accounts.filter(Q(handle__icontains=q) | Q(unit__name__icontains=q))
    platform = request.GET.get("platform", "")
    if platform:
        accounts = accounts.filter(platform=platform)
    status = request.GET.get("status", "")
    if status in Account.Status.values:
        accounts = accounts.filter(status=status)
    page = page_of(
        request,
        accounts,
        lambda qs: qs.select_related("unit", "owner").only(
            "platform", "handle", "kind", "status", "unit__name", "owner__name"
        ),
    )
    counts = _counts(
        AccessGrant.objects.filter(account_id__in=[a.pk for a in page], revoked__isnull=True), "account_id"
    )
    link = link_to("registry:account")
    for a in page:
        a.n_grants, a.href = counts.get(a.pk, 0), link(a.pk)
    return render(
        request,
        _template(request, "registry/account_list.html", "registry/_account_rows.html"),
        {
            "page": page,
            "q": q,
            "platform": platform,
            "status": status,
            "platforms": Account._meta.get_field("platform").choices,
            "statuses": Account.Status.choices,
        },
    )


@require_GET
def account_detail(request, pk):
    require(policy.can_view_registry(request.user))
    account = get_object_or_404(Account.objects.select_related("unit", "owner", "request"), pk=pk)
    grants = list(
        account.grants.select_related("person", "granted_by", "revoked_by")
        .only(
            "role",
            "granted",
            "revoked",
            "account_id",
            "person__name",
            "person__status",
            "person__supervisor_id",
            "person__unit_id",
            "granted_by__username",
            "revoked_by__username",
        )
        .order_by("revoked", "person__name")
    )
    attestation = account.attestations.select_related("attested_by").first()
    user = request.user
    for g in grants:
        g.can_revoke = g.revoked is None and policy.can_revoke_grant(user, _with_account(g, account))
    findings = account.findings.filter(status="open").only("rule", "clauses", "account_id").order_by("rule")
    return render(
        request,
        "registry/account_detail.html",
        {
            "account": account,
            "grants": grants,
            "attestation": attestation,
            "findings": findings,
            "can_edit": policy.can_edit_account(user, account),
            "can_grant": policy.can_manage_grants(user, account),
            "can_attest": policy.can_attest(user, account),
            "can_history": policy.can_view_history(user),
            "can_open_request": account.request is not None
            and policy.can_view_request(user, account.request),
            "grant_form": GrantForm() if policy.can_manage_grants(user, account) else None,
            "waiting": account.pending_grants.filter(granted_at__isnull=True).select_related("person"),
        },
    )


def _with_account(grant, account):
    grant.account = account
    return grant


@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    account = get_object_or_404(Account, pk=pk)
    require(policy.can_edit_account(request.user, account))
    form = AccountForm(request.POST or None, instance=account, units=_editor_units(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("registry:account", pk=account.pk)
    return render(request, "registry/form.html", {"form": form, "title": str(account)})


@require_http_methods(["GET", "POST"])
def account_new(request):
    """Registering an existing account directly is for communications admins (KELA-3.2); others file
    a request."""
    require(policy.can_edit_unit(request.user))
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = form.save()
        messages.success(request, _("Saved."))
        return redirect("registry:account", pk=account.pk)
    return render(request, "registry/form.html", {"form": form, "title": _("New account")})


@require_POST
def grant_add(request, pk):
    account = get_object_or_404(Account, pk=pk)
    require(policy.can_manage_grants(request.user, account))
    form = GrantForm(request.POST, instance=AccessGrant(account=account, granted_by=request.user))
    if form.is_valid():
        from somevahti.web.onboarding.services import grant_or_wait
        from somevahti.web.policy.documents import current_pack

        saved = grant_or_wait(form.instance, current_pack(), by=request.user)
        if isinstance(saved, AccessGrant):
            messages.success(request, _("Access granted."))
        elif getattr(saved.person, "membership", None) is None:
            messages.info(
                request,
                _(
                    "%(person)s gets access to %(account)s once they have passed the onboarding "
                    "quiz the policy requires: the grant waits for it. They have no sign-in yet: "
                    "create a user for them."
                )
                % {"person": saved.person, "account": saved.account},
            )
        else:
            messages.info(
                request,
                _(
                    "%(person)s gets access to %(account)s once they have passed the onboarding "
                    "quiz the policy requires: the grant waits for it."
                )
                % {"person": saved.person, "account": saved.account},
            )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("registry:account", pk=account.pk)


@require_POST
def grant_revoke(request, pk):
    grant = get_object_or_404(AccessGrant.objects.select_related("account", "person"), pk=pk)
    require(policy.can_revoke_grant(request.user, grant))
    grant.revoked = timezone.localdate()
    grant.revoked_by = request.user
    grant._change_reason = request.POST.get("reason", "")[:500]
    grant.save()
    messages.success(
        request,
        _("Access of %(person)s to %(account)s revoked.")
        % {"person": grant.person, "account": grant.account},
    )
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("registry:account", pk=grant.account_id)


@require_http_methods(["GET", "POST"])
def attest(request, pk):
    account = get_object_or_404(Account, pk=pk)
    require(policy.can_attest(request.user, account))
    previous = account.attestations.first()
    initial = {}
    if previous:
        initial = {f: getattr(previous, f) for f in AttestationForm.Meta.fields}
    form = AttestationForm(
        request.POST or None,
        initial=initial,
        instance=SecurityAttestation(account=account, attested_by=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Attestation saved."))
        return redirect("registry:account", pk=account.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Security attestation: %(account)s") % {"account": account},
            "note": _("Somevahti never asks for or stores a password."),
        },
    )


# -- history ---------------------------------------------------------------------------------------

HISTORY_MODELS = {
    "accounts": Account,
    "people": Person,
    "units": Unit,
    "grants": AccessGrant,
    "attestations": SecurityAttestation,
}


@require_GET
def history(request, kind="accounts"):
    require(policy.can_view_history(request.user))
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise PermissionDenied
    records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    object_id = request.GET.get("id")
    if object_id and object_id.isdigit():
        records = records.filter(id=int(object_id))
    page = page_of(request, records, lambda qs: qs.select_related("history_user"))
    rows = []
    # simple-history has no Finnish or Swedish: its change types and the field names in our words
    types = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    names = {f.name: str(f.verbose_name) for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    for record in page:
        prev = record.prev_record if object_id else None
        # simple-history's changes are frozen: the field's name in the reader's language goes beside them
        changes = [
            {"label": names.get(c.field, c.field), "old": c.old, "new": c.new}
            for c in (record.diff_against(prev).changes if prev else [])
        ]
        rows.append({"record": record, "changes": changes, "type": types.get(record.history_type, "")})
    kinds = [(k, str(m._meta.verbose_name_plural)) for k, m in HISTORY_MODELS.items()]
    return render(
        request,
        "registry/history.html",
        {"page": page, "rows": rows, "kind": kind, "kinds": kinds, "object_id": object_id},
    )


# -- import / export -------------------------------------------------------------------------------


@require_GET
def export(request, kind):
    require(policy.can_export(request.user))
    if kind not in RESOURCES:
        raise PermissionDenied
    response = HttpResponse(export_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="somevahti-{kind}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def import_view(request):
    from somevahti.web.registry import imports

    require(policy.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if (
            imports.row_count(d["file"]) > imports.INLINE_ROWS
        ):  # too large for one request: the worker runs it
            job = imports.start(request.user, d["kind"], d["file"], d["dry_run"])
            messages.info(
                request,
                _("The file is large, so it is imported in the background; this page shows its progress."),
            )
            return redirect("registry:import-job", pk=job.pk)
        try:
            with transaction.atomic():
                result = import_csv(d["kind"], d["file"], dry_run=d["dry_run"], user=request.user)
        except ValidationError as e:
            form.add_error("file", e.messages)
        else:
            if result.has_errors() or result.has_validation_errors():
                form.add_error(
                    None, _("The file has errors; nothing was saved. Fix the rows below and try again.")
                )
            elif d["dry_run"]:
                messages.info(request, _("Dry run: nothing was saved."))
            else:
                messages.success(request, _("Imported."))
    return render(
        request,
        "registry/import.html",
        {"form": form, "result": result, "rows": imports.result_rows(result) if result else []},
    )


@require_GET
def import_job(request, pk: int):
    from somevahti.web.registry.models import ImportJob

    require(policy.can_import(request.user))
    job = get_object_or_404(ImportJob, pk=pk)
    template = (
        "registry/_import_progress.html" if getattr(request, "htmx", False) else "registry/import_job.html"
    )
    return render(request, template, {"job": job, "rows": job.rows if not job.running else []})
