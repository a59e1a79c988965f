"""Who may do what: every permission decision of the web application and the API lives here.

Six roles (see :class:`~somevahti.web.core.models.Role`); object-level rules keep unit editors to
their own unit and supervisors to their own team. Superusers may do everything.
"""

from __future__ import annotations

from somevahti.web.core.models import Role

SECURITY_RULES = frozenset({"password-age", "two-factor-off", "work-email-or-reused-password", "settings-review"})


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def _m(user):
    return getattr(user, "membership", None)


def _is(user, *roles: str) -> bool:
    return bool(getattr(user, "is_superuser", False)) or role_of(user) in roles


def _own_unit(user, unit_id) -> bool:
    m = _m(user)
    return role_of(user) == Role.UNIT_EDITOR and m.unit_id is not None and m.unit_id == unit_id


def _leads(user, person) -> bool:
    """The user is the person's supervisor."""
    m = _m(user)
    return m is not None and m.person_id is not None and person is not None and person.supervisor_id == m.person_id


# -- registry --------------------------------------------------------------------------------------

def can_view_registry(user) -> bool:
    return getattr(user, "is_superuser", False) or role_of(user) is not None


def can_view_history(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.IT_SECURITY)


def can_edit_unit(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_add_person(user, unit_id=None) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN) or (unit_id is not None and _own_unit(user, unit_id)) or (
        unit_id is None and role_of(user) == Role.UNIT_EDITOR)


def can_edit_person(user, person) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN) or _own_unit(user, person.unit_id) or (
        role_of(user) == Role.SUPERVISOR and _leads(user, person))


def can_edit_account(user, account) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN) or _own_unit(user, account.unit_id)


def can_manage_grants(user, account) -> bool:
    return can_edit_account(user, account)


def can_revoke_grant(user, grant) -> bool:
    return (grant.revoked is None and (
        can_manage_grants(user, grant.account) or _is(user, Role.IT_SECURITY)
        or (role_of(user) == Role.SUPERVISOR and _leads(user, grant.person))))


def can_attest(user, account) -> bool:
    m = _m(user)
    keeper = m is not None and m.person_id is not None and role_of(user) != Role.AUDITOR and (
        account.owner_id == m.person_id
        or account.grants.filter(person_id=m.person_id, revoked__isnull=True, role__in=("owner", "admin")).exists())
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.IT_SECURITY) or _own_unit(user, account.unit_id) or keeper


def can_import(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_export(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.IT_SECURITY)


# -- audits ----------------------------------------------------------------------------------------

def can_view_audits(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.SUPERVISOR, Role.IT_SECURITY, Role.AUDITOR)


def can_run_audit(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.IT_SECURITY)


def can_act_on_finding(user, finding) -> bool:
    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return True
    role = role_of(user)
    if role == Role.UNIT_EDITOR:
        return _own_unit(user, finding.unit_id)
    if role == Role.SUPERVISOR:
        return finding.person is not None and _leads(user, finding.person)
    if role == Role.IT_SECURITY:
        return finding.rule in SECURITY_RULES
    return False


# -- requests --------------------------------------------------------------------------------------

def can_file_request(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUTHOR, Role.SUPERVISOR, Role.IT_SECURITY)


def can_view_all_requests(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR)


def can_view_request(user, req) -> bool:
    return can_view_all_requests(user) or req.requested_by_id == user.pk or _own_unit(user, req.unit_id)


def can_decide_request(user, req) -> bool:
    return req.status == "pending" and _is(user, Role.COMMUNICATIONS_ADMIN)


def can_file_expert_request(user) -> bool:
    m = _m(user)
    return m is not None and m.person_id is not None and role_of(user) != Role.AUDITOR


def can_view_expert_request(user, req) -> bool:
    return (can_view_all_requests(user) or req.requested_by_id == user.pk or _leads(user, req.person))


def can_decide_expert_request(user, req) -> bool:
    """Only the person's own supervisor confirms an expert profile (KIRK-4.1)."""
    return req.status == "pending" and _leads(user, req.person) and role_of(user) != Role.AUDITOR


# -- API -------------------------------------------------------------------------------------------

def can_check_posts(user) -> bool:
    return can_view_registry(user)
