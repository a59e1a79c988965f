"""Who may do what: every permission decision of the web application and the API lives here.

Six roles (see :class:`~somevahti.web.core.models.Role`); object-level rules keep unit editors to
their own unit and supervisors to their own team. Superusers may do everything.
"""

from __future__ import annotations

from somevahti.web.core.models import Role

SECURITY_RULES = frozenset(
    {"password-age", "two-factor-off", "work-email-or-reused-password", "settings-review"}
)


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
    return (
        m is not None
        and m.person_id is not None
        and person is not None
        and person.supervisor_id == m.person_id
    )


# -- registry --------------------------------------------------------------------------------------


def can_view_registry(user) -> bool:
    return getattr(user, "is_superuser", False) or role_of(user) is not None


def can_view_history(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.IT_SECURITY)


def can_edit_unit(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_add_person(user, unit_id=None) -> bool:
    return (
        _is(user, Role.COMMUNICATIONS_ADMIN)
        or (unit_id is not None and _own_unit(user, unit_id))
        or (unit_id is None and role_of(user) == Role.UNIT_EDITOR)
    )


def can_edit_person(user, person) -> bool:
    return (
        _is(user, Role.COMMUNICATIONS_ADMIN)
        or _own_unit(user, person.unit_id)
        or (role_of(user) == Role.SUPERVISOR and _leads(user, person))
    )


def can_edit_account(user, account) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN) or _own_unit(user, account.unit_id)


def can_manage_grants(user, account) -> bool:
    return can_edit_account(user, account)


def can_revoke_grant(user, grant) -> bool:
    return grant.revoked is None and (
        can_manage_grants(user, grant.account)
        or _is(user, Role.IT_SECURITY)
        or (role_of(user) == Role.SUPERVISOR and _leads(user, grant.person))
    )


def can_attest(user, account) -> bool:
    m = _m(user)
    keeper = (
        m is not None
        and m.person_id is not None
        and role_of(user) != Role.AUDITOR
        and (
            account.owner_id == m.person_id
            or account.grants.filter(
                person_id=m.person_id, revoked__isnull=True, role__in=("owner", "admin")
            ).exists()
        )
    )
    return (
        _is(user, Role.COMMUNICATIONS_ADMIN, Role.IT_SECURITY) or _own_unit(user, account.unit_id) or keeper
    )


