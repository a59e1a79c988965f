"""What the inbox does: take items in (archive first, then triage, then store and assign), answer
them (checked before sending), hide or delete them, and open incidents routed by the pack."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from somevahti import channels
from somevahti.channels.base import BY_HAND, Capabilities, IncomingItem, NotSupported
from somevahti.document import AccountKind, Channel, PostDocument, PostKind
from somevahti.findings import Severity
from somevahti.web.api.checking import checker, organisation_pack
from somevahti.web.core.models import Membership, Role
from somevahti.web.inbox import archiving
from somevahti.web.inbox.clock import BusinessHours
from somevahti.web.inbox.config import config
from somevahti.web.inbox.models import Action, Connection, Incident, IncidentEvent, Item
from somevahti.web.registry.models import Person

ROUTE_LABELS = {"it_security": gettext_lazy("IT/security"), "communications": gettext_lazy("communications")}
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,120}\]")


@lru_cache(maxsize=1)
def triager():
    from somevahti.triage import Triager

    return Triager(organisation_pack())


def business_hours() -> BusinessHours:
    return BusinessHours.from_config(config().inbox.get("business_hours") or {})


# -- intake ----------------------------------------------------------------------------------------


@dataclass
class IngestReport:
    created: list[Item] = field(default_factory=list)
    updated: list[Item] = field(default_factory=list)
    unchanged: int = 0


def _publisher(item: IncomingItem) -> Person | None:
    who = (item.post_author or "").strip()
    if not who:
        return None
    people = (
        Person.objects.filter(email__iexact=who) if "@" in who else Person.objects.filter(name__iexact=who)
    )
    return people.select_related("unit").first()


def assignee_for(publisher: Person | None) -> Person | None:
    """Whoever published the post answers its comments (KIRK-5.13); else nobody by name, and the
    account's unit editors see it as theirs."""
    if publisher is not None and not publisher.has_left():
        return publisher
    return None


def ingest(items: list[IncomingItem], account, *, actor: str, event: str = "received") -> IngestReport:
    """Archive each item, then triage and store it. Identical re-deliveries are skipped."""
    report = IngestReport()
    existing = {
        i.external_id: i
        for i in Item.objects.filter(account=account, external_id__in=[x.external_id for x in items])
    }
    fresh: list[tuple[IncomingItem, object]] = []
    arch = archiving.archive()
    with arch.batch():
        for incoming in items:
            old = existing.get(incoming.external_id)
            if old is not None and old.text == incoming.text:
                report.unchanged += 1
                continue
            incoming.url = incoming.url if incoming.url.lower().startswith(("https://", "http://")) else ""
            payload = archiving.incoming_payload(incoming, account, "edited" if old else event)
            # Already archived (an earlier run whose rows are gone): that record is the item's.
            record = (
                archiving.archived_version(f"{account.platform}:{incoming.external_id}", payload)
                if old is None
                else None
            ) or archiving.archive_incoming(incoming, account, payload, actor)
            fresh.append((incoming, record))
    if not fresh:
        return report
    from somevahti.triage import Comment

    results = triager().triage(
        [
            Comment(
                id=i.external_id,
                text=i.text,
                language=i.language,
                post=i.post_text or None,
                channel=account.platform,
            )
            for i, _ in fresh
        ]
    )
    hours = business_hours()
    cfg = config()
    now = timezone.now()
    with transaction.atomic():
        for (incoming, record), result in zip(fresh, results, strict=True):
            received = incoming.occurred or now
            target = cfg.target_hours(result.category)
            publisher = _publisher(incoming)
            values = {
                "kind": incoming.kind,
                "text": incoming.text,
                "language": result.language,
                "author_name": incoming.author_name[:200],
                "author_handle": incoming.author_handle[:200],
                "parent_id": incoming.parent_id[:200],
                "post_text": incoming.post_text,
                "url": incoming.url[:500],
                "received_at": received,
                "category": result.category,
                "labels": result.labels,
                "scores": result.scores,
                "clauses": result.clauses,
                "reasons": triager().reasons_in_all_languages(result),
                "due_at": hours.deadline(received, target) if target else None,
                "archive_seq": record.seq,
                "archive_hash": record.hash,
            }
            old = existing.get(incoming.external_id)
            if old is None:
                item = Item.objects.create(
                    account=account,
                    external_id=incoming.external_id,
                    publisher=publisher,
                    assignee=assignee_for(publisher),
                    **values,
                )
                report.created.append(item)
            else:
                if old.due_at != values["due_at"]:
                    old.overdue_notified_at = (
                        None  # an edited comment has a new clock: late again, mailed again
                    )
                for key, value in values.items():
                    setattr(old, key, value)
                old.save()
                report.updated.append(old)
    threats = [i for i in report.created if i.category == "escalate_threat"]
    if threats:
        from somevahti.web.inbox.alerts import notify_threats

        transaction.on_commit(lambda: notify_threats(threats))
    return report


