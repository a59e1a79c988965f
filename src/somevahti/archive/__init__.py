"""The tamper-evident archive: every version of every post, comment and moderation action.

Write through :meth:`Archive.append` only (see docs/archive.md); read with ``records``,
``search``; check with ``verify``; hand out with ``export``.
"""

from somevahti.archive.api import Archive, Checkpoint
from somevahti.archive.records import Record

__all__ = ["Archive", "Checkpoint", "Record"]
