"""The clause catalogue: every clause of the source policies with its stable id (a contract)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).with_name("clauses.yaml")
KINDS = ("check", "audit", "workflow", "moderation", "incident", "archive", "guidance")


@dataclass(frozen=True)
class Clause:
    id: str
    organisation: str
    kind: str
    text: dict[str, str]

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or self.text["en"]


@cache
def clauses() -> dict[str, Clause]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {c["id"]: Clause(c["id"], c["organisation"], c["kind"], c["text"]) for c in data["clauses"]}


def clauses_of(organisation: str) -> list[Clause]:
    return [c for c in clauses().values() if c.organisation == organisation]
