"""The publish engine: submit, run what is due, look up, cancel, edit, delete. See the package docstring."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from somevahti.channels.base import ChannelError, NotSupported
from somevahti.channels.publishing import ErrorKind, MediaFile, Part, Published, PublishError, advice
from somevahti.check import Checker
from somevahti.document import AccountKind, Channel, PostDocument
from somevahti.errors import InputError, SomevahtiError
from somevahti.findings import Finding, Severity
from somevahti.i18n import _
from somevahti.policy.schema import Approval, Pack
from somevahti.publishing import media as media_mod
from somevahti.publishing.plan import PlanError, plan
from somevahti.publishing.store import Store, dumps, parse_stamp, stamp

log = logging.getLogger("somevahti.publishing")

# Publication states: queued (waiting for its time or its next try), sending (a worker holds it),
# published, failed (a person must act: reconnect, edit; or the tries ran out), cancelled, deleted.
STATUSES = ("queued", "sending", "published", "failed", "cancelled", "deleted")
# Part states: pending, sending (persisted before the platform call), unknown (the call's outcome is
# not known: ask the platform before sending again), published, failed, deleted.
PART_STATES = ("pending", "sending", "unknown", "published", "failed", "deleted")


class Refused(SomevahtiError):
    """Nothing was sent: the post has error-level findings, cannot go out on the channel as it is,
    or needs an approval it does not have. ``findings`` are the check's error-level findings."""

    def __init__(
        self, message: str, findings: list[Finding] | None = None, code: str = "findings", field: str = ""
    ):
        super().__init__(message)
        self.findings = findings or []
        self.code = code
        self.field = field


class ApprovalRequired(Refused):
    pass


class KeyConflict(SomevahtiError):
    """The idempotency key is taken by a publication of other content or another account."""


class NotFound(SomevahtiError):
    pass


@dataclass
class Account:
    """The account a publication goes to, as the registry knows it (no Django here)."""

    platform: str
    handle: str
    kind: AccountKind = AccountKind.SHARED
    pack: str | None = None  # the pack that governs the account (None: the engine's default)
    org: str = "default"
    approval: Approval | None = None  # the registry's override of the pack's setting

    @property
    def id(self) -> str:
        return f"{self.platform}:{self.handle}"


@dataclass
class PartStatus:
    position: int
    key: str
    state: str
    text: str
    languages: list[str]
    reply_to: int | None
    external_id: str = ""
    url: str = ""
    cid: str = ""

    def as_json(self) -> dict:
        return {
            "position": self.position,
            "key": self.key,
            "state": self.state,
            "id": self.external_id,
            "url": self.url,
            "languages": self.languages,
            "reply_to": self.reply_to,
            "text": self.text,
        }


@dataclass
class Publication:
    key: str
    account: str
    channel: str
    status: str
    scheduled_at: datetime
    next_try_at: datetime
    attempts: int
    submitted_by: str
    approved_by: str
    error_kind: str = ""
    error_reason: str = ""
    error_message: str = ""
    published_at: datetime | None = None
    parts: list[PartStatus] = field(default_factory=list)
    created: bool = False  # True from the submit that created it, False when the key existed

    @property
    def advice(self) -> str:
        """What to do about the error, in the reader's language (fi/sv/en)."""
        return advice(self.error_kind) if self.error_kind else ""

    def as_json(self) -> dict:
        out = {
            "key": self.key,
            "account": self.account,
            "channel": self.channel,
            "status": self.status,
            "scheduled_at": stamp(self.scheduled_at),
            "attempts": self.attempts,
            "submitted_by": self.submitted_by,
            "approved_by": self.approved_by or None,
            "published_at": stamp(self.published_at) if self.published_at else None,
            "parts": [p.as_json() for p in self.parts],
        }
        if self.error_kind:
            out["error"] = {
                "kind": self.error_kind,
                "reason": self.error_reason,
                "message": self.error_message,
                "advice": self.advice,
            }
        if self.status == "queued":
            out["next_try_at"] = stamp(self.next_try_at)
        return out


