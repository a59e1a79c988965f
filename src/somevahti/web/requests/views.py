"""Account requests (KIRK-5.5): authors file, communications admins decide (KELA-3.2, KIRK-5.2).
Expert profile requests go to the person's supervisor (KIRK-4.1)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.registry.models import Account
from somevahti.web.requests import services
from somevahti.web.requests.forms import AccountRequestForm, DecisionForm, ExpertRequestForm
from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest


@require_GET
def request_list(request):
    user = request.user
    require(
        policy.can_file_request(user)
        or policy.can_view_all_requests(user)
        or policy.can_file_expert_request(user)
    )
    reqs = AccountRequest.objects.select_related("unit", "requested_by")
    if not policy.can_view_all_requests(user):
        unit_id = (
            getattr(getattr(user, "membership", None), "unit_id", None)
            if policy.role_of(user) == "unit_editor"
            else None
        )
        reqs = reqs.filter(Q(requested_by=user) | Q(unit_id=unit_id) if unit_id else Q(requested_by=user))
    person_id = getattr(getattr(user, "membership", None), "person_id", None)
    experts = ExpertProfileRequest.objects.select_related("person")
    if not policy.can_view_all_requests(user):
        experts = experts.filter(Q(requested_by=user) | Q(person__supervisor_id=person_id or -1))
    show = request.GET.get("show", "")
    if show in ("decide", "mine"):  # the dashboard's cards: exactly what they count
        from somevahti.web.requests import cards

        waiting_a, waiting_e = cards.to_decide(user) if show == "decide" else cards.mine_waiting(user)
        reqs, experts = (
            reqs.filter(pk__in=waiting_a.values("pk")),
            experts.filter(pk__in=waiting_e.values("pk")),
        )
    result_count = reqs.count() + experts.count() if show else None
    return render(
        request,
        "requests/list.html",
        {
            "show": show,
            "result_count": result_count,
            "requests": reqs[:200],
            "experts": experts[:200],
            "can_file": policy.can_file_request(user),
            "can_file_expert": policy.can_file_expert_request(user),
        },
    )


@require_http_methods(["GET", "POST"])
def request_new(request):
    require(policy.can_file_request(request.user))
    form = AccountRequestForm(request.POST or None, instance=AccountRequest(requested_by=request.user))
    if request.method == "POST" and form.is_valid():
        req = form.save()
        messages.success(request, _("Request sent to the communications admins."))
        return redirect("requests:detail", pk=req.pk)
    return render(request, "requests/form.html", {"form": form, "title": _("Request a new account")})


@require_GET
def request_detail(request, pk):
    req = get_object_or_404(
        AccountRequest.objects.select_related("unit", "requested_by", "decided_by"), pk=pk
    )
    require(policy.can_view_request(request.user, req))
    account = Account.objects.filter(request=req).first()
    return render(
        request,
        "requests/detail.html",
        {
            "req": req,
            "account": account,
            "maintainers": req.maintainers.all(),
            "decision_form": DecisionForm() if policy.can_decide_request(request.user, req) else None,
        },
    )


@require_POST
def request_decide(request, pk):
    req = get_object_or_404(AccountRequest, pk=pk)
    require(policy.can_decide_request(request.user, req))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the decision."))
        return redirect("requests:detail", pk=pk)
    if form.cleaned_data["decision"] == "approve":
        if Account.objects.filter(platform=req.platform, handle__iexact=req.handle.strip()).exists():
            messages.error(request, _("An account with this handle is already in the registry."))
            return redirect("requests:detail", pk=pk)
        account = services.approve_account_request(req, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Approved; %(account)s is now in the registry.") % {"account": account})
        return redirect("registry:account", pk=account.pk)
    services.reject(req, request.user, form.cleaned_data["reason"])
    messages.success(request, _("Rejected."))
    return redirect("requests:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def expert_new(request):
    require(policy.can_file_expert_request(request.user))
    person = request.user.membership.person
    form = ExpertRequestForm(
        request.POST or None, instance=ExpertProfileRequest(person=person, requested_by=request.user)
    )
    if request.method == "POST" and form.is_valid():
        if person.supervisor_id is None:
            form.add_error(None, _("The registry names no supervisor for you; ask a communications admin."))
        else:
            req = form.save()
            messages.success(
                request, _("Request sent to your supervisor %(name)s.") % {"name": person.supervisor}
            )
            return redirect("requests:expert", pk=req.pk)
    return render(request, "requests/form.html", {"form": form, "title": _("Request an expert profile")})


@require_GET
def expert_detail(request, pk):
    req = get_object_or_404(
        ExpertProfileRequest.objects.select_related("person", "person__supervisor"), pk=pk
    )
    require(policy.can_view_expert_request(request.user, req))
    return render(
        request,
        "requests/expert_detail.html",
        {
            "req": req,
            "decision_form": DecisionForm() if policy.can_decide_expert_request(request.user, req) else None,
        },
    )


@require_POST
def expert_decide(request, pk):
    req = get_object_or_404(
        ExpertProfileRequest.objects.select_related("person", "person__supervisor"), pk=pk
    )
    require(policy.can_decide_expert_request(request.user, req))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the decision."))
    elif form.cleaned_data["decision"] == "approve":
        if Account.objects.filter(platform=req.platform, handle__iexact=req.handle.strip()).exists():
            messages.error(request, _("An account with this handle is already in the registry."))
        elif services.expert_account_unit(req) is None:
            messages.error(
                request,
                _(
                    "The registry names no unit for %(person)s or their supervisor, and every "
                    "account belongs to a unit: set the person's unit first."
                )
                % {"person": req.person},
            )
        else:
            services.approve_expert_request(req, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Approved."))
    else:
        services.reject(req, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Rejected."))
    return redirect("requests:expert", pk=pk)
