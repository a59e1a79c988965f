"""The ``somevahti`` command: thin; every subcommand lives in ``somevahti.commands`` and calls the core."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

from somevahti import __version__, commands
from somevahti.errors import ConfigError, ServiceError, SomevahtiError, internal_error, one_line
from somevahti.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="somevahti", description=_("Social media policy as code: checks, registry, inbox and archive.")
    )
    parser.add_argument("--version", action="version", version=f"somevahti {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=_("show the traceback of an unexpected internal error (exit code 70)"),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{mod.name}").register(sub)
    return parser


def _service_error(e: BaseException) -> ServiceError | None:
    """Database failures (unreachable server, missing tables, locked file) as a service or
    configuration error."""
    try:
        from django.db import DatabaseError
    except ImportError:  # pragma: no cover - the [web] extras are not installed
        return None
    if isinstance(e, DatabaseError):
        text = one_line(e)
        if "no such table" in text or ("relation" in text and "does not exist" in text):
            return ConfigError(
                _("the database has no tables yet: run `somevahti web migrate` first") + f" ({text})"
            )
        return ServiceError(_("the database failed") + f": {text}")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SomevahtiError as e:
        print(f"somevahti: {one_line(e)}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - the one place that turns any crash into exit 70
        known = _service_error(e)
        if known is not None:
            if args.debug:
                traceback.print_exception(e, file=sys.stderr)
            print(f"somevahti: {one_line(known)}", file=sys.stderr)
            return known.exit_code
        return internal_error(e, args.debug)


if __name__ == "__main__":
    raise SystemExit(main())
