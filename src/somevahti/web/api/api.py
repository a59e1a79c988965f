"""The JSON API (django-ninja; OpenAPI document at /api/openapi.json, browsable at /api/docs).

Session authentication with CSRF; every endpoint asks the same policy module as the pages.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Body, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.throttling import UserRateThrottle
from pydantic import ValidationError as PydanticValidationError

from somevahti.document import PostDocument
from somevahti.web.api.checking import checker
from somevahti.web.audits import service
from somevahti.web.audits.display import finding_text
from somevahti.web.audits.models import Finding
from somevahti.web.core import policy
from somevahti.web.registry.models import AccessGrant, Account, Person, Unit

api = NinjaAPI(
    title="Somevahti", version="1", auth=django_auth, urls_namespace="api", docs_decorator=login_required
)  # swagger-ui from ninja's static files, signed-in users only

MAX_PAGE = 500
MAX_ID = 2**63 - 1  # beyond this the database cannot hold an id: 404, not an overflow


def _id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


class CheckThrottle(UserRateThrottle):
    """Checks per signed-in user (``SOMEVAHTI_API_CHECK_RATE``, default 60/m): a check runs the
    language tools and is the one expensive call; read at each request so settings can change it."""

    scope = "check"

    def __init__(self):
        super().__init__(settings.API_CHECK_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.API_CHECK_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def _add_routers() -> None:
    from somevahti.web.api.publishing import router as publishing

    api.add_router("/publishing", publishing)


def _require(allowed: bool) -> None:
    if not allowed:
        raise HttpError(403, "Forbidden")


class UnitOut(Schema):
    id: int
    name: str
    website: str


class PersonOut(Schema):
    id: int
    name: str
    title: str
    unit_id: int | None
    email: str
    phone: str
    supervisor_id: int | None
    start_date: date | None
    end_date: date | None
    status: str


class AccountOut(Schema):
    id: int
    platform: str
    handle: str
    url: str
    kind: str
    unit_id: int
    owner_id: int | None
    status: str
    languages: str
    contact_email: str
    privacy_notice_url: str
    names_maintainer: bool
    links_website: bool


class GrantOut(Schema):
    id: int
    account_id: int
    person_id: int
    role: str
    granted: date
    revoked: date | None


class AccountDetailOut(AccountOut):
    grants: list[GrantOut]

    @staticmethod
    def resolve_grants(obj):
        return list(obj.grants.order_by("id"))


class FindingOut(Schema):
    id: int
    rule: str
    key: str
    clauses: list[str]
    text: str
    status: str
    account_id: int | None
    person_id: int | None
    act_roles: list[str]


class CheckOut(Schema):
    pack: str
    pack_version: dict  # {id, version, digest}: the pack version the check used
    findings: list[dict]


def _limit(queryset, offset: int, limit: int):
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, min(offset, 2**31))
    return list(queryset[offset : offset + limit])


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.get("/units", response=list[UnitOut])
def units(request, offset: int = 0, limit: int = 100):
    _require(policy.can_view_registry(request.user))
    return _limit(Unit.objects.order_by("name"), offset, limit)


@api.get("/people", response=list[PersonOut])
def people(request, offset: int = 0, limit: int = 100):
    _require(policy.can_view_registry(request.user))
    return _limit(Person.objects.order_by("name", "id"), offset, limit)


@api.get("/accounts", response=list[AccountOut])
def accounts(request, offset: int = 0, limit: int = 100):
    _require(policy.can_view_registry(request.user))
    return _limit(Account.objects.order_by("platform", "handle"), offset, limit)


@api.get("/accounts/{account_id}", response=AccountDetailOut)
def account(request, account_id: int):
    _require(policy.can_view_registry(request.user))
    return get_object_or_404(Account, pk=_id(account_id))


@api.post("/grants/{grant_id}/revoke", response=GrantOut)
def revoke(request, grant_id: int):
    grant = get_object_or_404(AccessGrant.objects.select_related("account", "person"), pk=_id(grant_id))
    _require(policy.can_revoke_grant(request.user, grant))
    grant.revoked = timezone.localdate()
    grant.revoked_by = request.user
    grant.save()
    return grant


@api.get("/findings", response=list[FindingOut])
def findings(request, status: str = "open", offset: int = 0, limit: int = 100):
    _require(policy.can_view_audits(request.user))
    service.ensure_fresh()
    rows = _limit(Finding.objects.filter(status=status).order_by("rule", "id"), offset, limit)
    for f in rows:
        f.text = finding_text(f)
    return rows


@api.post("/check", response=CheckOut, throttle=CheckThrottle())
def check(request, document: dict = Body(...)):  # noqa: B008 - ninja's way to declare a body
    """Check a post document (see docs/post-document.md) against the organisation's pack."""
    _require(policy.can_check_posts(request.user))
    try:
        doc = PostDocument.model_validate(document)
    except PydanticValidationError as e:
        raise HttpError(422, f"Not a post document: {e.errors()[0].get('msg', '')}") from None
    c = checker()
    from somevahti.policy.versions import version_info

    return {
        "pack": c.pack.id,
        "pack_version": version_info(c.pack),
        "findings": [f.to_json() for f in c.check(doc)],
    }


class WorkerHealthOut(Schema):
    alive: bool
    last_heartbeat_seconds_ago: int | None
    queued: int
    failed_last_day: int
    failures: list[dict]


@api.get("/worker-health", response=WorkerHealthOut)
def worker_health(request):
    """The task worker's last heartbeat, queue length and the failed tasks of the last day."""
    from somevahti.web.core import worker_health as wh

    _require(policy.can_view_worker_health(request.user))
    return wh.health()


_add_routers()
