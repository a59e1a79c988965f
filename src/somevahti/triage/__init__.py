"""Triage of incoming comments (issue 5): Jigsaw labels, rule reasons, a handling category and the
policy clauses that ask for it. ``Triager(pack).triage([Comment(...)])``; see docs/triage.md."""

from somevahti.triage.engine import Comment, Result, Triager

__all__ = ["Comment", "Result", "Triager"]