@dataclass
class RunReport:
    published: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    archived: int = 0
    checkpoints: int = 0


_CHECKERS: dict[tuple, Checker] = {}
ConnectorSource = Callable[[str], object] | Mapping[str, object]


class Engine:
    """Publications in a queue (``store``), sent through ``connectors`` (a mapping or a callable from an
    account id such as ``mastodon:kirkkonummi`` to a connector instance), archived in ``archive``
    (``somevahti.archive.api.Archive`` or None), checked against ``pack_resolver(account) -> Pack``.
    ``may_approve(user, account, approval) -> bool`` says whether a named person may approve (default:
    anyone named); the web app and the CLI pass the registry's answer."""

    def __init__(
        self,
        store: Store,
        connectors: ConnectorSource,
        archive=None,
        pack_resolver: Callable[[Account], Pack] | None = None,
        *,
        may_approve: Callable[[str, Account, Approval], bool] | None = None,
        lease_seconds: float = 120.0,
        max_attempts: int = 8,
        retry_base: float = 5.0,
        retry_cap: float = 900.0,
        use_ner: bool = True,
    ):
        self.store = store
        self.connectors = connectors
        self.archive = archive
        self.pack_resolver = pack_resolver or _default_pack
        self.may_approve = may_approve or (lambda user, account, approval: bool(user))
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.use_ner = use_ner
        self._instances: dict[str, tuple[object, float]] = {}
        self.connector_ttl = 300.0

    # -- connectors ---------------------------------------------------------------------
    def connector(self, account_id: str):
        """The account's connector, built again after ``connector_ttl`` seconds (a reconnected account's
        new token is used) and after a ``reauthorize`` failure."""
        cached = self._instances.get(account_id)
        if cached is not None and time.monotonic() - cached[1] < self.connector_ttl:
            return cached[0]
        source = self.connectors
        try:
            conn = source[account_id] if isinstance(source, Mapping) else source(account_id)
        except KeyError:
            raise NotFound(_("no connection for the account %s") % account_id) from None
        self._instances[account_id] = (conn, time.monotonic())
        return conn

    def forget_connectors(self) -> None:
        """Build every connector again at its next use (a caller that knows an account was reconnected)."""
        self._instances.clear()

    def _checker(self, pack: Pack) -> Checker:
        key = (pack.id, pack.version, pack.base_dir, pack.model_dump_json(), self.use_ner)
        if key not in _CHECKERS:  # a checker is built once per pack and process (Voikko, lexicons)
            _CHECKERS[key] = Checker(pack, use_ner=self.use_ner)
        return _CHECKERS[key]

    def _check(self, doc: PostDocument, pack: Pack, connector) -> None:
        """Refuse on error-level findings. A body over the platform's length limit is no error where
        the platform threads: the engine splits it at sentence boundaries into a thread instead."""
        threads = connector.publish_capabilities.threads
        errors = [
            f
            for f in self._checker(pack).check(doc)
            if f.severity == Severity.ERROR
            and not (threads and f.family == "platform_limits" and f.field.startswith("text"))
        ]
        if errors:
            raise Refused(_("the post has %d error-level findings; nothing was sent") % len(errors), errors)

    # -- submitting ---------------------------------------------------------------------
    def submit(
        self,
        doc: PostDocument,
        account: Account,
        *,
        key: str | None = None,
        at: datetime | None = None,
        approved_by: str | None = None,
        submitted_by: str = "",
        base_dir: Path | str | None = None,
        check: bool = True,
    ) -> Publication:
        """Check, plan and queue a publication; nothing is sent here (``run_due``/``send`` send).

        The same ``key`` again returns the existing publication unchanged (``created`` False); a
        key without one is derived from the account and the content. Raises :class:`Refused` (error
        findings, a post the channel cannot take, media missing or wrong), :class:`ApprovalRequired`,
        :class:`KeyConflict`, or ``NotFound`` (no connection)."""
        doc = _with_account(doc, account)
        version = content_version(doc)
        key = key or derived_key(account.id, version)
        existing = self.store.publication(key)
        if existing is not None:
            if existing["account"] != account.id or existing["content_version"] != version:
                raise KeyConflict(_("the idempotency key %s is already used for another post") % key)
            return self._publication(existing)
        pack = self.pack_resolver(account)
        connector = self.connector(account.id)
        if check:
            self._check(doc, pack, connector)
        approval = account.approval or pack.publishing.approval_for(account.kind)
        if approval.required:
            if not approved_by:
                raise ApprovalRequired(
                    _("posts on %(account)s need approval (%(roles)s) before they are sent")
                    % {"account": account.id, "roles": ", ".join(approval.approvers)},
                    code="approval",
                )
            if not self.may_approve(approved_by, account, approval):
                raise ApprovalRequired(
                    _("%(user)s may not approve posts on %(account)s")
                    % {"user": approved_by, "account": account.id},
                    code="approval",
                )
        limits = connector.limits
        caps = connector.publish_capabilities
        if not caps.can_publish:
            raise Refused(_("%s cannot publish") % account.id, code="cannot_publish")
        try:
            files = media_mod.resolve(doc, pack, limits, Path(base_dir) if base_dir else None)
            planned = plan(doc, pack, key, limits, caps, files)
        except PlanError as e:
            if e.code == "media_missing":
                raise InputError(str(e)) from None
            raise Refused(str(e), code=e.code, field=e.field) from None
        now = datetime.now(UTC)
        when = at or now
        row = {
            "key": key,
            "org": account.org,
            "account": account.id,
            "channel": str(doc.channel or account.platform),
            "status": "queued",
            "document": doc.model_dump_json(),
            "content_version": version,
            "pack": pack.id,
            "scheduled_at": stamp(when),
            "next_try_at": stamp(when),
            "attempts": 0,
            "submitted_by": submitted_by,
            "approved_by": approved_by or "",
            "created_at": stamp(now),
            "updated_at": stamp(now),
        }
        parts = [
            {
                "key": p.part.key,
                "publication": key,
                "position": i,
                "reply_to": p.reply_to,
                "body": dumps(_part_body(p.part)),
                "state": "pending",
                "updated_at": stamp(now),
            }
            for i, p in enumerate(planned.parts)
        ]
        created = self.store.insert_publication(row, parts)
        pub = self.status(key)
        pub.created = created
        return pub

    # -- reading ------------------------------------------------------------------------
    def status(self, key: str) -> Publication:
        row = self.store.publication(key)
        if row is None:
            raise NotFound(_("no publication with the key %s") % key)
        return self._publication(row)

    def _publication(self, row: dict) -> Publication:
        parts = []
        for p in self.store.parts(row["key"]):
            body = json.loads(p["body"])
            parts.append(
                PartStatus(
                    p["position"],
                    p["key"],
                    p["state"],
                    body["text"],
                    body["languages"],
                    p["reply_to"],
                    p["external_id"],
                    p["url"],
                    p["cid"],
                )
            )
        return Publication(
            row["key"],
            row["account"],
            row["channel"],
            row["status"],
            parse_stamp(row["scheduled_at"]),
            parse_stamp(row["next_try_at"]),
            row["attempts"],
            row["submitted_by"],
            row["approved_by"],
            row["error_kind"],
            row["error_reason"],
            row["error_message"],
            parse_stamp(row["published_at"]),
            parts,
        )

    def list(
        self, *, status: str | None = None, account: str | None = None, limit: int = 100
    ) -> list[Publication]:
        return [self.status(k) for k in self.store.keys(status=status, account=account, limit=limit)]

    def published_ids(self, account_id: str, days: float = 14) -> list[str]:
        """Platform ids of what this account published through somevahti in the last ``days``: the
        posts whose replies the inbox fetches (``Connector.fetch`` with these as ``statuses``)."""
        return self.store.published_ids(account_id, datetime.now(UTC) - timedelta(days=days))

    # -- running ------------------------------------------------------------------------
    def run_due(
        self, now: datetime | None = None, worker_id: str = "worker", *, limit: int = 10
    ) -> RunReport:
        """Send what is due (at most ``limit`` publications), archive what is published, then sign a
        checkpoint for each organisation touched when the archive has its key."""
        now = now or datetime.now(UTC)
        report = RunReport()
        for key in self.store.claim(now, worker_id, self.lease_seconds, limit):
            self._process(key, worker_id, now, report)
        self._archive_pending(report)
        return report

    def send(self, key: str, worker_id: str = "cli", now: datetime | None = None) -> Publication:
        """Send one publication now if it is due (a publication scheduled for later stays queued)."""
        now = now or datetime.now(UTC)
        report = RunReport()
        for claimed in self.store.claim(now, worker_id, self.lease_seconds, 1, key=key):
            self._process(claimed, worker_id, now, report)
        self._archive_pending(report)
        return self.status(key)

    def _process(self, key: str, worker: str, now: datetime, report: RunReport) -> None:
        pub = self.store.publication(key)
        if pub is None or pub["status"] != "sending" or pub["claimed_by"] != worker:
            return
        try:
            connector = self.connector(pub["account"])
        except SomevahtiError as e:
            self._fail(key, PublishError(ErrorKind.REAUTHORIZE, str(e)), report)
            return
        done: dict[int, Published] = {}
        rows = self.store.parts(key)
        try:
            answered = self._answered(pub)
        except Refused as e:
            self._fail(key, PublishError(ErrorKind.FIX_CONTENT, str(e)), report)
            return
        for row in rows:
            if row["state"] in ("published", "deleted"):
                done[row["position"]] = _published_of(row)
                continue
            part = _part_of(row)
            part.sent_at = parse_stamp(row["sent_at"])
            reply_to = done.get(row["reply_to"]) if row["reply_to"] is not None else None
            root = done.get(_root_of(rows, row["position"])) if reply_to is not None else None
            if row["reply_to"] is None and answered is not None:  # the first part answers the post replied to
                reply_to, root = answered
            elif answered is not None:
                root = answered[1]
            if row["state"] in ("sending", "unknown"):
                try:
                    found = connector.find_published(part)
                except NotSupported:
                    self._fail(
                        key,
                        PublishError(
                            ErrorKind.UNKNOWN_OUTCOME,
                            _(
                                "the platform cannot tell whether the post went out; check it there before sending again"  # noqa: E501
                            ),
                        ),
                        report,
                        part_key=row["key"],
                        part_state="unknown",
                    )
                    return
                except PublishError as e:
                    self._retry(key, row, e, now, report, part_state="unknown")
                    return
                except Exception as e:  # noqa: BLE001 - any failure of the look-up: ask again later
                    self._retry(
                        key,
                        row,
                        PublishError(ErrorKind.UNKNOWN_OUTCOME, str(e) or type(e).__name__),
                        now,
                        report,
                        part_state="unknown",
                    )
                    return
                if found is not None:
                    self._mark_published(row, found)
                    done[row["position"]] = found
                    continue
            if not self.store.renew(key, worker, now + timedelta(seconds=self.lease_seconds)):
                return  # another worker took over after our lease ran out; it asks the platform first
            self.store.update_part(
                row["key"], state="sending", attempts=row["attempts"] + 1, sent_at=row["sent_at"] or stamp()
            )  # the first attempt's time
            try:
                result = connector.publish_part(part, reply_to=reply_to, root=root)
            except PublishError as e:
                if e.kind in (ErrorKind.REAUTHORIZE, ErrorKind.FIX_CONTENT):
                    self._fail(key, e, report, part_key=row["key"], part_state="failed")
                else:  # a refusal with a wait leaves nothing behind; anything else may have: ask first
                    self._retry(
                        key,
                        row,
                        e,
                        now,
                        report,
                        part_state="pending" if e.kind == ErrorKind.RETRY_LATER else "unknown",
                    )
                return
            except NotSupported as e:
                self._fail(
                    key,
                    PublishError(ErrorKind.FIX_CONTENT, str(e)),
                    report,
                    part_key=row["key"],
                    part_state="failed",
                )
                return
            except Exception as e:  # noqa: BLE001 - a dropped connection, a crash in the connector: unknown
                self._retry(
                    key,
                    row,
                    PublishError(ErrorKind.UNKNOWN_OUTCOME, str(e) or type(e).__name__),
                    now,
                    report,
                    part_state="unknown",
                )
                return
            self._mark_published(row, result)
            done[row["position"]] = result
        self.store.update_publication(
            key,
            status="published",
            published_at=stamp(),
            claimed_by="",
            lease_until="",
            error_kind="",
            error_reason="",
            error_message="",
        )
        report.published.append(key)

    def _mark_published(self, row: dict, result: Published) -> None:
        self.store.update_part(
            row["key"],
            state="published",
            external_id=str(result.external_id),
            url=result.url or "",
            cid=result.cid or "",
            raw=dumps(result.raw),
            archived_seq=None,
        )

    def _retry(
        self, key: str, row: dict, error: PublishError, now: datetime, report: RunReport, *, part_state: str
    ) -> None:
        pub = self.store.publication(key)
        attempts = pub["attempts"]
        self.store.update_part(row["key"], state=part_state)
        if attempts >= self.max_attempts:
            self._fail(key, error, report)
            return
        jitter = 0.8 + 0.4 * random.random()  # noqa: S311 - jitter, not secrets
        wait = min(self.retry_cap, self.retry_base * 2 ** max(0, attempts - 1)) * jitter
        if error.retry_after is not None:
            wait = max(wait, float(error.retry_after))
        self.store.update_publication(
            key,
            status="queued",
            next_try_at=stamp(now + timedelta(seconds=wait)),
            claimed_by="",
            lease_until="",
            error_kind=error.kind.value,
            error_reason=error.platform_reason or "",
            error_message=str(error),
        )
        report.retrying.append(key)
        log.info("publication %s: %s, next try in %.0f s", key, error.kind, wait)

    def _fail(
        self,
        key: str,
        error: PublishError,
        report: RunReport,
        *,
        part_key: str | None = None,
        part_state: str | None = None,
    ) -> None:
        if part_key and part_state:
            self.store.update_part(part_key, state=part_state)
        if error.kind == ErrorKind.REAUTHORIZE:
            pub = self.store.publication(key)
            self._instances.pop(pub["account"] if pub else "", None)
        self.store.update_publication(
            key,
            status="failed",
            claimed_by="",
            lease_until="",
            error_kind=error.kind.value,
            error_reason=error.platform_reason or "",
            error_message=str(error),
        )
        report.failed.append(key)
        log.warning("publication %s failed: %s (%s)", key, error.kind, error)

    # -- changing -----------------------------------------------------------------------
    def cancel(self, key: str) -> Publication:
        """Withdraw a publication that nothing of has gone out (queued or failed before its first part)."""
        with self.store.transaction():
            row = self.store.publication(key)
            if row is None:
                raise NotFound(_("no publication with the key %s") % key)
            sent = [p for p in self.store.parts(key) if p["state"] in ("sending", "unknown", "published")]
            if row["status"] not in ("queued", "failed") or sent:
                raise SomevahtiError(
                    _("the publication %(key)s is %(status)s and can no longer be cancelled")
                    % {"key": key, "status": row["status"]}
                )
            self.store.update_publication(key, status="cancelled", claimed_by="", lease_until="")
        return self.status(key)

    def retry(self, key: str, now: datetime | None = None) -> Publication:
        """Queue a failed publication again (after reconnecting the account or when the platform is back)."""
        row = self.store.publication(key)
        if row is None:
            raise NotFound(_("no publication with the key %s") % key)
        if row["status"] != "failed":
            raise SomevahtiError(_("only a failed publication can be tried again"))
        for p in self.store.parts(key):
            if p["state"] == "failed":
                self.store.update_part(p["key"], state="pending")
        self.store.update_publication(key, status="queued", attempts=0, next_try_at=stamp(now))
        return self.status(key)

    def edit(
        self,
        key: str,
        doc: PostDocument,
        account: Account,
        *,
        edited_by: str = "",
        base_dir: Path | str | None = None,
    ) -> Publication:
        """Change a publication: still queued, it is planned anew; published, each part is edited in
        place on the platform (where it can) and the new version archived."""
        row = self.store.publication(key)
        if row is None:
            raise NotFound(_("no publication with the key %s") % key)
        doc = _with_account(doc, account)
        pack = self.pack_resolver(account)
        connector = self.connector(account.id)
        self._check(doc, pack, connector)
        try:
            files = media_mod.resolve(doc, pack, connector.limits, Path(base_dir) if base_dir else None)
            planned = plan(doc, pack, key, connector.limits, connector.publish_capabilities, files)
        except PlanError as e:
            if e.code == "media_missing":
                raise InputError(str(e)) from None
            raise Refused(str(e), code=e.code, field=e.field) from None
        parts = self.store.parts(key)
        if row["status"] in ("queued", "failed") and not any(
            p["state"] in ("sending", "unknown", "published") for p in parts
        ):
            with self.store.transaction():
                self.store.execute("DELETE FROM publishing_part WHERE publication = ?", (key,))
                for i, p in enumerate(planned.parts):
                    self.store.execute(
                        "INSERT INTO publishing_part (key, publication, position, reply_to, body, state, "
                        "updated_at) VALUES (?,?,?,?,?,?,?)",
                        (p.part.key, key, i, p.reply_to, dumps(_part_body(p.part)), "pending", stamp()),
                    )
                self.store.update_publication(
                    key, document=doc.model_dump_json(), content_version=content_version(doc), status="queued"
                )
            return self.status(key)
        if row["status"] != "published":
            raise SomevahtiError(
                _("the publication %(key)s is %(status)s and cannot be edited now")
                % {"key": key, "status": row["status"]}
            )
        if not connector.publish_capabilities.can_edit:
            raise NotSupported(
                _("%(channel)s: editing a published post is not supported") % {"channel": row["channel"]}
            )
        if len(planned.parts) != len(parts):
            raise Refused(
                _(
                    "the edited post needs %(new)d posts on the platform instead of %(old)d; delete it and "
                    "publish it anew"
                )
                % {"new": len(planned.parts), "old": len(parts)},
                code="edit_shape",
            )
        for old, new in zip(parts, planned.parts, strict=True):
            before = {k: v for k, v in json.loads(old["body"]).items() if k not in ("event", "event_by")}
            if before == _part_body(new.part):
                continue
            result = connector.edit_part(_published_of(old), new.part)
            self.store.update_part(
                old["key"],
                body=dumps(_part_body(new.part)),
                state="published",
                url=result.url or old["url"],
                raw=dumps(result.raw),
                archived_seq=None,
            )
            self.store.execute("UPDATE publishing_part SET sent_at = ? WHERE key = ?", (stamp(), old["key"]))
            self._pending_event(old["key"], "edited", edited_by)
        self.store.update_publication(
            key, document=doc.model_dump_json(), content_version=content_version(doc)
        )
        self._archive_pending(RunReport())
        return self.status(key)

    def delete(self, key: str, *, deleted_by: str = "") -> Publication:
        """Delete a published publication from the platform (last part first) and archive the deletion;
        a publication not sent yet is cancelled instead."""
        row = self.store.publication(key)
        if row is None:
            raise NotFound(_("no publication with the key %s") % key)
        parts = self.store.parts(key)
        if (
            not any(p["state"] in ("published", "sending", "unknown") for p in parts)
            and row["status"] != "sending"
        ):
            return self.cancel(key)
        if row["status"] not in ("published", "failed"):
            raise SomevahtiError(
                _("the publication %(key)s is %(status)s and cannot be deleted now")
                % {"key": key, "status": row["status"]}
            )
        connector = self.connector(row["account"])
        for p in reversed(parts):
            if p["state"] != "published":
                continue
            connector.delete_part(_published_of(p))
            self.store.update_part(p["key"], state="deleted", archived_seq=None)
            self._pending_event(p["key"], "deleted", deleted_by)
        self.store.update_publication(key, status="deleted")
        self._archive_pending(RunReport())
        return self.status(key)

    def _answered(self, pub: dict) -> tuple[Published, Published] | None:
        """What a publication whose document says ``in_reply_to`` answers, as (parent, thread root):
        another publication of this queue (its last published part; a correction reply) or a post on
        the platform named by its id."""
        target = json.loads(pub["document"]).get("in_reply_to")
        if not target:
            return None
        original = self.store.publication(target)
        if original is None:
            return Published(target, ""), Published(target, "")
        sent = [p for p in self.store.parts(target) if p["state"] == "published"]
        if not sent:
            raise Refused(
                _("the publication %s answered has not been published") % target, code="not_published"
            )
        above = self._answered(
            original
        )  # the original itself answered a post: the thread's root is that one's
        return _published_of(sent[-1]), above[1] if above is not None else _published_of(sent[0])

    def _pending_event(self, part_key: str, event: str, actor: str) -> None:
        row = self.store.one("SELECT body FROM publishing_part WHERE key = ?", (part_key,))
        body = json.loads(row[0])
        body["event"], body["event_by"] = event, actor
        self.store.execute("UPDATE publishing_part SET body = ? WHERE key = ?", (dumps(body), part_key))

    # -- archiving ----------------------------------------------------------------------
    def _archive_pending(self, report: RunReport) -> None:
        if self.archive is None:
            return
        orgs: set[str] = set()
        for row in self.store.unarchived():
            pub = self.store.publication(row["publication"])
            try:
                seq = self._archive_part(pub, row)
            except Exception:  # the archive is down: the part stays unarchived and the next run tries again
                log.exception("archiving %s failed; tried again on the next run", row["key"])
                break
            self.store.execute("UPDATE publishing_part SET archived_seq = ? WHERE key = ?", (seq, row["key"]))
            report.archived += 1
            orgs.add(pub["org"])
        for org in orgs:
            try:
                if self.archive.keys.has_key(org) and self.archive.checkpoint(org) is not None:
                    report.checkpoints += 1
            except Exception:
                log.exception("checkpoint of %s failed", org)

    def _archive_part(self, pub: dict, row: dict) -> int:
        body = json.loads(row["body"])
        doc = PostDocument.model_validate_json(pub["document"])
        event = body.get("event") or "published"
        langs = body["languages"]
        texts = (
            {lang: doc.texts().get(lang, "") for lang in langs}
            if len(langs) > 1
            else {(langs[0] if langs else ""): body["text"]}
        )
        parent = None
        if row["reply_to"] is not None:
            prev = self.store.one(
                "SELECT url, external_id FROM publishing_part WHERE publication = ? AND position = ?",
                (pub["key"], row["reply_to"]),
            )
            parent = f"{pub['channel']}:{prev[0] or prev[1]}" if prev else None
        elif doc.in_reply_to:  # the first part of a reply: the post it answers
            with contextlib.suppress(Refused):
                answered = self._answered(pub)
                parent = (
                    f"{pub['channel']}:{answered[0].url or answered[0].external_id}" if answered else None
                )
        handle = pub["account"].split(":", 1)[1] if ":" in pub["account"] else pub["account"]
        payload = {
            "event": event,
            "texts": texts,
            "channel": pub["channel"],
            "url": row["url"],
            "external_id": row["external_id"],
            "author": {"handle": handle},
            "publication": pub["key"],
            "part": row["key"],
            "published_text": body["text"],
            "approved_by": pub["approved_by"] or None,
            "submitted_by": pub["submitted_by"] or None,
            "media": [
                {"type": m["type"], "alt": {(langs[0] if langs else ""): m["alt"]} if m["alt"] else {}}
                for m in body["media"]
            ],
        }
        if parent:
            payload["parent"] = parent
        kind = (
            "reply"
            if doc.kind.value == "reply" or (doc.in_reply_to and doc.kind.value == "post")
            else "comment"
            if doc.kind.value == "comment"
            else "post"
        )
        media = [Path(m["path"]) for m in body["media"]] if event == "published" else []
        media = [m for m in media if m.is_file()]
        if len(media) != len(payload["media"]):
            payload["media"], media = [], []
        actor = body.get("event_by") or pub["approved_by"] or pub["submitted_by"] or None
        record = self.archive.append(
            kind,
            payload,
            org=pub["org"],
            account=pub["account"],
            actor=actor,
            subject=f"{pub['channel']}:{row['url'] or row['external_id']}",
            raw=json.loads(row["raw"]) if row["raw"] else None,
            media=media,
        )
        return record.seq


