"""The ``somevahti`` command: thin; every subcommand lives in ``somevahti.commands`` and calls the core."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from somevahti import __version__, commands
from somevahti.errors import SomevahtiError
from somevahti.i18n import _


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="somevahti", description=_("Social media policy as code: checks, registry, inbox and archive."))
    parser.add_argument("--version", action="version", version=f"somevahti {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{mod.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SomevahtiError as e:
        print(f"somevahti: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
