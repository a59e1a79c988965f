"""Every change to a draft, as service functions (views and the API call these, never the models' fields).

Each state change locks the draft row (``select_for_update``), re-reads it, asks the policy module
whether the user may do it *now* (a reviewer who lost their role, a second approver who came too
late) and writes a :class:`Transition`. A refusal is a :class:`Refused` with a sentence in the
user's language; nothing of the draft is lost by a refusal.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from somevahti.findings import Severity
from somevahti.web.core import policy
from somevahti.web.core.models import Role
from somevahti.web.publishing import approval
from somevahti.web.publishing.checking import check_draft
from somevahti.web.publishing.models import (
    MAX_TEXT,
    AccountPublishing,
    CrisisMode,
    Draft,
    LanguageVersion,
    Publication,
    State,
    Transition,
)

log = logging.getLogger(__name__)
MAX_JUSTIFICATION = 300


class Refused(Exception):
    """The step was not taken; ``message`` says why in the user's language."""

    def __init__(self, message: str, findings: list | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.findings = findings or []
        self.field = field


@dataclass
class DraftInput:
    """What the composer or the API gives: texts per language, target accounts, time and flags."""

    texts: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    accounts: list = field(default_factory=list)  # registry Account objects
    scheduled_at: datetime | None = None
    crisis: bool = False
    closed_group: bool = False
    sponsored: bool = False
    kind: str = "post"


def _record(draft: Draft, user, to_state: str, reason: str = "", justification: str = "", overridden=()):
    Transition.objects.create(
        draft=draft,
        from_state=draft.state,
        to_state=to_state,
        by=user,
        reason=reason,
        justification=justification,
        overridden=list(overridden),
        version=draft.version,
    )
    draft.state = to_state


def _locked(draft_or_id) -> Draft:
    pk = draft_or_id.pk if isinstance(draft_or_id, Draft) else draft_or_id
    return Draft.objects.select_for_update().get(pk=pk)


def crisis_now() -> CrisisMode | None:
    return CrisisMode.objects.filter(ended__isnull=True).select_related("account").first()


def crisis_reason() -> str | None:
    """The reason of crisis_now(), None when there is no crisis."""
    return CrisisMode.objects.filter(ended__isnull=True).values_list("reason", flat=True).first()


# -- writing ---------------------------------------------------------------------------------------


def _validate(data: DraftInput, *, now=None) -> None:
    from somevahti.web.publishing.checking import pack_languages

    unknown = sorted(set(data.texts) - set(pack_languages()))
    if unknown:
        raise Refused(
            _("Unknown language code(s) %(codes)s: write codes such as fi,sv,en.")
            % {"codes": ", ".join(unknown)},
            field="texts",
        )
    for lang, text in data.texts.items():
        if len(text) > MAX_TEXT:
            raise Refused(
                _("The %(lang)s text is %(n)d characters long; a post can be at most %(max)d.")
                % {"lang": lang, "n": len(text), "max": MAX_TEXT},
                field=f"text.{lang}",
            )
    if data.scheduled_at is not None and data.scheduled_at < (now or timezone.now()):
        raise Refused(
            _("The publication time is in the past: choose a time that is still to come."),
            field="scheduled_at",
        )


def _unit_of(user, accounts) -> object:
    m = getattr(user, "membership", None)
    units = {a.unit_id for a in accounts}
    if len(units) == 1:
        return next(iter(units))
    return m.unit_id if m is not None and m.unit_id else (m.person.unit_id if m and m.person else None)


def _write_versions(draft: Draft, data: DraftInput) -> None:
    from somevahti.web.publishing.checking import pack_languages

    order = {lang: i for i, lang in enumerate(pack_languages())}
    existing = {v.language: v for v in draft.versions.all()}
    for lang, text in data.texts.items():
        title = data.titles.get(lang, "")
        v = existing.pop(lang, None)
        if v is None:
            LanguageVersion.objects.create(
                draft=draft, language=lang, text=text, title=title, position=order.get(lang, 99)
            )
        elif v.text != text or v.title != title:
            v.text, v.title = text, title
            v.save()
    for v in existing.values():  # a language emptied out of the form
        v.delete()


def create_draft(user, data: DraftInput) -> Draft:
    if not policy.can_compose(user):
        raise Refused(_("You may not write posts."))
    _validate(data)
    _check_accounts(user, data.accounts)
    with transaction.atomic():
        draft = Draft.objects.create(
            author=user,
            unit_id=_unit_of(user, data.accounts),
            scheduled_at=data.scheduled_at,
            crisis=data.crisis,
            closed_group=data.closed_group,
            sponsored=data.sponsored,
            kind=data.kind,
        )
        draft.accounts.set(data.accounts)
        _write_versions(draft, data)
        Transition.objects.create(draft=draft, from_state="", to_state=State.DRAFT, by=user, version=1)
    return draft


def _check_accounts(user, accounts) -> None:
    allowed = set(policy_accounts(user).values_list("pk", flat=True))
    for a in accounts:
        if a.pk not in allowed:
            raise Refused(_("You may not publish on %(account)s.") % {"account": a}, field="accounts")


def policy_accounts(user):
    """The registry accounts the user may choose as targets (open accounts of their reach)."""
    from somevahti.web.registry.models import Account

    qs = Account.objects.exclude(status=Account.Status.CLOSED)
    if policy._is(user, Role.COMMUNICATIONS_ADMIN):
        return qs
    m = getattr(user, "membership", None)
    if m is None:
        return qs.none()
    q = Q(pk__in=[])
    if m.role == Role.UNIT_EDITOR and m.unit_id:
        q |= Q(unit_id=m.unit_id)
    if m.person_id:
        q |= Q(grants__person_id=m.person_id, grants__revoked__isnull=True) | Q(owner_id=m.person_id)
        if m.person and m.person.unit_id:
            q |= Q(unit_id=m.person.unit_id)
    return qs.filter(pk__in=qs.filter(q).values("pk"))


def update_draft(user, draft: Draft, data: DraftInput) -> Draft:
    """Save an edit. An approved or scheduled post that is edited goes back to review."""
    _validate(data)
    _check_accounts(user, data.accounts)
    with transaction.atomic():
        draft = _locked(draft)
        if not policy.can_edit_draft(user, draft):
            raise Refused(_("This draft cannot be edited now."))
        before = (draft.texts(), {a.pk for a in draft.accounts.all()}, draft.crisis)
        draft.scheduled_at = data.scheduled_at
        draft.crisis, draft.closed_group, draft.sponsored, draft.kind = (
            data.crisis,
            data.closed_group,
            data.sponsored,
            data.kind,
        )
        draft.accounts.set(data.accounts)
        _write_versions(draft, data)
        changed = before != (
            {k: v for k, v in data.texts.items() if v.strip()},
            {a.pk for a in data.accounts},
            data.crisis,
        )
        if changed:
            draft.version += 1
        if changed and draft.state in (State.APPROVED, State.SCHEDULED):
            _cancel_waiting(draft)
            if approval.needs_approval(draft):
                draft.approved_by = draft.approved_at = draft.approved_version = None
                _record(draft, user, State.IN_REVIEW, reason=_("Edited after approval: approve it again."))
                transaction.on_commit(lambda d=draft: notify_approvers(d))
            else:
                _record(draft, user, State.APPROVED, reason=_("Edited: schedule it again."))
        elif changed and draft.state == State.FAILED:
            _record(draft, user, State.DRAFT, reason=_("Edited after a failed publication."))
        draft.save()
    return draft


# -- the approval path -----------------------------------------------------------------------------


def blocking(findings) -> list:
    return [f for f in findings if f.severity == Severity.ERROR]


def warnings_of(findings) -> list:
    return [f for f in findings if f.severity == Severity.WARNING]


def submit(user, draft: Draft, justification: str = "") -> Draft:
    """Send for approval (or, where no approval is needed, approve at once)."""
    justification = " ".join((justification or "").split())
    with transaction.atomic():
        draft = _locked(draft)
        if draft.author_id != user.pk and not policy.can_edit_draft(user, draft):
            raise Refused(_("Only the author can send this draft for approval."))
        if draft.state not in (State.DRAFT, State.CHANGES_REQUESTED):
            raise Refused(_("This draft has been sent already."))
        if not draft.accounts.exists():
            raise Refused(_("Choose at least one account to publish on."), field="accounts")
        if not draft.texts():
            raise Refused(_("Write the text of the post first."), field="text")
        findings = check_draft(draft)
        if errors := blocking(findings):
            raise Refused(
                _("Fix the errors first: %(n)d error-level findings block sending.") % {"n": len(errors)},
                findings=errors,
            )
        warned = warnings_of(findings)
        if warned and not justification:
            raise Refused(
                _("The check found warnings: give a one-line justification to send it anyway."),
                findings=warned,
                field="justification",
            )
        if len(justification) > MAX_JUSTIFICATION:
            raise Refused(
                _("Keep the justification to one line (at most %(n)d characters).")
                % {"n": MAX_JUSTIFICATION},
                field="justification",
            )
        overridden = sorted({f.rule for f in warned})
        if approval.needs_approval(draft):
            _record(
                draft,
                user,
                State.IN_REVIEW,
                justification=justification if warned else "",
                overridden=overridden,
            )
            draft.save()
            transaction.on_commit(lambda: notify_approvers(draft))
        else:
            _record(
                draft,
                user,
                State.APPROVED,
                reason=_("No approval needed for these accounts."),
                justification=justification if warned else "",
                overridden=overridden,
            )
            draft.approved_version = draft.version
            draft.save()
            _schedule_if_timed(user, draft)
    return draft


def approve(user, draft: Draft | int, note: str = "") -> Draft:
    """Approve; with two approvers at once the first one wins and the second gets a clear refusal."""
    with transaction.atomic():
        draft = _locked(draft)
        refusal = policy.approval_refusal(user, draft)
        if refusal is None and not policy.can_compose(user):
            refusal = _("You may not approve posts.")
        if refusal:
            if draft.state in (State.APPROVED, State.SCHEDULED) and draft.approved_by_id:
                refusal = _("%(name)s approved this post already.") % {
                    "name": draft.approved_by.get_full_name() or draft.approved_by.username
                }
            raise Refused(refusal)
        draft.approved_by, draft.approved_at, draft.approved_version = user, timezone.now(), draft.version
        _record(draft, user, State.APPROVED, reason=note)
        draft.save()
        _schedule_if_timed(user, draft)
    transaction.on_commit(lambda: notify_author(draft, _("approved")))
    return draft


def request_changes(user, draft: Draft | int, reason: str) -> Draft:
    reason = (reason or "").strip()
    with transaction.atomic():
        draft = _locked(draft)
        refusal = policy.approval_refusal(user, draft)
        if refusal:
            raise Refused(refusal)
        if not reason:
            raise Refused(_("Say what should change."), field="reason")
        _record(draft, user, State.CHANGES_REQUESTED, reason=reason)
        draft.save()
    transaction.on_commit(lambda: notify_author(draft, _("sent back for changes")))
    return draft


def _schedule_if_timed(user, draft: Draft) -> None:
    """After approval: a time still to come schedules the post; a time gone by waits for a new one."""
    if draft.scheduled_at is None:
        return
    if draft.scheduled_at <= timezone.now():
        Transition.objects.create(
            draft=draft,
            from_state=draft.state,
            to_state=draft.state,
            by=user,
            reason=_("Approved after its publication time: choose a new time."),
            version=draft.version,
        )
        return
    _do_schedule(user, draft, draft.scheduled_at)


def schedule(user, draft: Draft | int, when: datetime | None) -> Draft:
    """Schedule at ``when`` (None: publish now) an approved post; rescheduling a scheduled one moves it."""
    with transaction.atomic():
        draft = _locked(draft)
        if not policy.can_schedule(user, draft):
            if draft.state == State.IN_REVIEW:
                raise Refused(_("The post waits for approval; it can be scheduled once approved."))
            raise Refused(_("This post cannot be scheduled now."))
        if when is not None and when < timezone.now():
            raise Refused(
                _("The publication time is in the past: choose a time that is still to come."),
                field="scheduled_at",
            )
        _do_schedule(user, draft, when or timezone.now())
    return draft


def _do_schedule(user, draft: Draft, when: datetime) -> None:
    moved = draft.state == State.SCHEDULED
    if moved:
        _cancel_waiting(draft)  # queued again below for the new time
    draft.scheduled_at = when
    crisis = crisis_now()
    draft.paused = bool(crisis and not draft.crisis)
    if (
        crisis
        and draft.crisis
        and crisis.account_id
        and not draft.accounts.filter(pk=crisis.account_id).exists()
    ):
        draft.accounts.add(crisis.account_id)  # crisis posts go to the designated crisis account (KIRK-5.8)
    reason = _("Paused: crisis mode is on.") if draft.paused else (_("Moved.") if moved else "")
    _record(draft, user, State.SCHEDULED, reason=reason)
    draft.save()
    _ensure_publications(draft)
    _after_commit_due(draft)


def _after_commit_due(draft: Draft) -> None:
    from somevahti.web.publishing import dispatch

    pk, when = draft.pk, draft.scheduled_at
    transaction.on_commit(lambda: dispatch.due_soon(pk, when))


def _ensure_publications(draft: Draft) -> None:
    """One waiting publication per target account with a fresh key (a new engine publication);
    one already waiting or published is kept."""
    existing = {p.account_id: p for p in draft.publications.order_by("id")}
    for account in draft.accounts.all():
        p = existing.get(account.pk)
        if p is not None and p.status in (
            Publication.Status.WAITING,
            Publication.Status.PUBLISHING,
            Publication.Status.PUBLISHED,
        ):
            continue
        key = f"web-{draft.pk}-v{draft.version}-{account.pk}-{uuid.uuid4().hex[:12]}"
        if p is None:
            Publication.objects.create(draft=draft, account=account, key=key, version=draft.version)
        else:
            p.status, p.key, p.version, p.engine_id = Publication.Status.WAITING, key, draft.version, ""
            p.error = p.error_kind = p.platform_reason = ""
            p.save()


def _cancel_waiting(draft: Draft) -> None:
    """Withdraw the publications still waiting (in the engine's queue too); nothing of them went out."""
    from somevahti.web.publishing import dispatch

    for p in draft.publications.filter(status=Publication.Status.WAITING):
        if dispatch.cancel(p):
            p.status = Publication.Status.CANCELLED
            p.save(update_fields=["status", "updated"])


def cancel(user, draft: Draft | int, reason: str = "") -> Draft:
    with transaction.atomic():
        draft = _locked(draft)
        if not policy.can_cancel_draft(user, draft):
            raise Refused(_("This post cannot be cancelled now."))
        _cancel_waiting(draft)
        _record(draft, user, State.CANCELLED, reason=reason)
        draft.save()
    return draft


def retry(user, draft: Draft | int) -> Draft:
    with transaction.atomic():
        draft = _locked(draft)
        if not policy.can_retry(user, draft):
            raise Refused(_("Only a failed publication can be tried again."))
        _do_schedule(user, draft, timezone.now())
    return draft


# -- what the engine reports -------------------------------------------------------------------------


def mark_publishing(draft: Draft) -> None:
    if draft.state != State.PUBLISHING:
        _record(draft, None, State.PUBLISHING)
        draft.save(update_fields=["state", "updated"])


def settle(draft: Draft) -> None:
    """After the engine reported on every publication: the draft is published, or failed."""
    statuses = set(
        draft.publications.exclude(status=Publication.Status.CANCELLED).values_list("status", flat=True)
    )
    if not statuses or statuses & {Publication.Status.WAITING, Publication.Status.PUBLISHING}:
        return
    failed = Publication.Status.FAILED in statuses
    target = State.FAILED if failed else State.PUBLISHED
    if draft.state != target:
        reason = "; ".join(p.error for p in draft.publications.filter(status=Publication.Status.FAILED))
        _record(draft, None, target, reason=reason[:2000])
        draft.save(update_fields=["state", "updated"])
    if not failed:
        from somevahti.web.registry.models import Account

        Account.objects.filter(pk__in=draft.accounts.values("pk")).update(last_published=timezone.localdate())


# -- crisis mode (KIRK-5.8) --------------------------------------------------------------------------


def crisis_account():
    s = AccountPublishing.objects.filter(crisis_account=True).select_related("account").first()
    return s.account if s else None


def start_crisis(user, reason: str, account=None) -> CrisisMode:
    reason = " ".join((reason or "").split())
    if not policy.can_manage_crisis(user):
        raise Refused(_("Only communications admins switch crisis mode on."))
    if not reason:
        raise Refused(_("Give the reason for crisis mode."), field="reason")
    with transaction.atomic():
        list(CrisisMode.objects.select_for_update().filter(ended__isnull=True))
        if crisis_now():
            raise Refused(_("Crisis mode is on already."))
        crisis = CrisisMode.objects.create(
            reason=reason[:300], account=account or crisis_account(), started_by=user
        )
        for draft in Draft.objects.select_for_update().filter(
            state=State.SCHEDULED, crisis=False, paused=False
        ):
            draft.paused = True
            _cancel_waiting(draft)
            Transition.objects.create(
                draft=draft,
                from_state=draft.state,
                to_state=draft.state,
                by=user,
                reason=_("Paused: crisis mode is on."),
                version=draft.version,
            )
            draft.save(update_fields=["paused", "updated"])
    return crisis


def paused_drafts():
    return Draft.objects.filter(paused=True, state=State.SCHEDULED).order_by("scheduled_at", "id")


def end_crisis(user, decisions: dict[int, str]) -> CrisisMode:
    """Switch crisis mode off; ``decisions`` says for each paused post: ``resume`` or ``cancel``.
    A post without a decision, or whose time passed during the crisis, stays approved without a time."""
    if not policy.can_manage_crisis(user):
        raise Refused(_("Only communications admins switch crisis mode off."))
    with transaction.atomic():
        crisis = CrisisMode.objects.select_for_update().filter(ended__isnull=True).first()
        if crisis is None:
            raise Refused(_("Crisis mode is not on."))
        now = timezone.now()
        for draft in Draft.objects.select_for_update().filter(paused=True, state=State.SCHEDULED):
            choice = decisions.get(draft.pk, "")
            draft.paused = False
            if choice == "cancel":
                _cancel_waiting(draft)
                _record(draft, user, State.CANCELLED, reason=_("Cancelled when crisis mode ended."))
            elif choice == "resume" and draft.scheduled_at and draft.scheduled_at > now:
                Transition.objects.create(
                    draft=draft,
                    from_state=draft.state,
                    to_state=draft.state,
                    by=user,
                    reason=_("Resumed when crisis mode ended."),
                    version=draft.version,
                )
                _ensure_publications(draft)
                _after_commit_due(draft)
            else:
                _cancel_waiting(draft)
                _record(draft, user, State.APPROVED, reason=_("Crisis mode ended: choose a new time."))
            draft.save()
        crisis.ended, crisis.ended_by = now, user
        crisis.save()
    return crisis


# -- cross-posting (KIRK-5.7, KIRK-5.18) ----------------------------------------------------------


def main_account():
    s = AccountPublishing.objects.filter(main_account=True).select_related("account").first()
    return s.account if s else None


def cross_post(user, draft: Draft) -> Draft:
    """One click: a copy of a unit's post in the main account's queue, linked to the original."""
    if not policy.can_cross_post(user, draft):
        raise Refused(_("This post cannot be cross-posted."))
    target = main_account()
    if target is None:
        raise Refused(_("No main account is set: mark one in its publishing settings."))
    if draft.accounts.filter(pk=target.pk).exists():
        raise Refused(_("This post goes to the main account already."))
    if Draft.objects.filter(original=draft, accounts=target).exclude(state=State.CANCELLED).exists():
        raise Refused(_("A copy is in the main account's queue already."))
    with transaction.atomic():
        copy = Draft.objects.create(
            author=user,
            unit_id=target.unit_id,
            original=draft,
            kind=draft.kind,
            sponsored=draft.sponsored,
            source_url=draft.source_url,
        )
        copy.accounts.set([target])
        for v in draft.versions.all():
            LanguageVersion.objects.create(
                draft=copy, language=v.language, text=v.text, title=v.title, position=v.position
            )
        Transition.objects.create(
            draft=copy,
            from_state="",
            to_state=State.DRAFT,
            by=user,
            reason=_("Cross-post of #%(id)d.") % {"id": draft.pk},
            version=1,
        )
    return copy


# -- notifications ---------------------------------------------------------------------------------


def approver_users(draft: Draft):
    """The people told that a draft waits for them (and who see it on their dashboard)."""
    User = get_user_model()
    roles = approval.approver_roles(draft)
    q = Q(pk__in=[])
    if "communications_admin" in roles:
        q |= Q(membership__role=Role.COMMUNICATIONS_ADMIN)
    if "unit_editor" in roles:
        q |= Q(
            membership__role=Role.UNIT_EDITOR,
            membership__unit_id__in=[a.unit_id for a in draft.accounts.all()],
        )
    if "supervisor" in roles:
        m = getattr(draft.author, "membership", None)
        if m and m.person and m.person.supervisor_id:
            q |= Q(membership__person_id=m.person.supervisor_id)
    return User.objects.filter(q, is_active=True).exclude(pk=draft.author_id).select_related("membership")


def _language_of(user) -> str:
    return "fi"


def notify_approvers(draft: Draft) -> None:
    url = reverse("publishing:draft", args=[draft.pk])
    for user in approver_users(draft):
        if not user.email:
            continue
        with override(_language_of(user)):
            subject = _("Somevahti: a post waits for your approval")
            body = _("%(author)s sent a post for approval:\n\n%(text)s\n\nOpen it: %(url)s") % {
                "author": draft.author.get_full_name() or draft.author.username,
                "text": str(draft),
                "url": url,
            }
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            log.exception("could not mail %s", user.email)


def notify_author(draft: Draft, what: str) -> None:
    if not draft.author.email:
        return
    url = reverse("publishing:draft", args=[draft.pk])
    with override("fi"):
        subject = _("Somevahti: your post was %(what)s") % {"what": what}
    try:
        send_mail(subject, f"{draft}\n\n{url}", None, [draft.author.email])
    except OSError:
        log.exception("could not mail %s", draft.author.email)
