"""Feeds the registry to the core audits, keeps findings between runs and notifies about new ones."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from somevahti.audits import AccountRec, AttestationRec, GrantRec, PersonRec, Snapshot, UnitRec, run_audits
from somevahti.audits.records import Thresholds
from somevahti.web.audits.models import AuditState, Finding
from somevahti.web.core.models import Membership, Role
from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation, Unit

log = logging.getLogger(__name__)
_lock = threading.Lock()


def organisation_email_domains() -> tuple[str, ...]:
    from somevahti.web.api.checking import organisation_pack

    configured = settings.SOMEVAHTI.get("EMAIL_DOMAINS")
    if configured:
        return tuple(configured)
    pack = organisation_pack()
    # The generic fallback pack's example domains say nothing about this organisation.
    if pack is None or pack.id != settings.SOMEVAHTI["PACK"]:
        return ()
    return tuple(pack.organisation.email_domains)


def pack_audits():
    from somevahti.policy.schema import AuditSettings
    from somevahti.web.api.checking import organisation_pack

    pack = organisation_pack()
    return pack.audits if pack is not None else AuditSettings()


def pack_version_label() -> str:
    from somevahti.policy.versions import label
    from somevahti.web.api.checking import organisation_pack

    pack = organisation_pack()
    return label(pack) if pack is not None else ""


def snapshot(today=None) -> Snapshot:
    today = today or timezone.localdate()
    units = [UnitRec(*row) for row in Unit.objects.values_list("id", "name")]
    people = [
        PersonRec(
            id=i,
            name=n,
            unit_id=u,
            supervisor_id=s,
            email=e,
            start=st,
            end=en,
            external=(status == Person.Status.EXTERNAL),
            left=(status == Person.Status.LEFT),
        )
        for i, n, u, s, e, st, en, status in Person.objects.values_list(
            "id", "name", "unit_id", "supervisor_id", "email", "start_date", "end_date", "status"
        )
    ]
    accounts = [
        AccountRec(
            id=i,
            label=f"{plat}: {handle}",
            kind=k,
            unit_id=u,
            status=st,
            owner_id=o,
            contact_email=ce,
            names_maintainer=nm,
            links_website=lw,
            privacy_notice_url=pn,
            registered_through_request=rq is not None,
            created=cr,
            last_published=lp,
        )
        for i, plat, handle, k, u, st, o, ce, nm, lw, pn, rq, cr, lp in Account.objects.values_list(
            "id",
            "platform",
            "handle",
            "kind",
            "unit_id",
            "status",
            "owner_id",
            "contact_email",
            "names_maintainer",
            "links_website",
            "privacy_notice_url",
            "request_id",
            "created",
            "last_published",
        )
    ]
    grants = [
        GrantRec(id=i, account_id=a, person_id=p, role=r, active=rev is None)
        for i, a, p, r, rev in AccessGrant.objects.filter(revoked__isnull=True).values_list(
            "id", "account_id", "person_id", "role", "revoked"
        )
    ]
    # Plain fetches, not .iterator(): on PostgreSQL a server-side cursor made the grants read 100x slower.
    latest: dict[int, AttestationRec] = {}
    for row in SecurityAttestation.objects.order_by("account_id", "-attested_at", "-id").values_list(
        "account_id",
        "password_changed",
        "two_factor",
        "login_email_kind",
        "reuses_network_password",
        "in_password_manager",
        "settings_reviewed",
    ):
        if row[0] not in latest:
            latest[row[0]] = AttestationRec(*row)
    audits = pack_audits()
    limits = audits.thresholds  # the pack's audits.thresholds (KIRK-8.3: six months), not settings
    thresholds = Thresholds(
        password_max_age_days=limits.password_max_age_days,
        settings_review_days=limits.settings_review_days,
        dormant_after_days=limits.dormant_after_days,
        email_domains=organisation_email_domains(),
    )
    return Snapshot(today, units, people, accounts, grants, list(latest.values()), thresholds, audits)


@dataclass
class SyncResult:
    total: int
    new: list[Finding]
    cleared: int
    reopened: int
    seconds: float


def run_and_store(today=None, notify: bool = True, *, only_if_stale: bool = False) -> SyncResult | None:
    """Run every audit over the registry and bring the stored findings up to date.

    Safe with several server processes: the audit state row is locked for the update (on SQLite the
    write transaction itself serialises), and with ``only_if_stale`` a run finds that another process
    already brought the findings up to date and stores nothing (returns None).
    """
    clock = timezone.now
    started = clock()
    with _lock:
        snap = snapshot(today)
        found = {f.identity: f for f in run_audits(snap)}
        today = snap.today
        with transaction.atomic():
            state = AuditState.objects.select_for_update().get_or_create(pk=1)[0]
            if only_if_stale and not state.is_stale:
                return None
            existing = {
                f"{r}|{k}": (pk, st, until, params)
                for pk, r, k, st, until, params in Finding.objects.values_list(
                    "id", "rule", "key", "status", "accepted_until", "params"
                )
            }
            used = pack_version_label()
            new_objs = [_finding_model(f, used) for ident, f in found.items() if ident not in existing]
            Finding.objects.bulk_create(new_objs, batch_size=2000)
            reopen, clear, refresh = [], [], []
            for ident, (pk, status, until, params) in existing.items():
                f = found.get(ident)
                if f is None:
                    if status in (Finding.Status.OPEN, Finding.Status.ACCEPTED):
                        clear.append(pk)
                elif status in (Finding.Status.RESOLVED, Finding.Status.CLEARED) or (
                    status == Finding.Status.ACCEPTED and until is not None and until < today
                ):
                    reopen.append(pk)
                elif params != f.params:
                    refresh.append((pk, f))
            now = clock()
            _update_in_chunks(clear, status=Finding.Status.CLEARED, closed_at=now)
            _update_in_chunks(
                reopen, status=Finding.Status.OPEN, closed_at=None, notified=False, pack_version=used
            )
            for pk, f in refresh:
                Finding.objects.filter(pk=pk).update(message=f.message, params=f.params, last_seen=now)
            # As of the snapshot: a change stored while the rules ran leaves the audit stale.
            state.audited_at = started
            state.save(update_fields=["audited_at"])
    to_notify = list(Finding.objects.filter(status=Finding.Status.OPEN, notified=False)) if notify else []
    if to_notify:
        notify_new(to_notify)
    return SyncResult(len(found), new_objs, len(clear), len(reopen), (clock() - started).total_seconds())


def _update_in_chunks(ids: list[int], **values) -> None:
    for i in range(0, len(ids), 500):
        Finding.objects.filter(pk__in=ids[i : i + 500]).update(**values)


def _finding_model(f, pack_version: str = "") -> Finding:
    return Finding(
        rule=f.rule,
        key=f.key,
        clauses=list(f.clauses),
        message=f.message,
        params=f.params,
        account_id=f.account_id,
        person_id=f.person_id,
        grant_id=f.grant_id,
        unit_id=f.unit_id,
        act_roles=list(f.act_roles),
        act_people=list(f.act_people),
        pack_version=pack_version,
    )


def ensure_fresh() -> AuditState:
    """Recompute when the registry changed after the last audit (the audit page calls this); the
    audit state as it is then."""
    state = AuditState.get()
    if state.is_stale:
        run_and_store(only_if_stale=True)
        state = AuditState.get()
    return state


def recipients_for(findings: list[Finding]) -> dict[str, list[Finding]]:
    """E-mail address → the new findings that person must act on (named people, communications admins,
    unit editors of the unit, supervisors of the person concerned)."""
    people_ids = {pid for f in findings for pid in f.act_people}
    emails = dict(Person.objects.filter(pk__in=people_ids).exclude(email="").values_list("id", "email"))
    members = list(Membership.objects.select_related("user").exclude(user__email=""))
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        targets = {emails[p] for p in f.act_people if p in emails}
        for m in members:
            if (
                (m.role == Role.COMMUNICATIONS_ADMIN and "communications_admin" in f.act_roles)
                or (m.role == Role.UNIT_EDITOR and "unit_editor" in f.act_roles and m.unit_id == f.unit_id)
                or (m.role == Role.IT_SECURITY and "it_security" in f.act_roles)
            ):
                targets.add(m.user.email)
        for t in targets:
            out[t].append(f)
    return out


def notify_new(findings: list[Finding]) -> int:
    """One e-mail per recipient listing their new findings; marks them notified."""
    from somevahti.web.audits.display import finding_text

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for email, items in recipients_for(findings).items():
            lines = [f"- [{', '.join(f.clauses)}] {finding_text(f)}" for f in items]
            body = _("Somevahti found new audit findings you must act on:") + "\n\n" + "\n".join(lines)
            send_mail(
                _("Somevahti: %(count)s new audit findings") % {"count": len(items)},
                body,
                settings.DEFAULT_FROM_EMAIL,
                [email],
                fail_silently=False,
            )
            sent += 1
    _update_in_chunks([f.pk for f in findings], notified=True)
    return sent
