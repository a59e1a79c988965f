"""One registry mechanism for connectors, rule families and audit rules: Python entry points.

An outside package extends somevahti by declaring entry points in its own ``pyproject.toml``::

    [project.entry-points."somevahti.connectors"]
    threads = "somevahti_threads.connector:ThreadsConnector"   # a Connector subclass
    [project.entry-points."somevahti.rules"]
    readability = "somevahti_readability"                      # a module whose @register classes load
    [project.entry-points."somevahti.audits"]
    mfa = "somevahti_mfa.audits"                               # a module of @audit_rule functions

An entry point names a module (importing it registers what it decorates) or a class (registered
by the group's ``register``). The built-ins are declared the same way in somevahti's own
``pyproject.toml``; ``pip install -e .`` refreshes that metadata. A plug-in that fails to load is
reported by name and skipped, so one broken package does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points

log = logging.getLogger("somevahti.plugins")

GROUPS = ("somevahti.connectors", "somevahti.rules", "somevahti.audits")
_loaded: dict[str, list[str]] = {}
failures: dict[str, str] = {}  # "group:name" → why it did not load


def load(group: str, register: Callable[[type], object] | None = None) -> list[str]:
    """Load every entry point of ``group`` once; classes go to ``register``. Returns the names loaded."""
    if group in _loaded:
        return _loaded[group]
    names: list[str] = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            obj = ep.load()
            if isinstance(obj, type) and register is not None:
                register(obj)
        except Exception as e:  # noqa: BLE001 - a broken plug-in is named, the others still load
            failures[f"{group}:{ep.name}"] = f"{type(e).__name__}: {e}"
            log.warning("somevahti plug-in %s (%s) did not load: %s", ep.name, ep.value, e)
            continue
        names.append(ep.name)
    _loaded[group] = names
    return names


def reset() -> None:
    """Forget what was loaded (tests that install a distribution at run time)."""
    _loaded.clear()
    failures.clear()
