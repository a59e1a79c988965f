"""Findings for people (the sentence with the words marked) and for machines (JSON)."""

from __future__ import annotations

import os
import re
import sys

from somevahti.findings import Finding, Report, Severity
from somevahti.i18n import _

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.SUGGESTION: "36"}


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ


_END = re.compile(r"[.!?]+(?=\s+[A-ZÅÄÖ\"“”«»(]|\s*$)|\n")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: ends at . ! ? before a capital or the end, or a line break
    (so "klo 18.30" and "kl. 18" do not cut a sentence)."""
    left, right = 0, len(text)
    for m in _END.finditer(text):
        if m.end() <= start:
            left = m.end()
        elif m.start() >= end:
            right = m.end()
            break
    if right - left > 240:
        left, right = max(left, start - 100), min(right, end + 100)
    return left, right


def marked_excerpt(text: str, span: tuple[int, int], colour: bool) -> str:
    start, end = span
    left, right = _sentence_bounds(text, start, end)
    before, hit, after = text[left:start], text[start:end], text[end:right]
    hit = f"\x1b[1;4;31m{hit}\x1b[0m" if colour else f"»{hit}«"
    return (before + hit + after).strip().replace("\n", " ")


def severity_label(sev: Severity) -> str:
    return {Severity.ERROR: _("error"), Severity.WARNING: _("warning"), Severity.SUGGESTION: _("suggestion")}[
        sev
    ]


def render_finding(f: Finding, text_of, colour: bool) -> str:
    label = severity_label(f.severity)
    if colour:
        label = f"\x1b[{_COLOURS[f.severity]}m{label}\x1b[0m"
    where = f.field + (f":{f.span[0]}-{f.span[1]}" if f.span else "")
    lines = [f"  {label}  {f.rule}  [{', '.join(f.clauses)}]  {where}", f"    {f.message}"]
    text = text_of(f.field)
    if f.span and text:
        lines.append(f"    {marked_excerpt(text, f.span, colour)}")
    if f.suggestion:
        lines.append("    " + _("Suggestion") + f": {f.suggestion}")
    return "\n".join(lines)


def render_report(report: Report, text_of, colour: bool) -> str:
    head = f"{report.source}: "
    if not report.findings:
        return head + _("no findings")
    counts = report.summary()
    head += ", ".join(f"{counts[str(s)]} {severity_label(s)}" for s in Severity if counts[str(s)])
    return "\n".join([head, *(render_finding(f, text_of, colour) for f in report.findings)])
