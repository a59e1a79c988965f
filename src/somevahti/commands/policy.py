"""``somevahti policy``: show a pack's rules, its clause coverage, or render the policy document."""

from __future__ import annotations

import json
import sys

from somevahti.errors import InputError
from somevahti.i18n import _, ngettext
from somevahti.policy import available_packs, load_pack
from somevahti.policy.render import FORMATS, pack_clauses, render, rules_by_clause
from somevahti.policy.validate import validate_pack


def register(sub) -> None:
    p = sub.add_parser("policy", help=_("show, check coverage of and render policy packs"))
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("list", help=_("list the built-in packs"))
    a.set_defaults(func=run_list)
    a = actions.add_parser("show", help=_("list a pack's rules and the clauses they enforce"))
    a.add_argument("pack")
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=run_show)
    a = actions.add_parser("coverage", help=_("each clause with the rules that enforce it"))
    a.add_argument("pack")
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.set_defaults(func=run_coverage)
    a = actions.add_parser("render", help=_("the readable policy document (Markdown, HTML or PDF)"))
    a.add_argument("pack")
    a.add_argument("--lang", choices=["fi", "sv", "en"], default="fi")
    a.add_argument("--format", choices=FORMATS, default="md")
    a.add_argument("-o", "--output", metavar="FILE", help=_("write to this file instead of standard output"))
    a.set_defaults(func=run_render)
    a = actions.add_parser("validate", help=_("load a pack file and report the first problem"))
    a.add_argument("pack")
    a.set_defaults(func=run_validate)


def run_list(args) -> int:
    for name in available_packs():
        pack = load_pack(name)
        print(f"{name}\t{pack.organisation.name}\t{len(pack.rules)} rules")
    return 0


def run_show(args) -> int:
    pack = load_pack(args.pack)
    if args.format == "json":
        print(json.dumps(pack.model_dump(mode="json", exclude={"base_dir"}), ensure_ascii=False, indent=2))
        return 0
    print(
        f"{pack.id} {pack.version} — {pack.organisation.name}"
        + (f" (extends {pack.extends})" if pack.extends else "")
    )
    for rule in pack.rules:
        state = "" if rule.enabled else " [" + _("disabled") + "]"
        print(f"  {rule.id:32} {rule.family:18} {str(rule.severity):10} {', '.join(rule.clauses)}{state}")
    return 0


def coverage(pack) -> list[dict]:
    enforced = rules_by_clause(pack)
    rows = []
    for clause in pack_clauses(pack):
        rules = [r.id for r in enforced.get(clause.id, [])]
        status = "enforced" if rules else ("missing" if clause.kind == "check" else clause.kind)
        rows.append({"clause": clause.id, "kind": clause.kind, "status": status, "rules": rules})
    return rows


def run_coverage(args) -> int:
    pack = load_pack(args.pack)
    rows = coverage(pack)
    if args.format == "json":
        print(json.dumps({"pack": pack.id, "clauses": rows}, ensure_ascii=False, indent=2))
    else:
        labels = {"enforced": _("enforced by"), "missing": _("NOT ENFORCED"), "guidance": _("guidance")}
        for row in rows:
            label = labels.get(row["status"], _("handled outside check: %s") % row["kind"])
            rules = ", ".join(row["rules"])
            print(f"{row['clause']:12} {row['kind']:10} {label} {rules}".rstrip())
    return 1 if any(r["status"] == "missing" for r in rows) else 0


def run_render(args) -> int:
    data = render(load_pack(args.pack), args.lang, args.format)
    if args.output:
        try:
            with open(args.output, "wb") as out:
                out.write(data)
        except OSError as e:
            raise InputError(
                _("%(file)s: cannot be written (%(reason)s)") % {"file": args.output, "reason": e.strerror}
            ) from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def run_validate(args) -> int:
    pack = load_pack(args.pack)
    validate_pack(pack, args.pack)
    print(
        ngettext("%(pack)s: valid, %(n)d rule", "%(pack)s: valid, %(n)d rules", len(pack.rules))
        % {"pack": args.pack, "n": len(pack.rules)}
    )
    return 0
