"""``somevahti publish DOC --account PLATFORM:HANDLE``: check, then send a post through the publish engine;
``somevahti publish-worker``: send scheduled publications when they are due.

Exit codes: 0 published or scheduled; 1 refused (error-level findings, a post the channel cannot
take, a missing approval: nothing is sent); 2 unreadable input or pack, unknown account or no
connection; 3 the platform refused or could not be reached (the error kind is printed; a
publication that can be tried again stays queued for the worker). The same idempotency key
again publishes nothing new and prints the same result.

The account and its connection come from the web application's registry (Django is used here,
in the command layer only); the queue is the web database (``somevahti.publishing.store``);
the archive is the command line's (``SOMEVAHTI_ARCHIVE_DB``, organisation ``SOMEVAHTI_ORG``), so
``somevahti archive search`` finds the post at once.
"""

from __future__ import annotations

import getpass
import json
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from somevahti.errors import InputError
from somevahti.i18n import _


def register(sub) -> None:
    p = sub.add_parser(
        "publish",
        help=_("check a post and publish it on an account"),
        description=_("Check a post against the account's policy pack and publish it, exactly once."),
    )
    p.add_argument("document", metavar="DOC", help=_("post document (.yaml .yml .json .txt)"))
    p.add_argument("--account", required=True, metavar="PLATFORM:HANDLE")
    p.add_argument(
        "--policy", metavar="PACK", help=_("policy pack (default: the organisation's, SOMEVAHTI_PACK)")
    )
    p.add_argument("--at", metavar="ISO-TIME", help=_("publish at this time (ISO 8601; default: now)"))
    p.add_argument(
        "--idempotency-key",
        metavar="K",
        help=_("the publication's key (default: from the account and the content)"),
    )
    p.add_argument(
        "--approved-by", metavar="USER", help=_("who approved the post (where the pack requires it)")
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)
    w = sub.add_parser("publish-worker", help=_("send scheduled publications when they are due"))
    w.add_argument("--interval", type=float, default=1.0, help=_("seconds between looks at the queue"))
    w.add_argument("--once", action="store_true", help=_("send what is due now and exit"))
    w.set_defaults(func=run_worker)


def _django():
    from somevahti.commands.web import _django as setup

    setup()


def split_account(value: str) -> tuple[str, str]:
    platform, sep, handle = value.partition(":")
    if not sep or not platform or not handle:
        raise InputError(_("an account is PLATFORM:HANDLE, e.g. mastodon:kirkkonummi"))
    return platform.lower(), handle


def registry_account(value: str):
    from somevahti.web.registry.models import Account

    platform, handle = split_account(value)
    account = Account.objects.filter(platform=platform, handle=handle).select_related("unit", "owner").first()
    if account is None:
        raise InputError(_("the registry has no account %s") % value)
    return account


