"""The one way a draft goes out: through the publish engine (``somevahti.publishing.Engine``).

A scheduled draft is handed to the engine's queue at once, one engine publication per target
account with the idempotency key of our :class:`Publication` row and the scheduled time; the
publishing thread of ``somevahti web worker`` sends it when due and then calls ``sync``, which
reads the engine's status back into our rows and settles the draft (published or failed).
Pausing, moving or editing a scheduled draft cancels its queued engine publications (nothing of
them went out) and queues new ones with new keys. Nothing here sends to a platform itself.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from somevahti.errors import SomevahtiError
from somevahti.web.publishing import checking
from somevahti.web.publishing.models import Draft, Publication

log = logging.getLogger(__name__)
_local = threading.local()

STATUS = {
    "queued": Publication.Status.WAITING,
    "sending": Publication.Status.PUBLISHING,
    "published": Publication.Status.PUBLISHED,
    "failed": Publication.Status.FAILED,
    "cancelled": Publication.Status.CANCELLED,
}


def engine():
    """The engine of this thread: the engine's store, the archive, the organisation's pack. Built
    again when this thread's archive was closed and reopened (an engine must not hold a closed one)."""
    from somevahti.web.archive.access import archive

    current = archive()
    if getattr(_local, "engine", None) is None or getattr(_local, "archive", None) is not current:
        if getattr(_local, "engine", None) is not None:
            _local.engine.store.close()  # the queue's connection of the engine built on the closed archive
        from somevahti.publishing import Engine, Store
        from somevahti.web.api.checking import organisation_pack
        from somevahti.web.publishing.connections import connector_for_account

        _local.engine = Engine(
            Store.open(),
            connector_for_account,
            current,
            lambda account: organisation_pack(),
            may_approve=lambda user, account, approval: True,
            use_ner=False,
        )
        _local.archive = current
    # connectors are built per call: a reconnected account must not keep its old instance
    _local.engine.forget_connectors()
    return _local.engine


def reset() -> None:
    if getattr(_local, "engine", None) is not None:
        _local.engine.store.close()
    _local.engine = _local.archive = None


def _engine_account(account):
    from somevahti.publishing import Account
    from somevahti.web.archive.access import org
    from somevahti.web.publishing import approval

    rule = approval.rule_for(account)
    from somevahti.policy.schema import Approval

    return Account(
        account.platform,
        account.handle,
        kind=account.kind,
        org=org(),
        approval=Approval(required=rule.required, approvers=list(rule.approvers) or ["communications_admin"]),
    )


def _base_dir():
    from somevahti.web.publishing.models import _storage

    return _storage().location


def document_for(draft: Draft, account):
    versions = list(draft.versions.all())
    title = next((v.title for v in versions if v.title), None)
    return checking.document(
        {v.language: v.text for v in versions},
        channel=account.platform,
        account_kind=account.kind,
        kind=draft.kind,
        title=title,
        media=list(draft.media.all()),
        sponsored=draft.sponsored,
    )


def _fail(p: Publication, kind: str, message: str, reason: str = "") -> None:
    p.status, p.error_kind, p.error, p.platform_reason = (
        Publication.Status.FAILED,
        kind,
        message[:2000],
        reason,
    )
    p.save()


def due_soon(draft_id: int, when) -> None:
    """A draft was scheduled (or resumed) for ``when``: queue its waiting publications in the engine;
    one due now is sent at once."""
    from somevahti import publishing

    draft = Draft.objects.filter(pk=draft_id).select_related("approved_by").first()
    if draft is None or draft.paused:
        return
    eng = engine()
    now = datetime.now(UTC)
    due_now, refused = [], False
    for p in draft.publications.select_related("account").filter(
        status=Publication.Status.WAITING, engine_id=""
    ):
        try:
            pub = eng.submit(
                document_for(draft, p.account),
                _engine_account(p.account),
                key=p.key,
                at=draft.scheduled_at or now,
                approved_by=draft.approved_by.username if draft.approved_by else None,
                submitted_by=draft.author.username,
                base_dir=_base_dir(),
            )
        except publishing.NotFound:
            _fail(
                p,
                "reauthorize",
                _("%(account)s is not connected for publishing: connect it first.") % {"account": p.account},
            )
            refused = True
            continue
        except SomevahtiError as e:  # publishing.Refused among them: the content was refused
            _fail(p, "fix_content", str(e))
            refused = True
            continue
        p.engine_id = pub.key
        p.save(update_fields=["engine_id", "updated"])
        if pub.scheduled_at <= now:
            due_now.append(pub.key)
    for key in due_now:
        try:
            eng.send(key, worker_id="web")
        except SomevahtiError:
            log.exception("sending %s", key)
    sync(draft)
    if refused:
        from somevahti.web.publishing import services

        with transaction.atomic():  # refused before the engine took it: sync does not see it, settle here
            services.settle(Draft.objects.select_for_update().get(pk=draft.pk))