def end_import() -> None:
    """An import ends with a signed checkpoint, so its records are not left unsigned until the
    hourly one (the archive's own import does the same)."""
    archiving.checkpoint()


# -- what can be done where ------------------------------------------------------------------------


def capabilities(account) -> tuple[Capabilities, bool]:
    """The account's capabilities and whether they go through an API connection (else: by hand)."""
    try:
        conn = account.connection
    except Connection.DoesNotExist:
        conn = None
    cls = channels.get(conn.connector) if conn is not None else None
    if cls is not None and cls.api:
        return cls.capabilities, True
    # no connection, or one that reaches no platform (the file stand-in): a person acts on the platform
    return BY_HAND.get(account.platform, Capabilities()), False


def _published_by_somevahti(account) -> list[str]:
    """What the publish engine sent on this account in the last two weeks: its replies come in too."""
    from datetime import timedelta

    from somevahti.publishing import Store

    try:
        store = Store.open()
    except Exception:  # noqa: BLE001 - no publishing queue: only the posts named on the connection
        return []
    try:
        return store.published_ids(
            f"{account.platform}:{account.handle}", timezone.now() - timedelta(days=14)
        )
    finally:
        store.close()


def connector_for(account):
    conn = account.connection
    cls = channels.get(conn.connector)
    statuses = list(dict.fromkeys([*conn.statuses, *_published_by_somevahti(account)]))
    options = {"statuses": statuses, "since_id": conn.since_id or None}
    if hasattr(cls, "from_credentials"):  # built from the platform's own credential fields
        return cls.from_credentials(conn.credentials(), **options)
    return cls(conn.base_url, conn.secrets().get("access_token", ""), **options)


def connect(
    account,
    connector: str,
    token: str | None,
    *,
    base_url: str = "",
    statuses=(),
    credentials: dict | None = None,
) -> Connection:
    """Store (or replace) an account's API connection; secrets are encrypted at rest. ``token`` fills the
    connector's first secret field (None keeps the stored one; a new connection needs one),
    ``base_url`` its server, ``credentials`` any other of its fields by name."""
    cls = channels.get(connector)  # an unknown connector is an error now, not at the first poll
    conn = Connection.objects.filter(account=account).first() or Connection(account=account)
    if token is None and not conn.secrets_sealed:
        raise ValueError("a new connection needs a token")
    conn.connector = connector
    fields = getattr(cls, "credential_fields", ())
    secret = next((f.name for f in fields if f.secret), "access_token")
    values = dict(credentials or {})
    names = [f.name for f in fields if not f.secret]
    if (
        "identifier" in values and names and "identifier" not in names
    ):  # the form's identifier: the platform's id field
        own = next(
            (
                n
                for n in ("handle", "username", "page_id", "ig_user_id", "organization_id", "channel_id")
                if n in names
            ),
            None,
        )
        if own:
            values[own] = values.pop("identifier")
    if base_url:
        values["server"] = base_url
    values[secret] = token
    conn.set_credentials(values)
    conn.base_url = base_url or conn.base_url
    conn.statuses = [str(s) for s in statuses]
    conn.save()
    return conn


def _polled(conn: Connection, **state) -> None:
    """Keep the polling state; an update, not a save, so it is no entry in the connection's history."""
    for key, value in state.items():
        setattr(conn, key, value)
    Connection.objects.filter(pk=conn.pk).update(**state)


def poll(conn: Connection, connector=None) -> IngestReport:
    """Fetch what arrived on one connected account and take it in; the error is kept on the connection."""
    connector = connector or connector_for(conn.account)
    try:
        items = connector.fetch()
    except channels.ChannelError as e:
        _polled(conn, last_error=str(e))
        raise
    report = ingest(items, conn.account, actor=f"inbox-poll:{conn.connector}") if items else IngestReport()
    _polled(
        conn,
        since_id=getattr(connector, "since_id", None) or conn.since_id,
        last_polled=timezone.now(),
        last_error="",
    )
    return report


# -- answering -------------------------------------------------------------------------------------


@dataclass
class Problem:
    """A check finding shown in the composer: the marked span, the clauses, error or warning."""

    message: str
    severity: str
    clauses: list[str]
    rule: str
    span: tuple[int, int] | None

    def parts(self, text: str) -> tuple[str, str, str] | None:
        if not self.span:
            return None
        s, e = self.span
        return text[max(0, s - 60) : s], text[s:e], text[e : e + 60]


def signature(user) -> str:
    membership = getattr(user, "membership", None)
    person = membership.person if membership else None
    name = person.name if person else (user.get_full_name() or user.username)
    unit = person.unit.name if person and person.unit else ""
    return f"{name}, {unit}" if unit else name


