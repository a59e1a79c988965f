"""Errors a user can act on. The CLI prints them as one line; never a traceback.

Exit codes mean one thing each across the command line (``docs/operations.md``):
0 clean, 1 findings or problems found, 2 bad input or configuration (:class:`SomevahtiError`),
3 a platform or service failed (:class:`ServiceError`), 70 an unexpected internal error.
"""

import sys
import traceback

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_SERVICE = 3
EXIT_INTERNAL = 70


class SomevahtiError(Exception):
    """Base class: the message is for a person and names what to fix."""

    exit_code = EXIT_INPUT


class InputError(SomevahtiError):
    """A post, comment file or other input could not be read."""


class PackError(SomevahtiError):
    """A policy pack could not be loaded: the message names the file, the line or field and the problem."""


class ConfigError(SomevahtiError):
    """The configuration (environment, database URL, settings) is wrong or incomplete."""


class ServiceError(SomevahtiError):
    """A platform, the database or another service failed or could not be reached."""

    exit_code = EXIT_SERVICE


def one_line(text: object) -> str:
    """A message on one line (a file name or platform text may bring newlines of its own)."""
    return " ".join(str(text).split()) or "(no message)"


def internal_error(e: BaseException, debug: bool, where: str = "") -> int:
    """Report an unexpected exception as one line (the traceback only with --debug); returns 70."""
    if debug:
        traceback.print_exception(e, file=sys.stderr)
    prefix = f"{where}: " if where else ""
    from somevahti.i18n import _

    hint = "" if debug else _(" (run with --debug for the traceback)")
    print(
        f"somevahti: {prefix}" + _("internal error") + f": {type(e).__name__}: {one_line(e)[:300]}{hint}",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
