"""What a check says about a post: findings that cite clauses and point at text spans."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    SUGGESTION = "suggestion"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.SUGGESTION: 2}


@dataclass(frozen=True)
class Hit:
    """What a rule family reports: where, and the values its message template needs.

    ``variant`` picks one of the rule's alternative messages (``messages:`` in the pack);
    ``data`` fills the ``{placeholders}`` of the message.
    """

    field: str
    span: tuple[int, int] | None = None
    data: dict = field(default_factory=dict)
    variant: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    clauses: list[str]
    severity: Severity
    message: str
    field: str
    span: tuple[int, int] | None
    suggestion: str | None = None
    family: str = ""

    def to_json(self) -> dict:
        d = asdict(self)
        d["severity"] = str(self.severity)
        d["span"] = list(self.span) if self.span else None
        d.pop("family")
        return d


@dataclass
class Report:
    """The findings for one input, with its path for batch output."""

    source: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    def summary(self) -> dict:
        counts = {str(s): 0 for s in Severity}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return {"source": self.source, "findings": len(self.findings), **counts}
