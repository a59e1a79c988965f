"""A pack version as something to keep and compare: its full content (the merged pack and the texts of
the clauses it answers for), a content hash, a short label that check results and audit findings
record, and a readable difference between two versions.

The web application keeps every version put in force (``web/policy/models.py``); the core knows
nothing of who approved it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import yaml

from somevahti.policy.schema import Pack

RULE_FIELDS = ("family", "severity", "clauses", "when", "params", "message", "messages", "enabled")


def content(pack: Pack) -> dict:
    """Everything a version says: the merged pack and the clause texts it answers for."""
    from somevahti.policy.render import pack_clauses

    return {
        "pack": pack.model_dump(mode="json", exclude={"base_dir"}),
        "clauses": {c.id: dict(c.text) for c in pack_clauses(pack)},
    }


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest_of(data: dict) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


_digests: dict[int, tuple[Pack, str]] = {}  # loaded packs are cached and not changed: hash each once


def digest(pack: Pack) -> str:
    known = _digests.get(id(pack))
    if known is not None and known[0] is pack:
        return known[1]
    value = digest_of(content(pack))
    if len(_digests) > 64:
        _digests.clear()
    _digests[id(pack)] = (pack, value)
    return value


def source(pack: Pack) -> str:
    """The version's full content as YAML (what is stored and shown)."""
    return yaml.safe_dump(content(pack), allow_unicode=True, sort_keys=False, width=110)


def label(pack: Pack) -> str:
    """``kirkkonummi 2026.11 #1a2b3c4d5e6f``: what check results and audit findings record."""
    return f"{pack.id} {pack.version} #{digest(pack)[:12]}"


def version_info(pack: Pack) -> dict:
    return {"id": pack.id, "version": pack.version, "digest": digest(pack)[:12]}


# -- differences -----------------------------------------------------------------------------------


@dataclass
class RuleChange:
    rule: str
    changes: list[tuple[str, object, object]]  # (field, old, new)


@dataclass
class Difference:
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: list[RuleChange] = field(default_factory=list)
    clauses_changed: list[tuple[str, str, str | None, str | None]] = field(
        default_factory=list
    )  # id, lang, old, new
    clauses_added: list[str] = field(default_factory=list)
    clauses_removed: list[str] = field(default_factory=list)
    sections_changed: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
                self.clauses_changed,
                self.clauses_added,
                self.clauses_removed,
                self.sections_changed,
            )
        )


def _flat(value, prefix: str = "") -> dict[str, object]:
    """Nested mappings as dotted keys, so a change names the exact parameter (params.max_days)."""
    if isinstance(value, dict) and value:
        out: dict[str, object] = {}
        for k, v in value.items():
            out |= _flat(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return {prefix: value}


def compare(old: dict, new: dict) -> Difference:
    """What changed from one version's :func:`content` to another's."""
    diff = Difference()
    old_rules = {r["id"]: r for r in old["pack"].get("rules", [])}
    new_rules = {r["id"]: r for r in new["pack"].get("rules", [])}
    diff.rules_added = [r for r in new_rules if r not in old_rules]
    diff.rules_removed = [r for r in old_rules if r not in new_rules]
    for rid, rule in new_rules.items():
        if rid not in old_rules:
            continue
        before, after = (
            _flat({k: old_rules[rid].get(k) for k in RULE_FIELDS}),
            _flat({k: rule.get(k) for k in RULE_FIELDS}),
        )
        changes = [
            (k, before.get(k), after.get(k))
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)
        ]
        if changes:
            diff.rules_changed.append(RuleChange(rid, changes))
    old_clauses, new_clauses = old.get("clauses", {}), new.get("clauses", {})
    diff.clauses_added = [c for c in new_clauses if c not in old_clauses]
    diff.clauses_removed = [c for c in old_clauses if c not in new_clauses]
    for cid, text in new_clauses.items():
        for lang in ("fi", "sv", "en"):
            if cid in old_clauses and old_clauses[cid].get(lang) != text.get(lang):
                diff.clauses_changed.append((cid, lang, old_clauses[cid].get(lang), text.get(lang)))
    before = _flat({k: v for k, v in old["pack"].items() if k != "rules"})
    after = _flat({k: v for k, v in new["pack"].items() if k != "rules"})
    diff.sections_changed = [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]
    return diff
