"""``somevahti archive``: the tamper-evident archive from the command line (thin; calls the core)."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from somevahti.archive import retention
from somevahti.archive.api import Archive, default_org
from somevahti.errors import InputError
from somevahti.i18n import _, ngettext
from somevahti.safeload import ParseError, loads_json


def _common(p) -> None:
    p.add_argument(
        "--db",
        help=_(
            "database URL (sqlite:///path or postgresql://…); default SOMEVAHTI_ARCHIVE_DB "
            "or a SQLite file in the user's data directory"
        ),
    )
    p.add_argument("--media", help=_("media directory (default SOMEVAHTI_ARCHIVE_MEDIA)"))
    p.add_argument("--keys", help=_("signing key directory (default SOMEVAHTI_ARCHIVE_KEYS)"))
    p.add_argument("--org", default=None, help=_("organisation id (default SOMEVAHTI_ORG or 'default')"))
    p.add_argument("--actor", default=None, help=_("who does this (default: the login name)"))


def register(sub) -> None:
    p = sub.add_parser("archive", help=_("the tamper-evident archive: record, verify, search, export"))
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name, help_text, func):
        a = actions.add_parser(name, help=help_text)
        _common(a)
        a.set_defaults(func=func)
        return a

    action("init", _("create the archive and the organisation's signing key"), run_init)
    a = action("record", _("archive one record (payload JSON from a file or -)"), run_record)
    a.add_argument("kind", choices=["post", "reply", "comment", "mention", "moderation"])
    a.add_argument("payload", help=_("JSON file with the payload, - for standard input"))
    a.add_argument("--account")
    a.add_argument("--subject")
    a.add_argument("--occurred", help=_("when it happened on the platform (ISO 8601)"))
    a.add_argument("--raw", help=_("file with the platform's raw response"))
    a.add_argument("--media-file", action="append", default=[], dest="media_files", metavar="FILE")
    a = action("verify", _("check the chain, checkpoint signatures and media files"), run_verify)
    a.add_argument("--no-media", action="store_true", help=_("skip hashing the media files"))
    a.add_argument("--format", choices=["text", "json"], default="text")
    action("checkpoint", _("sign the chain head with the organisation's key"), run_checkpoint)
    action("key", _("print the organisation's public key (publish it so others can verify)"), run_key)
    a = action("search", _("full-text search with filters"), run_search)
    a.add_argument("query", nargs="?", default=None)
    _filters(a)
    a.add_argument("--kind", action="append", default=[], dest="kinds")
    a.add_argument("--author")
    a.add_argument("--language")
    a.add_argument("--unit")
    a.add_argument("--state", choices=["visible", "hidden", "deleted", "answered", "escalated"])
    a.add_argument("--limit", type=int, default=50)
    a.add_argument("--format", choices=["text", "json"], default="text")
    a = action("export", _("records-request export: PDF + JSON Lines + manifest"), run_export)
    a.add_argument("out", help=_("new directory, or a file name ending in .zip"))
    _filters(a)
    a.add_argument("--query", help=_("only threads matching this search"))
    a.add_argument(
        "--redact", action="store_true", help=_("redact private persons' personal data in the PDF")
    )
    a.add_argument("--no-raw", action="store_true", help=_("leave the platforms' raw responses out"))
    a.add_argument("--no-progress", action="store_true")
    a = actions.add_parser("verify-export", help=_("check an export bundle"))
    a.add_argument("bundle")
    a.add_argument(
        "--public-key",
        action="append",
        default=[],
        metavar="FILE_OR_BASE64",
        help=_("the organisation's published public key (trusted)"),
    )
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=run_verify_export)
    a = action("import", _("back-fill from a platform's data export (idempotent)"), run_import)
    a.add_argument("source", choices=["mastodon", "x", "meta"])
    a.add_argument("path", help=_("outbox.json, tweets.js or a Meta JSON file (or their folder)"))
    a.add_argument("--account", required=True)
    a.add_argument("--format", choices=["text", "json"], default="text")
    a = action("hold", _("legal holds: place, release, list"), run_hold)
    a.add_argument("hold_action", choices=["place", "release", "list"])
    a.add_argument("hold_id", nargs="?")
    a.add_argument("--account", action="append", default=[], dest="accounts")
    a.add_argument("--query")
    a.add_argument("--since")
    a.add_argument("--until")
    a.add_argument("--reason", default="")
    a = action("retention", _("retention rules per account: set, list, run"), run_retention)
    a.add_argument("retention_action", choices=["set", "list", "run"])
    a.add_argument("account", nargs="?")
    a.add_argument("--years", type=int)
    a.add_argument("--permanent", action="store_true")
    a.add_argument("--dry-run", action="store_true")


def _filters(a) -> None:
    a.add_argument("--account", action="append", default=[], dest="accounts")
    a.add_argument("--since", help=_("first day (YYYY-MM-DD)"))
    a.add_argument("--until", help=_("last day (YYYY-MM-DD)"))


def _open(args) -> Archive:
    return Archive.open(args.db, media_dir=args.media, keys_dir=args.keys)


def _org(args) -> str:
    return args.org or default_org()


def _actor(args) -> str:
    return args.actor or getpass.getuser()


def run_init(args) -> int:
    with _open(args) as archive:
        public = archive.init(_org(args))
    print(
        _("archive ready; public key of %(org)s (publish it): %(key)s") % {"org": _org(args), "key": public}
    )
    return 0


def run_key(args) -> int:
    with _open(args) as archive:
        print(archive.keys.public_key(_org(args)))
    return 0


def _read_json(path: str):
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
        return loads_json(text)
    except OSError as e:
        raise InputError(_("%(path)s: %(error)s") % {"path": path, "error": e.strerror}) from None
    except (UnicodeDecodeError, ParseError) as e:
        raise InputError(_("%(path)s: %(error)s") % {"path": path, "error": e}) from None


def run_record(args) -> int:
    payload = _read_json(args.payload)
    try:
        raw = Path(args.raw).read_bytes() if args.raw else None
    except OSError as e:
        raise InputError(_("%(path)s: %(error)s") % {"path": args.raw, "error": e.strerror}) from None
    for f in args.media_files:
        if not Path(f).is_file():
            raise InputError(_("%s: no such file") % f)
    with _open(args) as archive:
        rec = archive.append(
            args.kind,
            payload,
            org=_org(args),
            account=args.account,
            actor=_actor(args),
            subject=args.subject,
            occurred=args.occurred,
            raw=raw,
            media=args.media_files,
        )
    print(f"{rec.org} {rec.seq} {rec.hash}")
    return 0


def run_verify(args) -> int:
    from somevahti.archive.verify import verify

    with _open(args) as archive:
        orgs = [args.org] if args.org else archive.orgs()
        reports = [verify(archive, org, check_media=not args.no_media) for org in orgs]
    if args.format == "json":
        print(json.dumps([r.as_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        for r in reports:
            _print_report(
                r,
                f"{r.org}: "
                + ", ".join(
                    [
                        ngettext("%(n)d record", "%(n)d records", r.records) % {"n": r.records}
                        + " ("
                        + ngettext("%(n)d purged", "%(n)d purged", r.purged) % {"n": r.purged}
                        + ")",
                        ngettext("%(n)d checkpoint", "%(n)d checkpoints", r.checkpoints)
                        % {"n": r.checkpoints},
                        ngettext("%(n)d media file", "%(n)d media files", r.media) % {"n": r.media},
                    ]
                ),
            )
    return 0 if all(r.ok for r in reports) else 1


def _print_report(report, summary: str) -> None:
    print(summary)
    for w in report.warnings:
        print("  " + _("warning") + ": " + w)
    if report.ok:
        print("  " + _("OK: verified"))
    else:
        print("  " + _("FAILED, first problem: %s") % report.problems[0])
        for p in report.problems[1:]:
            print("  " + str(p))


def run_checkpoint(args) -> int:
    with _open(args) as archive:
        cp = archive.checkpoint(_org(args))
    print(
        _("checkpoint at record %(seq)d: %(head)s") % cp.as_json()
        if cp
        else _("nothing new since the last checkpoint")
    )
    return 0


def _query(args, text):
    from somevahti.archive.search import Query

    return Query(
        text=text,
        accounts=args.accounts,
        since=args.since,
        until=args.until,
        kinds=getattr(args, "kinds", []),
        author=getattr(args, "author", None),
        language=getattr(args, "language", None),
        unit=getattr(args, "unit", None),
        state=getattr(args, "state", None),
    )


def run_search(args) -> int:
    from somevahti.archive.search import search

    with _open(args) as archive:
        hits = search(archive, _org(args), _query(args, args.query), limit=args.limit)
    if args.format == "json":
        print(json.dumps([h.as_json() for h in hits], ensure_ascii=False, indent=2))
    else:
        for h in hits:
            state = "" if h.state == "visible" else f" [{h.state}]"
            print(
                f"{h.occurred[:16].replace('T', ' ')}  #{h.seq}  {h.kind:10} {h.account or '-'}  "
                f"{h.author or ''}{state}\n    {h.snippet}"
            )
    return 0


def run_export(args) -> int:
    from tqdm import tqdm

    from somevahti.archive.export import ExportRequest, export

    req = ExportRequest(
        _org(args),
        args.accounts,
        since=args.since,
        until=args.until,
        text=args.query,
        redact=args.redact,
        include_raw=not args.no_raw,
    )
    bar = None

    def progress(done, total):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit=_("threads"), disable=args.no_progress, file=sys.stderr)
        bar.update(1)

    with _open(args) as archive:
        try:
            result = export(archive, req, args.out, actor=_actor(args), progress=progress)
        finally:
            if bar is not None:
                bar.close()
    counts = ", ".join(
        [
            ngettext("%(n)d thread", "%(n)d threads", result.threads) % {"n": result.threads},
            ngettext("%(n)d record", "%(n)d records", result.records) % {"n": result.records},
            ngettext("%(n)d media file", "%(n)d media files", result.media) % {"n": result.media},
        ]
    )
    print(
        _("%(path)s: %(counts)s; manifest SHA-256 %(sha)s; recorded as record %(seq)d")
        % {
            "path": result.path,
            "counts": counts,
            "sha": result.manifest_sha256,
            "seq": result.export_record.seq,
        }
    )
    return 0


def run_verify_export(args) -> int:
    from somevahti.archive.bundle import verify_export

    trusted = None
    if args.public_key:
        trusted = {Path(k).read_text("ascii").strip() if Path(k).is_file() else k for k in args.public_key}
    report = verify_export(args.bundle, trusted)
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(
            report,
            f"{args.bundle}: "
            + ", ".join(
                [
                    ngettext("%(n)d record", "%(n)d records", report.records) % {"n": report.records},
                    ngettext("%(n)d checkpoint", "%(n)d checkpoints", report.checkpoints)
                    % {"n": report.checkpoints},
                ]
            ),
        )
    return 0 if report.ok else 1


def run_import(args) -> int:
    from somevahti.archive.imports import run_import as do_import

    with _open(args) as archive:
        result = do_import(
            archive, args.source, Path(args.path), org=_org(args), account=args.account, actor=_actor(args)
        )
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(
        _("%(source)s: %(added)d added, %(skipped)d skipped")
        % {"source": args.path, "added": result.added, "skipped": len(result.skipped)}
    )
    for item in result.skipped:
        print(f"  {item['item']}: {item['reason']}")
    return 0


def run_hold(args) -> int:
    org, actor = _org(args), _actor(args)
    with _open(args) as archive:
        if args.hold_action == "place":
            rec = retention.place_hold(
                archive,
                org,
                actor=actor,
                reason=args.reason,
                accounts=args.accounts,
                text=args.query,
                since=args.since,
                until=args.until,
                hold_id=args.hold_id,
            )
            print(_("hold %(hold)s placed (record %(seq)d)") % {"hold": rec.payload["hold"], "seq": rec.seq})
        elif args.hold_action == "release":
            if not args.hold_id:
                raise InputError(_("name the hold to release"))
            rec = retention.release_hold(archive, org, args.hold_id, actor=actor, reason=args.reason)
            print(_("hold %(hold)s released (record %(seq)d)") % {"hold": args.hold_id, "seq": rec.seq})
        else:
            for hold_id, h in retention.active_holds(archive, org).items():
                scope = ", ".join(h["accounts"]) or _("all accounts")
                print(
                    f"{hold_id}\t{h['placed'][:10]}\t{h['actor']}\t{scope}\t"
                    f"{h.get('text') or ''}\t{h['reason']}"
                )
    return 0


def run_retention(args) -> int:
    org, actor = _org(args), _actor(args)
    with _open(args) as archive:
        if args.retention_action == "set":
            if not args.account or (args.years is None) == (not args.permanent):
                raise InputError(_("give an account and either --years N or --permanent"))
            rec = retention.set_rule(
                archive, org, args.account, None if args.permanent else args.years, actor=actor
            )
            print(
                _("retention of %(account)s set (record %(seq)d)") % {"account": args.account, "seq": rec.seq}
            )
        elif args.retention_action == "list":
            for account, years in retention.rules(archive, org).items():
                print(f"{account}\t" + (_("permanent") if years is None else str(years)))
        else:
            run = retention.run(archive, org, actor=actor, dry_run=args.dry_run)
            due, held, purged = len(run.due), len(run.held), len(run.purged)
            print(
                ", ".join(
                    [
                        ngettext("%(n)d record due", "%(n)d records due", due) % {"n": due},
                        ngettext("%(n)d under a legal hold", "%(n)d under a legal hold", held) % {"n": held},
                        ngettext("%(n)d purged", "%(n)d purged", purged) % {"n": purged},
                    ]
                )
            )
    return 0