def can_import(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_export(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.IT_SECURITY)


# -- audits ----------------------------------------------------------------------------------------


def can_view_audits(user) -> bool:
    return _is(
        user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.SUPERVISOR, Role.IT_SECURITY, Role.AUDITOR
    )


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
    return _is(
        user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUTHOR, Role.SUPERVISOR, Role.IT_SECURITY
    )


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
    return can_view_all_requests(user) or req.requested_by_id == user.pk or _leads(user, req.person)


def can_decide_expert_request(user, req) -> bool:
    """Only the person's own supervisor confirms an expert profile (KIRK-4.1)."""
    return req.status == "pending" and _leads(user, req.person) and role_of(user) != Role.AUDITOR


# -- API -------------------------------------------------------------------------------------------


def can_check_posts(user) -> bool:
    return can_view_registry(user)


# -- inbox and incidents (issue 5) -----------------------------------------------------------------
# Items: communications admins see all; unit editors their unit's accounts (unassigned items are
# theirs, KIRK-5.13); everyone sees what they published, what is assigned to them and the accounts
# they hold a grant on; IT/security sees the misuse queue. Auditors see the reports only.
# Incidents: only the people involved (creator, the person concerned, the routed handlers) and the
# roles that need it (communications admins; IT/security when routed to IT).


def _person_id(user):
    m = _m(user)
    return m.person_id if m is not None else None


def can_view_inbox(user) -> bool:
    return _is(
        user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUTHOR, Role.SUPERVISOR, Role.IT_SECURITY
    )


def inbox_filter(user):
    """A Q over inbox items the user may see, or None for all of them."""
    from django.db.models import Q

    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return None
    q = Q(pk__in=[])
    pid = _person_id(user)
    if pid is not None and role_of(user) != Role.AUDITOR:
        q |= (
            Q(assignee_id=pid)
            | Q(publisher_id=pid)
            | Q(account__grants__person_id=pid, account__grants__revoked__isnull=True)
        )
    if role_of(user) == Role.UNIT_EDITOR and _m(user).unit_id is not None:
        q |= Q(account__unit_id=_m(user).unit_id)
    if role_of(user) == Role.IT_SECURITY:
        q |= Q(category="escalate_misuse")
    return q


def _item_is_mine(user, item) -> bool:
    pid = _person_id(user)
    if pid is None or role_of(user) == Role.AUDITOR:
        return False
    return (
        pid in (item.assignee_id, item.publisher_id)
        or item.account.grants.filter(person_id=pid, revoked__isnull=True).exists()
    )


def can_view_item(user, item) -> bool:
    return (
        _is(user, Role.COMMUNICATIONS_ADMIN)
        or _own_unit(user, item.account.unit_id)
        or _item_is_mine(user, item)
        or (role_of(user) == Role.IT_SECURITY and item.category == "escalate_misuse")
    )


def can_act_on_item(user, item) -> bool:
    """Answer, hide, delete, close."""
    return (
        _is(user, Role.COMMUNICATIONS_ADMIN)
        or _own_unit(user, item.account.unit_id)
        or (role_of(user) != Role.IT_SECURITY and _item_is_mine(user, item))
    )


def can_import_items(user, account=None) -> bool:
    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return True
    return role_of(user) == Role.UNIT_EDITOR and (account is None or _own_unit(user, account.unit_id))


def can_see_items_import(user, job) -> bool:
    """A background comment import's page: the communications admins, and whoever started it while
    they may still import into its account; nobody else (the file names people and their words)."""
    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return True
    return (
        job.requested_by_id is not None
        and job.requested_by_id == user.pk
        and can_import_items(user, job.account)
    )


def can_manage_connections(user) -> bool:
    """Add, change and remove an account's API connection and its token: communications admins only."""
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_view_inbox_reports(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUDITOR)


def can_create_incident(user) -> bool:
    return can_view_inbox(user)


IT_ROUTE = "it_security"


def incident_filter(user):
    """A Q over incidents the user may see, or None for all of them."""
    from django.db.models import Q

    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return None
    q = Q(created_by_id=user.pk)
    pid = _person_id(user)
    if pid is not None:
        q |= Q(concerns_id=pid) | Q(handlers__id=pid)
    if role_of(user) == Role.IT_SECURITY:
        q |= Q(routes__contains=[IT_ROUTE]) if _json_contains_supported() else Q(routes__icontains=IT_ROUTE)
    return q


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def can_view_incident(user, incident) -> bool:
    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return True
    if not getattr(user, "is_authenticated", False) or role_of(user) is None:
        return False
    pid = _person_id(user)
    return (
        incident.created_by_id == user.pk
        or (pid is not None and (incident.concerns_id == pid or incident.handlers.filter(pk=pid).exists()))
        or (role_of(user) == Role.IT_SECURITY and IT_ROUTE in incident.routes)
    )


def can_update_incident(user, incident) -> bool:
    return can_view_incident(user, incident) and role_of(user) != Role.AUDITOR


# -- publishing ------------------------------------------------------------------------------------


def can_approve_publication(user, account, roles) -> bool:
    """May approve a post on ``account`` where the pack names ``roles`` as approvers: a superuser, a
    communications admin (when named), a unit editor of the account's own unit, the supervisor of
    the account's owner (when named)."""
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    role = role_of(user)
    if role not in roles:
        return False
    if role == Role.UNIT_EDITOR:
        return _own_unit(user, account.unit_id)
    if role == Role.SUPERVISOR:
        return _leads(user, account.owner)
    return role == Role.COMMUNICATIONS_ADMIN


# -- operations ------------------------------------------------------------------------------------


def can_view_worker_health(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


# -- the policy document and its versions (web/policy) ---------------------------------------------


def can_read_policy_document(user) -> bool:
    """Everyone in the organisation reads the policy (it is what their posts are checked against)."""
    return getattr(user, "is_superuser", False) or role_of(user) is not None


def can_view_pack_versions(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.IT_SECURITY)


def can_put_pack_in_force(user) -> bool:
    """A communications admin signed in with verified two-step verification approves a pack version."""
    verified = getattr(user, "is_verified", None)
    return _is(user, Role.COMMUNICATIONS_ADMIN) and bool(verified and verified())


def can_use_wizard(user) -> bool:
    """The policy wizard (web/wizard): communications admins build, try, export and import the
    organisation's pack; putting it in force also needs verified two-step (can_put_pack_in_force)."""
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_view_results(user) -> bool:
    """Results per account and unit: communications and auditors for all accounts, unit editors for
    their own unit's (the archive's scope, web/archive/access.py)."""
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR, Role.UNIT_EDITOR)


# -- onboarding (web/onboarding) -------------------------------------------------------------------


def can_follow_onboarding(user) -> bool:
    """Everyone in the organisation has an onboarding path for their role, and may take the quiz."""
    return getattr(user, "is_superuser", False) or role_of(user) is not None


def can_view_onboarding_of(user, other) -> bool:
    """A person sees their own progress; communications admins see everyone's."""
    return can_follow_onboarding(user) and (
        getattr(user, "pk", None) == getattr(other, "pk", -1) or _is(user, Role.COMMUNICATIONS_ADMIN)
    )


def can_view_all_onboarding(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


# -- users and roles (issue 11) --------------------------------------------------------------------


def can_manage_users(user) -> bool:
    """Create users, give roles, units and person links, deactivate: communications admins."""
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_change_own_account(user) -> bool:
    """Every signed-in person changes their own password and language."""
    return getattr(user, "is_authenticated", False)


def actionable_findings_filter(user):
    """A Q over the findings the user may resolve or accept (the same decision as
    :func:`can_act_on_finding`, for lists and dashboard counts); None: all of them."""
    from django.db.models import Q

    if _is(user, Role.COMMUNICATIONS_ADMIN):
        return None
    role, m = role_of(user), _m(user)
    if role == Role.UNIT_EDITOR and m.unit_id is not None:
        return Q(unit_id=m.unit_id)
    if role == Role.SUPERVISOR and m.person_id is not None:
        return Q(person__supervisor_id=m.person_id)
    if role == Role.IT_SECURITY:
        return Q(rule__in=SECURITY_RULES)
    return Q(pk__in=[])


def acts_on_findings(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.SUPERVISOR, Role.IT_SECURITY)


# -- publishing (issue 10) -------------------------------------------------------------------------
# Writers: communications admins, unit editors, authors, supervisors. A draft is seen by its author,
# the communications admins and auditors, the unit editor of its unit or of a target account's unit,
# and the author's supervisor. Who approves comes from the pack and the registry
# (web/publishing/approval.py); nobody approves their own post.


def can_compose(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUTHOR, Role.SUPERVISOR)


def can_view_publishing(user) -> bool:
    """The calendar, the queue and the drafts list (each filtered by :func:`drafts_for`)."""
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.AUTHOR, Role.SUPERVISOR, Role.AUDITOR)


def drafts_filter(user):
    """A Q over the drafts the user may see, or None for all of them."""
    from django.db.models import Q

    if _is(user, Role.COMMUNICATIONS_ADMIN, Role.AUDITOR):
        return None
    if not can_view_publishing(user):
        return Q(pk__in=[])
    q = Q(author_id=user.pk)
    m = _m(user)
    if role_of(user) == Role.UNIT_EDITOR and m.unit_id is not None:
        q |= Q(unit_id=m.unit_id) | Q(accounts__unit_id=m.unit_id)
    if m is not None and m.person_id is not None:
        q |= Q(author__membership__person__supervisor_id=m.person_id)
    return q


def drafts_for(user):
    """The drafts the user may see (a queryset without duplicates)."""
    from somevahti.web.publishing.models import Draft

    q = drafts_filter(user)
    qs = Draft.objects.all() if q is None else Draft.objects.filter(q)
    return qs if q is None else qs.filter(pk__in=qs.values("pk"))


def can_view_draft(user, draft) -> bool:
    return can_view_publishing(user) and drafts_for(user).filter(pk=draft.pk).exists()


def _draft_units(draft) -> set:
    return {a.unit_id for a in draft.accounts.all()} | ({draft.unit_id} if draft.unit_id else set())


def _unit_editor_of_all(user, draft) -> bool:
    units = _draft_units(draft)
    return bool(units) and all(_own_unit(user, u) for u in units)


def can_edit_draft(user, draft) -> bool:
    from somevahti.web.publishing.models import EDITABLE

    if draft.state not in EDITABLE:
        return False
    return (
        (draft.author_id == user.pk and can_compose(user))
        or _is(user, Role.COMMUNICATIONS_ADMIN)
        or (_unit_editor_of_all(user, draft))
    )


def approval_refusal(user, draft):
    """Why the user may not approve the draft now (a translated sentence), or None when they may."""
    from django.utils.translation import gettext as _t

    from somevahti.web.publishing import approval
    from somevahti.web.publishing.models import State

    if draft.state != State.IN_REVIEW:
        return _t("Only a draft in review can be approved.")
    if draft.author_id == user.pk:
        return _t("Nobody approves their own post.")
    rules = approval.rules_for(draft)
    if not rules:
        return _t("This post needs no approval.")
    accounts = {a.pk: a for a in draft.accounts.all()}
    for account_id, rule in rules.items():
        account = accounts[account_id]
        ok = (
            ("communications_admin" in rule.approvers and _is(user, Role.COMMUNICATIONS_ADMIN))
            or ("unit_editor" in rule.approvers and _own_unit(user, account.unit_id))
            or (
                "supervisor" in rule.approvers
                and role_of(user) == Role.SUPERVISOR
                and _author_is_led_by(user, draft)
            )
        )
        if not ok:
            return _t("You may not approve posts to %(account)s.") % {"account": account}
    return None


def _author_is_led_by(user, draft) -> bool:
    m = getattr(draft.author, "membership", None)
    return m is not None and m.person is not None and _leads(user, m.person)


# the roles a pack's approval.approvers may name
APPROVER_ROLES = (Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR, Role.SUPERVISOR)


def approves_posts(user) -> bool:
    """Whether the user's role can approve any post at all (authors, IT/security and auditors never
    do): the home page asks it before listing what waits for this user's approval."""
    return getattr(user, "is_superuser", False) or role_of(user) in APPROVER_ROLES


def can_approve(user, draft) -> bool:
    return can_compose(user) and approval_refusal(user, draft) is None


def can_schedule(user, draft) -> bool:
    from somevahti.web.publishing.models import State

    return draft.state in (State.APPROVED, State.SCHEDULED) and can_edit_draft(user, draft)


def can_cancel_draft(user, draft) -> bool:
    from somevahti.web.publishing.models import State

    return draft.state not in (State.PUBLISHED, State.PUBLISHING, State.CANCELLED) and can_edit_draft(
        user, draft
    )


def can_retry(user, draft) -> bool:
    from somevahti.web.publishing.models import State

    return draft.state == State.FAILED and (
        _is(user, Role.COMMUNICATIONS_ADMIN) or _unit_editor_of_all(user, draft) or draft.author_id == user.pk
    )


def can_cross_post(user, draft) -> bool:
    from somevahti.web.publishing.models import State

    return draft.state in (State.SCHEDULED, State.PUBLISHED, State.APPROVED) and (
        _is(user, Role.COMMUNICATIONS_ADMIN) or _unit_editor_of_all(user, draft)
    )


def can_correct(user, draft) -> bool:
    from somevahti.web.publishing.models import State

    return draft.state == State.PUBLISHED and (
        _is(user, Role.COMMUNICATIONS_ADMIN) or _unit_editor_of_all(user, draft) or draft.author_id == user.pk
    )


def can_manage_crisis(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN)


def can_view_failed(user) -> bool:
    return _is(user, Role.COMMUNICATIONS_ADMIN, Role.UNIT_EDITOR)


def can_reschedule(user, draft) -> bool:
    return can_schedule(user, draft)
