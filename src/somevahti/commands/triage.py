"""``somevahti triage``: incoming comments → labels, category and the clauses that ask for it."""

from __future__ import annotations

import json
import sys

from somevahti.errors import InputError, internal_error
from somevahti.i18n import _
from somevahti.policy import load_pack

BATCH = 256


def register(sub) -> None:
    p = sub.add_parser(
        "triage",
        help=_("triage incoming comments"),
        description=_(
            "Triage incoming comments: toxicity labels, threats, misuse, questions and "
            "feedback, with the handling the policy pack asks for."
        ),
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=_(
            "JSON Lines (id, text, language, author, post, channel) or plain text, one comment "
            "per line; - for standard input"
        ),
    )
    p.add_argument(
        "--policy", default="generic", help=_("built-in pack name or pack file (default: generic)")
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror})") from None


def run(args) -> int:
    from tqdm import tqdm

    from somevahti.triage import Triager
    from somevahti.triage.engine import messages
    from somevahti.triage.reader import parse

    pack = load_pack(args.policy)
    status = 0

    def warn(line: str) -> None:
        nonlocal status
        print(f"somevahti: {line}", file=sys.stderr)
        status = max(status, 2)

    batches = []
    for path in args.paths:
        try:
            batches.append((path, parse(_read(path), path, warn)))
        except InputError as e:
            warn(str(e))
    total = sum(len(c) for _, c in batches)
    triager = Triager(pack)
    results = []
    with tqdm(
        total=total, unit=_("comment"), file=sys.stderr, disable=not sys.stderr.isatty() or not total
    ) as bar:
        for path, comments in batches:
            for i in range(0, len(comments), BATCH):
                try:
                    chunk = triager.triage(comments[i : i + BATCH])
                except Exception as e:  # noqa: BLE001 - the rest of the batch is still triaged
                    status = max(status, internal_error(e, args.debug, path))
                    bar.update(len(comments[i : i + BATCH]))
                    continue
                for r in chunk:
                    r.extra["source"] = path
                results += chunk
                bar.update(len(chunk))
    if args.format == "json":
        json.dump({"results": [r.to_json() for r in results]}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        names = messages()["categories"]
        for r in results:
            name = names[r.category].get(triager.ui, names[r.category]["fi"])
            labels = ", ".join(r.labels) or "-"
            print(f"{r.source_label()}\t{name}\t{labels}\t{', '.join(r.clauses)}")
            for reason in r.reasons:
                print(f"    {reason['message']}")
    return status
