"""``somevahti check``: posts, replies and comments against a policy pack."""

from __future__ import annotations

import json
import sys

from somevahti.check import CheckContext, Checker
from somevahti.document import AccountKind, Channel, load_document, read_stdin_document
from somevahti.errors import PackError, SomevahtiError, internal_error, one_line
from somevahti.findings import Report
from somevahti.i18n import _
from somevahti.output import render_report, use_colour
from somevahti.policy import load_pack


def register(sub) -> None:
    p = sub.add_parser(
        "check",
        help=_("check posts against a policy pack"),
        description=_("Check posts, replies and comments against a policy pack."),
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=_("post files (.txt .md .yaml .yml .json) or - for standard input"),
    )
    p.add_argument(
        "--policy", default="generic", help=_("built-in pack name or pack file (default: generic)")
    )
    p.add_argument(
        "--directory",
        action="append",
        default=[],
        metavar="CSV",
        help=_("staff and units CSV (name,title,email,phone) whose work contacts may be published"),
    )
    p.add_argument("--channel", choices=[c.value for c in Channel])
    p.add_argument("--account-kind", choices=[k.value for k in AccountKind])
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-ner", action="store_true", help=_("skip named-entity recognition (faster)"))
    p.set_defaults(func=run)


def run(args) -> int:
    pack = load_pack(args.policy)
    try:
        checker = Checker(pack, use_ner=not args.no_ner, extra_directories=args.directory)
    except SomevahtiError as e:  # a rule or the directory cannot be built: name the pack too
        raise PackError(f"{args.policy}: {e}") from None
    overrides = {"channel": args.channel, "account_kind": args.account_kind}
    colour = use_colour() and args.format == "text"
    files, all_findings, worst = [], [], 0
    for path in args.paths:
        try:
            if path == "-":
                doc = read_stdin_document(sys.stdin.buffer.read(), overrides)
            else:
                doc = load_document(path, overrides)
            report = Report(path, checker.check(doc))
        except SomevahtiError as e:
            print(f"somevahti: {one_line(e)}", file=sys.stderr)
            files.append({"source": path, "error": str(e), "findings": []})
            worst = max(worst, e.exit_code)
            continue
        except Exception as e:  # noqa: BLE001 - one bad input must not abandon the rest of the batch
            worst = max(worst, internal_error(e, args.debug, path))
            files.append({"source": path, "error": f"internal error: {type(e).__name__}", "findings": []})
            continue
        if report.errors:
            worst = max(worst, 1)
        if args.format == "json":
            items = [f.to_json() for f in report.findings]
            files.append({"source": path, "findings": items, "summary": report.summary()})
            all_findings += [{**item, "source": path} for item in items]
        else:
            ctx = CheckContext(doc, pack, checker.directory)
            print(render_report(report, ctx.text_of, colour))
    if args.format == "json":
        summary = {
            "files": len(args.paths),
            "unreadable": sum(1 for f in files if "error" in f),
            "findings": len(all_findings),
        }
        for sev in ("error", "warning", "suggestion"):
            summary[sev] = sum(1 for f in all_findings if f["severity"] == sev)
        from somevahti.policy.versions import version_info

        json.dump(
            {"pack": version_info(pack), "findings": all_findings, "summary": summary, "files": files},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    return worst