def cancel(p: Publication) -> bool:
    """Withdraw a queued engine publication; False when something of it went out already."""
    if not p.engine_id:
        return True
    try:
        engine().cancel(p.engine_id)
    except SomevahtiError:
        return False
    return True


def sync(draft: Draft | None = None) -> int:
    """Read the engine's status into our rows (one draft, or every draft still on its way)."""
    from somevahti.web.publishing import services

    eng = engine()
    qs = Publication.objects.exclude(engine_id="").filter(
        status__in=(Publication.Status.WAITING, Publication.Status.PUBLISHING)
    )
    if draft is not None:
        qs = qs.filter(draft=draft)
    touched = set()
    for p in qs.select_related("draft"):
        try:
            pub = eng.status(p.engine_id)
        except SomevahtiError:
            continue
        status = STATUS.get(pub.status, p.status)
        if status == p.status:
            continue
        p.status = status
        if status == Publication.Status.PUBLISHED:
            p.external_ids = [part.external_id for part in pub.parts]
            p.urls = [part.url for part in pub.parts if part.url]
            p.published_at = pub.published_at
        elif status == Publication.Status.FAILED:
            p.error_kind, p.error, p.platform_reason = pub.error_kind, pub.error_message, pub.error_reason
        p.save()
        touched.add(p.draft_id)
    for pk in touched:
        with transaction.atomic():
            d = Draft.objects.select_for_update().get(pk=pk)
            if d.publications.filter(status=Publication.Status.PUBLISHING).exists():
                services.mark_publishing(d)
            services.settle(d)
    return len(touched)


def run_due() -> dict:
    """The worker's step: send what is due, then bring the statuses home."""
    report = engine().run_due(worker_id="web-worker", limit=50)
    sync()
    return {"published": len(report.published), "failed": len(report.failed)}


def correct(draft, texts: dict[str, str], note: str, user) -> str:
    """Edit each published publication in place (the engine archives the new version beside the old);
    where the platform cannot edit but has threads (X, Bluesky), publish the correction note as a reply
    to the post. A platform with neither refuses, and nothing is changed. Returns the mode: "edited",
    or "reply" when any account got a correction reply."""
    from somevahti.channels.base import NotSupported
    from somevahti.web.publishing.services import Refused

    eng = engine()
    versions = {v.language: v for v in draft.versions.all()}
    corrected = dict({lang: v.text for lang, v in versions.items()}, **texts)
    first = next(iter(corrected))
    with translation.override(first):  # the note is written into the post, in the post's language
        label = _("Correction")
    mode = "edited"
    for p in draft.publications.select_related("account").filter(status=Publication.Status.PUBLISHED):
        account = _engine_account(p.account)
        try:
            if not eng.connector(account.id).publish_capabilities.can_edit:
                raise NotSupported(p.account.platform)
            doc = checking.document(
                {**corrected, first: f"{corrected[first]}\n\n{label}: {note}"},
                channel=p.account.platform,
                account_kind=p.account.kind,
                kind=draft.kind,
            )
            eng.edit(p.engine_id, doc, account, edited_by=user.get_username(), base_dir=_base_dir())
        except NotSupported:
            _correction_reply(eng, p, account, f"{label}: {note}", first, draft, user)
            mode = "reply"
        except SomevahtiError as e:
            raise Refused(str(e)) from None
    return mode


def _correction_reply(eng, p, account, text: str, lang: str, draft, user) -> None:
    from somevahti.web.publishing.services import Refused

    if not eng.connector(account.id).publish_capabilities.threads:
        raise Refused(
            _(
                "%(account)s lets a published post be neither edited nor answered from here: delete it and "
                "publish a corrected post."
            )
            % {"account": p.account}
        )
    doc = checking.document(
        {lang: text}, channel=p.account.platform, account_kind=p.account.kind, kind=draft.kind
    ).model_copy(update={"in_reply_to": p.engine_id})
    n = draft.corrections.count() + 1
    try:
        reply = eng.submit(
            doc,
            account,
            key=f"{p.engine_id}:correction-{n}",
            approved_by=user.get_username(),
            submitted_by=user.get_username(),
            base_dir=_base_dir(),
        )
        sent = eng.send(reply.key, worker_id="web-correction")
    except SomevahtiError as e:
        raise Refused(str(e)) from None
    if sent.status != "published":
        raise Refused(
            _("The correction reply was not published: %(reason)s")
            % {"reason": sent.error_message or sent.status}
        )


def advice(error_kind: str) -> str:
    """What to do about a failed publication, in plain words."""
    return {
        "retry_later": _("The platform asked us to wait; somevahti tries again by itself."),
        "reauthorize": _("The connection to the platform is no longer valid: reconnect the account."),
        "fix_content": _("The platform refused the content: edit the post and send it again."),
        "platform_down": _("The platform cannot be reached or is failing; somevahti tries again later."),
        "unknown_outcome": _(
            "The platform did not answer; somevahti checks whether the post went out before it tries again."
        ),
    }.get(error_kind, _("Publishing failed: try again, or edit the post."))
