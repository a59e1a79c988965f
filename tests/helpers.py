"""Small builders shared by tests: a pack from YAML text, a checker from rule dicts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

from somevahti.check import Checker
from somevahti.document import PostDocument
from somevahti.policy.loader import load_pack

MESSAGE = {"fi": "Viesti {text}", "sv": "Meddelande {text}", "en": "Message {text}"}


def write_pack(tmp_path: Path, body: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def pack_with_rules(tmp_path: Path, rules: list[dict], **top) -> Path:
    data = {
        "id": "testpack",
        "organisation": {
            "name": "Testikunta",
            "email_domains": ["testikunta.fi"],
            "web_domains": ["testikunta.fi"],
            "website": "https://www.testikunta.fi",
        },
        "languages": {"allowed": ["fi", "sv", "en"]},
        **top,
        "rules": [{"severity": "error", "clauses": ["KIRK-5.3"], "message": MESSAGE, **r} for r in rules],
    }
    path = tmp_path / f"pack-{len(list(tmp_path.iterdir()))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def checker_for(tmp_path: Path, rules: list[dict], **top) -> Checker:
    return Checker(load_pack(str(pack_with_rules(tmp_path, rules, **top))))


def doc(**fields) -> PostDocument:
    return PostDocument.model_validate(fields)