def saved_reply_text(reply: dict, lang: str, user) -> str:
    from somevahti.web.inbox.config import localised

    cfg = config()
    channel = localised(cfg.inbox.get("feedback_channel"), lang)
    return (
        localised(reply.get("text"), lang)
        .replace("{signature}", signature(user))
        .replace("{feedback_channel}", channel)
    )


def check_reply(item: Item, text: str, language: str) -> list[Problem]:
    """The pack's checks for a reply from this account (signature KIRK-5.17, personal data …) plus
    unfilled [placeholders] of a saved reply."""
    account = item.account
    doc = PostDocument(
        channel=Channel(account.platform) if account.platform in Channel._value2member_map_ else None,
        account_kind=AccountKind(account.kind),
        kind=PostKind.REPLY,
        text={language: text},
        in_reply_to=item.external_id,
    )
    problems = [
        Problem(
            f.message,
            "error" if f.severity == Severity.ERROR else "warning",
            list(f.clauses),
            f.rule,
            tuple(f.span) if f.span else None,
        )
        for f in checker().check(doc)
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    for m in PLACEHOLDER.finditer(text):
        problems.append(
            Problem(
                _("Replace the text in brackets with the real answer before sending."),
                "error",
                [],
                "placeholder",
                (m.start(), m.end()),
            )
        )
    return sorted(problems, key=lambda p: (p.severity != "error", p.span or (0, 0)))


def _actor(user) -> str:
    return user.get_username() if user is not None else "inbox"


def send_reply(item: Item, user, text: str, language: str) -> tuple[Action | None, list[Problem]]:
    """Check, then publish (API) or record (by hand), archive, and stop the clock. Errors block."""
    problems = check_reply(item, text, language)
    if any(p.severity == "error" for p in problems):
        return None, problems
    caps, api = capabilities(item.account)
    if not caps.can_reply:
        raise NotSupported(_("Answers cannot be given on this platform."))
    reply_id = (
        connector_for(item.account).reply(item.external_id, text, language)
        if api
        else f"{item.external_id}/answer/{uuid.uuid4().hex[:12]}"
    )
    archiving.archive_reply(item, text, language, reply_id, _actor(user), by_hand=not api)
    record = archiving.archive_moderation(
        item, "answered", _actor(user), "", answer=f"{item.account.platform}:{reply_id}"
    )
    now = timezone.now()
    with transaction.atomic():
        action = Action.objects.create(
            item=item,
            kind=Action.Kind.ANSWERED,
            actor=user,
            text=text,
            language=language,
            external_id=reply_id,
            by_hand=not api,
            archive_seq=record.seq,
            warnings=[p.message for p in problems],
        )
        if item.answered_at is None:
            item.answered_at = now
            item.response_hours = round(business_hours().elapsed(item.received_at, now), 2)
        item.status = Item.Status.ANSWERED
        item.save(update_fields=["answered_at", "response_hours", "status"])
    return action, problems


# -- moderation ------------------------------------------------------------------------------------


def moderate(item: Item, user, kind: str, reason: str) -> Action:
    """Hide, delete, close or note; hide and delete only where the platform allows (capability flags)."""
    caps, api = capabilities(item.account)
    if kind == Action.Kind.HIDDEN and not caps.can_hide:
        raise NotSupported(_("This platform cannot hide comments."))
    if kind == Action.Kind.DELETED and not caps.can_delete:
        raise NotSupported(_("This platform does not let the account delete others' comments."))
    if api and kind in (Action.Kind.HIDDEN, Action.Kind.DELETED):
        connector = connector_for(item.account)
        (connector.hide if kind == Action.Kind.HIDDEN else connector.delete)(item.external_id)
    archived = {"closed": "note"}.get(kind, kind)
    extra = {"closed": True} if kind == Action.Kind.CLOSED else {}
    record = archiving.archive_moderation(item, archived, _actor(user), reason, **extra)
    with transaction.atomic():
        action = Action.objects.create(
            item=item,
            kind=kind,
            actor=user,
            reason=reason,
            archive_seq=record.seq,
            by_hand=not api and kind in (Action.Kind.HIDDEN, Action.Kind.DELETED),
        )
        status = {
            Action.Kind.HIDDEN: Item.Status.HIDDEN,
            Action.Kind.DELETED: Item.Status.DELETED,
            Action.Kind.CLOSED: Item.Status.CLOSED,
        }.get(kind)
        if status:
            item.status = status
            item.save(update_fields=["status"])
    return action


def assign(item: Item, user, person: Person | None) -> Action | None:
    """Give the item to a person by name (None: back to the unit's editors); recorded as a note in
    the archive and in the item's actions. Nothing is recorded when the assignee does not change."""
    if item.assignee_id == (person.pk if person else None):
        return None
    note = (
        (_("Assigned to %(name)s") % {"name": person.name}) if person else _("Assigned to the unit's editors")
    )
    record = archiving.archive_moderation(item, "note", _actor(user), note)
    with transaction.atomic():
        action = Action.objects.create(
            item=item, kind=Action.Kind.NOTE, actor=user, reason=note, archive_seq=record.seq
        )
        item.assignee = person
        item.save(update_fields=["assignee"])
    return action


# -- incidents -------------------------------------------------------------------------------------


def default_incident_type(item: Item) -> str:
    rules = {r.get("rule", "").split(":")[0] for r in item.reasons}
    if item.category == "escalate_misuse":
        return (
            "malware"
            if "link-executable" in rules
            else "impersonation"
            if "link-lookalike" in rules
            else "phishing"
        )
    if item.category in ("escalate_threat", "report_crime"):
        return (
            "threat"
            if rules & {"threat", "incitement", "selfharm", "suicidal"} or "threat" in item.labels
            else "harassment"
        )
    if item.category == "correct_misinformation":
        return "harmful_content"
    return "harassment"


def incident_clauses(incident_type: str) -> list[str]:
    """The pack's clauses for the type, only its own organisation's (all with the generic pack)."""
    from somevahti.policy.clauses import clauses

    known, organisation = clauses(), organisation_pack().clauses_of
    return [
        c
        for c in config().clauses(incident_type)
        if c in known and (organisation is None or known[c].organisation == organisation)
    ]


def route(incident_type: str, concerns: Person | None) -> tuple[list[str], list[Person]]:
    """The pack's routes for the type, and the people they name: the supervisor of the person the
    incident concerns (KIRK-8.6, KELA-2.4). Without a supervisor, communications takes it."""
    routes = config().routes(incident_type)
    handlers: list[Person] = []
    if "supervisor" in routes:
        boss = concerns.supervisor if concerns is not None else None
        if boss is not None and not boss.has_left():
            handlers.append(boss)
        elif "communications" not in routes:
            routes = [*routes, "communications"]
    return routes, handlers


def recipients(incident: Incident) -> list[str]:
    roles = {"it_security": Role.IT_SECURITY, "communications": Role.COMMUNICATIONS_ADMIN}
    wanted = [roles[r] for r in incident.routes if r in roles]
    emails = [p.email for p in incident.handlers.all() if p.email]
    emails += list(
        Membership.objects.filter(role__in=wanted)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


def open_incident(
    user,
    *,
    type: str,
    title: str,
    description: str = "",
    item: Item | None = None,
    concerns: Person | None = None,
    language: str = "fi",
) -> Incident:
    routes, handlers = route(type, concerns)
    evidence = archiving.records_of(item.subject) if item is not None else []
    record = (
        archiving.archive_moderation(item, "escalated", _actor(user), f"{type}: {title}") if item else None
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            type=type,
            title=title,
            description=description,
            item=item,
            concerns=concerns,
            routes=routes,
            clauses=incident_clauses(type),
            evidence=evidence,
            language=language,
            created_by=user,
        )
        incident.handlers.set(handlers)
        IncidentEvent.objects.create(
            incident=incident,
            actor=user,
            status=Incident.Status.NEW,
            note=_("Routed to: %s")
            % ", ".join(
                [str(p) for p in handlers] + [str(ROUTE_LABELS[r]) for r in routes if r in ROUTE_LABELS]
            ),
        )
        if item is not None:
            Action.objects.create(
                item=item, kind=Action.Kind.ESCALATED, actor=user, reason=title, archive_seq=record.seq
            )
            item.status = Item.Status.ESCALATED
            item.save(update_fields=["status"])
    transaction.on_commit(lambda: _notify(incident))
    return incident


def _notify(incident: Incident) -> None:
    to = recipients(incident)
    if to:
        send_mail(
            _("Somevahti: new incident (%s)") % incident.get_type_display(),
            f"{incident.title}\n\n{incident.description}",
            None,
            to,
            fail_silently=True,
        )


def update_incident(incident: Incident, user, status: str, note: str) -> IncidentEvent:
    with transaction.atomic():
        event = IncidentEvent.objects.create(incident=incident, actor=user, status=status or "", note=note)
        if status and status != incident.status:
            incident.status = status
            incident.save(update_fields=["status"])
    return event


def pin_evidence(incident: Incident, seq: int) -> bool:
    """Pin one archive record as evidence (False when there is no such content record)."""
    found = archiving.record(seq)
    if found is None:
        return False
    if all(e["seq"] != seq for e in incident.evidence):
        incident.evidence = [*incident.evidence, found]
        incident.save(update_fields=["evidence"])
    return True


def overdue_q(now=None) -> Q:
    return Q(status=Item.Status.OPEN, due_at__lt=now or timezone.now())


def overdue(queryset, now=None):
    return queryset.filter(overdue_q(now))
