"""CSV cells that a spreadsheet will not run as formulas (CSV/formula injection, OWASP).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with an
apostrophe on export; the registry import removes exactly that apostrophe again, so an exported
file imports back unchanged. Every CSV export of the web application goes through :func:`safe_cell`.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value[:1] in TRIGGERS:
        return "'" + value
    return value


def unescape_cell(value):
    """What :func:`safe_cell` added, removed (for imports of our own exports)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in TRIGGERS and value[1:2] != "":
        return value[1:]
    return value


def safe_dataset(dataset):
    """A tablib Dataset with every cell made safe (headers included)."""
    import tablib

    out = tablib.Dataset(headers=[safe_cell(h) for h in dataset.headers or []])
    for row in dataset:
        out.append([safe_cell(c) for c in row])
    return out