def build_engine(*, policy: str | None = None, archive=None):
    """The engine over the web database's queue, the registry's connections and the given archive."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from somevahti.policy.loader import load_pack
    from somevahti.publishing import Engine, Store
    from somevahti.web.core.policy import can_approve_publication
    from somevahti.web.publishing.connections import connector_for_account

    def connectors(account_id: str):
        from django.db import close_old_connections

        close_old_connections()  # a long-running worker thread: a dropped database connection is reopened
        return connector_for_account(account_id)

    def pack_resolver(account):
        return load_pack(account.pack or settings.SOMEVAHTI["PACK"])

    def may_approve(user: str, account, approval) -> bool:
        person = get_user_model().objects.filter(username=user).first()
        return person is not None and can_approve_publication(
            person, registry_account(account.id), approval.approvers
        )

    return Engine(Store.open(), connectors, archive, pack_resolver, may_approve=may_approve)


def engine_account(reg, pack: str | None, org: str):
    from somevahti.document import AccountKind
    from somevahti.publishing import Account

    return Account(reg.platform, reg.handle, kind=AccountKind(reg.kind), pack=pack, org=org)


def run(args) -> int:
    from somevahti.archive.api import Archive, default_org
    from somevahti.document import load_document
    from somevahti.policy.loader import load_pack
    from somevahti.publishing import ApprovalRequired, KeyConflict, NotFound, Refused

    at = _when(args.at) if args.at else None
    doc = load_document(args.document)  # InputError: exit 2
    if args.policy:
        load_pack(args.policy)  # an unreadable pack: exit 2 before anything else
    _django()
    reg = registry_account(args.account)
    operator = f"cli:{getpass.getuser()}"
    with Archive.open() as archive:
        engine = build_engine(policy=args.policy, archive=archive)
        account = engine_account(reg, args.policy, default_org())
        try:
            pub = engine.submit(
                doc,
                account,
                key=args.idempotency_key,
                at=at,
                approved_by=args.approved_by,
                submitted_by=operator,
                base_dir=Path(args.document).resolve().parent,
            )
        except Refused as e:
            return _refused(args, e, isinstance(e, ApprovalRequired))
        except (KeyConflict, NotFound) as e:
            raise InputError(str(e)) from None
        if pub.status == "queued" and pub.scheduled_at <= datetime.now(UTC):
            pub = engine.send(pub.key, worker_id=operator)
    return _report(args, pub)


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(_("--at is not an ISO 8601 time: %s") % text) from None
    return when if when.tzinfo else when.astimezone()  # a time without a zone is local time


def _refused(args, e, approval: bool) -> int:
    if args.format == "json":
        json.dump(
            {
                "status": "refused",
                "reason": e.code,
                "message": str(e),
                "findings": [f.to_json() for f in e.findings],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        print(_("Refused, nothing was sent: %s") % e, file=sys.stderr)
        for f in e.findings:
            print(f"  {f.field}: [{f.rule} {', '.join(f.clauses)}] {f.message}", file=sys.stderr)
    return 1


def _report(args, pub) -> int:
    failed = pub.status == "failed" or (pub.status == "queued" and pub.error_kind)
    if args.format == "json":
        json.dump(pub.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif pub.status == "published":
        print(_("Published %(key)s on %(account)s:") % {"key": pub.key, "account": pub.account})
        for p in pub.parts:
            print(f"  {p.external_id}  {p.url}")
    elif pub.status == "queued" and not failed:
        print(
            _("Scheduled %(key)s on %(account)s for %(at)s.")
            % {"key": pub.key, "account": pub.account, "at": pub.scheduled_at.isoformat()}
        )
    elif failed:
        print(
            _("Not published (%(kind)s): %(message)s")
            % {"kind": pub.error_kind, "message": pub.error_message},
            file=sys.stderr,
        )
        print(f"  {pub.advice}", file=sys.stderr)
    else:
        print(_("The publication %(key)s is %(status)s.") % {"key": pub.key, "status": pub.status})
    return 3 if failed else 0


# -- the worker -------------------------------------------------------------------------------------


def worker_loop(
    engine_factory,
    *,
    interval: float = 1.0,
    stop: threading.Event | None = None,
    worker_id: str | None = None,
    once: bool = False,
    after=None,
) -> None:
    """Look at the queue every ``interval`` seconds and send what is due; a look that found work is
    followed at once by the next, so a burst drains without waiting. ``after()`` runs after each look
    that found work (the web app brings the statuses home into its drafts)."""
    import logging
    import os
    import socket

    stop = stop or threading.Event()
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    engine = engine_factory()
    log = logging.getLogger("somevahti.publishing")
    while not stop.is_set():
        try:
            report = engine.run_due(datetime.now(UTC), worker_id)
            busy = bool(report.published or report.retrying or report.failed)
            if busy and after is not None:
                after()
        except Exception:  # the database went away for a moment: look again later
            log.exception("publishing worker: the queue could not be read")
            busy = False
        if once and not busy:
            return
        if not busy:
            stop.wait(interval)


def _worker_engine():
    from somevahti.web.archive import access

    return build_engine(archive=_WebArchive(access))


def _sync_drafts() -> None:
    from somevahti.web.publishing import dispatch

    dispatch.sync()


class _WebArchive:
    """The web application's archive and organisation, for the worker thread (one connection per thread)."""

    def __init__(self, access):
        self.access = access

    def __getattr__(self, name):
        return getattr(self.access.archive(), name)


def start_worker_thread(interval: float = 1.0) -> threading.Event:
    """Run the publishing worker in a thread of the current (Django) process; set the event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=worker_loop,
        args=(_worker_engine,),
        kwargs={"interval": interval, "stop": stop, "after": _sync_drafts},
        daemon=True,
        name="somevahti-publishing",
    ).start()
    return stop


def run_worker(args) -> int:
    _django()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        worker_loop(_worker_engine, interval=args.interval, stop=stop, once=args.once, after=_sync_drafts)
    except KeyboardInterrupt:
        pass
    time.sleep(0)
    return 0


__all__ = ["build_engine", "registry_account", "run", "split_account", "start_worker_thread", "worker_loop"]
