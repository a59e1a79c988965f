"""The publishing API (``/api/publishing/...``): the composer's operations for a CMS or a script.

Every endpoint asks the same policy functions as the pages and calls the same services; a refused
step answers 409 with the reason in the user's language (and the findings that block it), a draft
the user may not see answers 404.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from somevahti.web.core import policy
from somevahti.web.core.guards import require
from somevahti.web.publishing import services
from somevahti.web.publishing.checking import check_draft
from somevahti.web.publishing.models import Draft, State
from somevahti.web.publishing.services import DraftInput, Refused
from somevahti.web.registry.models import Account

router = Router(tags=["publishing"])


class DraftIn(Schema):
    texts: dict[str, str]
    titles: dict[str, str] = {}
    accounts: list[int] = []
    scheduled_at: datetime | None = None
    crisis: bool = False
    closed_group: bool = False
    sponsored: bool = False


class PublicationOut(Schema):
    account_id: int
    status: str
    urls: list[str]
    external_ids: list[str]
    error_kind: str
    error: str
    published_at: datetime | None


class DraftOut(Schema):
    id: int
    state: str
    texts: dict[str, str]
    accounts: list[int]
    scheduled_at: datetime | None
    crisis: bool
    author: str
    approved_by: str | None
    version: int
    paused: bool
    original_id: int | None


class StatusOut(Schema):
    id: int
    state: str
    publications: list[PublicationOut]


class FindingsOut(Schema):
    findings: list[dict]
    errors: int
    warnings: int


class StepIn(Schema):
    reason: str = ""


class SubmitIn(Schema):
    justification: str = ""


class ScheduleIn(Schema):
    at: datetime | None = None  # None: publish now


def _out(d: Draft) -> dict:
    return {
        "id": d.pk,
        "state": d.state,
        "texts": d.texts(),
        "accounts": [a.pk for a in d.accounts.all()],
        "scheduled_at": d.scheduled_at,
        "crisis": d.crisis,
        "author": d.author.username,
        "approved_by": d.approved_by.username if d.approved_by else None,
        "version": d.version,
        "paused": d.paused,
        "original_id": d.original_id,
    }


def _draft(request, pk: int) -> Draft:
    require(policy.can_view_publishing(request.user))
    return get_object_or_404(policy.drafts_for(request.user).select_related("author", "approved_by"), pk=pk)


def _refused(e: Refused):
    raise HttpError(
        409,
        e.message
        if not e.findings
        else f"{e.message} " + " ".join(f"[{f.rule}] {f.message}" for f in e.findings),
    )


def _input(body: DraftIn) -> DraftInput:
    accounts = list(Account.objects.filter(pk__in=body.accounts))
    missing = sorted(set(body.accounts) - {a.pk for a in accounts})
    if missing:
        raise HttpError(422, _("Unknown account: %(value)s.") % {"value": ", ".join(map(str, missing))})
    when = body.scheduled_at
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when)
    return DraftInput(
        texts=body.texts,
        titles=body.titles,
        accounts=accounts,
        scheduled_at=when,
        crisis=body.crisis,
        closed_group=body.closed_group,
        sponsored=body.sponsored,
    )


@router.post("/drafts", response=DraftOut)
def create_draft(request, body: DraftIn):
    require(policy.can_compose(request.user))
    try:
        return _out(services.create_draft(request.user, _input(body)))
    except Refused as e:
        _refused(e)


@router.get("/drafts/{draft_id}", response=DraftOut)
def get_draft(request, draft_id: int):
    return _out(_draft(request, draft_id))


@router.put("/drafts/{draft_id}", response=DraftOut)
def edit_draft(request, draft_id: int, body: DraftIn):
    draft = _draft(request, draft_id)
    require(policy.can_edit_draft(request.user, draft))
    try:
        return _out(services.update_draft(request.user, draft, _input(body)))
    except Refused as e:
        _refused(e)


@router.post("/drafts/{draft_id}/check", response=FindingsOut)
def check(request, draft_id: int):
    draft = _draft(request, draft_id)
    findings = check_draft(draft)
    return {
        "findings": [f.to_json() for f in findings],
        "errors": len(services.blocking(findings)),
        "warnings": len(services.warnings_of(findings)),
    }


def _step(request, draft_id: int, allowed, do):
    draft = _draft(request, draft_id)
    require(allowed(draft))
    try:
        do(draft)
    except Refused as e:
        _refused(e)
    return _out(Draft.objects.get(pk=draft.pk))


@router.post("/drafts/{draft_id}/submit", response=DraftOut)
def submit(request, draft_id: int, body: SubmitIn):
    return _step(
        request,
        draft_id,
        lambda d: policy.can_edit_draft(request.user, d),
        lambda d: services.submit(request.user, d, body.justification),
    )


def _may_review(request, d) -> bool:
    # A draft that is no longer in review answers 409 (someone was first), not 403.
    return policy.can_compose(request.user) and (
        d.state != State.IN_REVIEW or policy.can_approve(request.user, d)
    )


@router.post("/drafts/{draft_id}/approve", response=DraftOut)
def approve(request, draft_id: int, body: StepIn):
    return _step(
        request,
        draft_id,
        lambda d: _may_review(request, d),
        lambda d: services.approve(request.user, d, body.reason),
    )


@router.post("/drafts/{draft_id}/request-changes", response=DraftOut)
def request_changes(request, draft_id: int, body: StepIn):
    return _step(
        request,
        draft_id,
        lambda d: _may_review(request, d),
        lambda d: services.request_changes(request.user, d, body.reason),
    )


@router.post("/drafts/{draft_id}/schedule", response=DraftOut)
def schedule(request, draft_id: int, body: ScheduleIn):
    when = body.at
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when)
    return _step(
        request,
        draft_id,
        lambda d: policy.can_edit_draft(request.user, d),
        lambda d: services.schedule(request.user, d, when),
    )


@router.post("/drafts/{draft_id}/cancel", response=DraftOut)
def cancel(request, draft_id: int, body: StepIn):
    return _step(
        request,
        draft_id,
        lambda d: policy.can_edit_draft(request.user, d),
        lambda d: services.cancel(request.user, d, body.reason),
    )


@router.get("/drafts/{draft_id}/status", response=StatusOut)
def status(request, draft_id: int):
    from somevahti.web.publishing import dispatch

    draft = _draft(request, draft_id)
    if draft.publications.exclude(engine_id="").filter(status__in=("waiting", "publishing")).exists():
        dispatch.sync(draft)
    return {
        "id": draft.pk,
        "state": Draft.objects.get(pk=draft.pk).state,
        "publications": list(draft.publications.exclude(status="cancelled")),
    }


@router.get("/calendar", response=list[DraftOut])
def calendar(
    request, start: date | None = None, days: int = 31, account: int | None = None, unit: int | None = None
):
    """Scheduled and published posts from ``start`` (default today) for ``days`` days (at most 62)."""
    require(policy.can_view_publishing(request.user))
    start = start or timezone.localdate()
    tz = timezone.get_current_timezone()
    lo = datetime.combine(start, time.min, tzinfo=tz)
    hi = lo + timedelta(days=max(1, min(days, 62)))
    qs = (
        policy.drafts_for(request.user)
        .filter(
            scheduled_at__gte=lo,
            scheduled_at__lt=hi,
            state__in=(State.SCHEDULED, State.PUBLISHING, State.PUBLISHED, State.FAILED),
        )
        .order_by("scheduled_at", "id")
    )
    if account:
        qs = qs.filter(accounts__id=account)
    if unit:
        qs = qs.filter(accounts__unit_id=unit)
    return [
        _out(d)
        for d in qs.distinct()
        .select_related("author", "approved_by")
        .prefetch_related("accounts", "versions")[:1000]
    ]
