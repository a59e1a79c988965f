"""Approving a request registers the account, its owner and grants in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from somevahti.web.registry.models import AccessGrant, Account, ExpertProfile
from somevahti.web.requests.models import AccountRequest, Decision, ExpertProfileRequest


@transaction.atomic
def approve_account_request(req: AccountRequest, user, reason: str) -> Account:
    maintainers = list(req.maintainers.order_by("name"))
    owner = maintainers[0] if maintainers else None
    account = Account.objects.create(
        platform=req.platform,
        handle=req.handle.strip(),
        kind=Account.Kind.SHARED,
        unit=req.unit,
        owner=owner,
        purpose=req.need,
        audience=req.target_group,
        languages=req.languages,
        created=timezone.localdate(),
        request=req,
    )
    for i, person in enumerate(maintainers):
        AccessGrant.objects.create(
            person=person,
            account=account,
            granted_by=user,
            role=AccessGrant.Role.OWNER if i == 0 else AccessGrant.Role.ADMIN,
        )
    _decide(req, user, Decision.APPROVED, reason)
    return account


def reject(req, user, reason: str) -> None:
    _decide(req, user, Decision.REJECTED, reason)


def _decide(req, user, status, reason) -> None:
    req.status = status
    req.decided_by = user
    req.decided_at = timezone.now()
    if isinstance(req, ExpertProfileRequest):
        req.decision_reason = reason
    else:
        req.reason = reason
    req.save()


def expert_account_unit(req: ExpertProfileRequest) -> int | None:
    """The unit an expert profile's account is registered under: the person's, or when the registry
    names none, their supervisor's (the team they work in); None when neither is known."""
    person = req.person
    return person.unit_id or (person.supervisor.unit_id if person.supervisor_id else None)


@transaction.atomic
def approve_expert_request(req: ExpertProfileRequest, user, reason: str) -> ExpertProfile:
    """Registers the expert account, its owner grant and the profile; the caller has checked that
    :func:`expert_account_unit` is known."""
    approver = getattr(getattr(user, "membership", None), "person", None)
    account = Account.objects.create(
        platform=req.platform,
        handle=req.handle.strip(),
        kind=Account.Kind.EXPERT,
        unit_id=expert_account_unit(req),
        owner=req.person,
        purpose=req.topics,
        created=timezone.localdate(),
    )
    AccessGrant.objects.create(
        person=req.person, account=account, granted_by=user, role=AccessGrant.Role.OWNER
    )
    profile = ExpertProfile.objects.create(
        person=req.person,
        account=account,
        platform=req.platform,
        handle=req.handle,
        topics=req.topics,
        approved_by=approver,
        approved=timezone.localdate(),
    )
    _decide(req, user, Decision.APPROVED, reason)
    return profile