# -- helpers ---------------------------------------------------------------------------
def content_version(doc: PostDocument) -> str:
    """A digest of the document's content (what makes two submissions the same post)."""
    return hashlib.sha256(doc.model_dump_json().encode()).hexdigest()


def derived_key(account_id: str, version: str) -> str:
    return "sv-" + hashlib.sha256(f"{account_id}\n{version}".encode()).hexdigest()[:32]


def _with_account(doc: PostDocument, account: Account) -> PostDocument:
    channel = doc.channel
    if channel is None:
        try:
            channel = Channel(account.platform)
        except ValueError:
            raise InputError(_("unknown platform %s") % account.platform) from None
    elif channel.value != account.platform:
        raise InputError(
            _("the post is for %(channel)s but the account %(account)s is on %(platform)s")
            % {"channel": channel.value, "account": account.id, "platform": account.platform}
        )
    try:
        kind = AccountKind(account.kind)
    except ValueError:
        raise InputError(_("unknown account kind %s") % account.kind) from None
    return doc.model_copy(update={"channel": channel, "account_kind": kind})  # model_copy does not validate


def _part_body(part: Part) -> dict:
    return {
        "text": part.text,
        "languages": list(part.languages),
        "link": part.link,
        "title": part.title,
        "media": [
            {
                "type": m.type,
                "path": str(m.path),
                "mime": m.mime,
                "alt": m.alt,
                "captions": str(m.captions_path) if m.captions_path else None,
                "size": m.size,
            }
            for m in part.media
        ],
    }


def _part_of(row: dict) -> Part:
    body = json.loads(row["body"])
    return Part(
        key=row["key"],
        text=body["text"],
        languages=tuple(body["languages"]),
        link=body.get("link"),
        title=body.get("title"),
        media=[
            MediaFile(
                m["type"],
                Path(m["path"]),
                m["mime"],
                m["alt"],
                Path(m["captions"]) if m.get("captions") else None,
                m["size"],
            )
            for m in body["media"]
        ],
    )


def _published_of(row: dict) -> Published:
    return Published(
        row["external_id"], row["url"], json.loads(row["raw"]) if row["raw"] else None, row["cid"]
    )


def _root_of(rows: list[dict], position: int) -> int:
    by_pos = {r["position"]: r for r in rows}
    while by_pos[position]["reply_to"] is not None:
        position = by_pos[position]["reply_to"]
    return position


def _default_pack(account: Account) -> Pack:
    from somevahti.policy.loader import load_pack

    return load_pack(account.pack or "generic")


__all__ = [
    "Account",
    "ApprovalRequired",
    "ChannelError",
    "Engine",
    "KeyConflict",
    "NotFound",
    "PartStatus",
    "Publication",
    "Refused",
    "RunReport",
]
