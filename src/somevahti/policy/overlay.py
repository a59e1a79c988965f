"""Overlay packs: ``extends: <base>`` plus only what differs from the base (issue 12, the policy wizard).

An overlay is plain pack YAML, so ``somevahti policy validate FILE`` and ``somevahti check --policy
FILE`` read it like any pack (the loader's ``extends`` does the merge). This module builds one value
by value — every :func:`set_value` compares with the base and writes only a difference — and reads
one back from text with the loader's ``file:line`` errors.

The web wizard keeps the overlay text of a draft; an uploaded overlay may name no files (directory,
lexicon files) and must extend a built-in pack, so an upload cannot make the server read its disk.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from somevahti.errors import PackError
from somevahti.policy.loader import _line_map, available_packs, load_pack, load_pack_text
from somevahti.policy.schema import Pack
from somevahti.safeload import ParseError, compose_yaml, loads_yaml

BASES = ("kirkkonummi", "ranua", "kela", "foretaget", "generic")
HEAD = ("id", "version", "extends")
_SAME = object()


def new_overlay(base: str, pack_id: str | None = None, version: str | None = None) -> dict:
    """An overlay that changes nothing yet: the base pack under its own id and version."""
    pack = load_pack(base)
    return {"id": pack_id or pack.id, "version": str(version or pack.version), "extends": base}


def dump(data: dict) -> str:
    """The overlay as YAML: id, version and extends first, then the sections in the order set."""
    ordered = {k: data[k] for k in HEAD if k in data} | {k: v for k, v in data.items() if k not in HEAD}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=110)


def _line(text: str, key: str) -> int:
    try:
        node = compose_yaml(text)
    except ParseError:
        return 1
    return _line_map(node).get((key,), 1) if node is not None else 1


def parse(text: str, name: str = "overlay.yaml") -> dict:
    """The overlay's data, checked as a whole pack (merged over its base). Raises PackError
    (``name:line: field: what is wrong``)."""
    try:
        data = loads_yaml(text)
    except ParseError as e:
        raise PackError(f"{name}{f':{e.line}' if e.line else ''}: {e}") from None
    if not isinstance(data, dict):
        raise PackError(f"{name}:1: an overlay is a YAML mapping with 'extends' and what it changes")
    base = data.get("extends")
    if base not in available_packs():
        raise PackError(
            f"{name}:{_line(text, 'extends')}: extends: give one of the built-in packs ({', '.join(BASES)})"
        )
    if "directory" in data:
        raise PackError(
            f"{name}:{_line(text, 'directory')}: directory: an overlay names no files "
            "(the staff directory comes from the registry)"
        )
    for lexicon, spec in (
        (data.get("lexicons") or {}).items() if isinstance(data.get("lexicons"), dict) else ()
    ):
        if isinstance(spec, str) or (isinstance(spec, dict) and "file" in spec):
            raise PackError(
                f"{name}:{_line(text, 'lexicons')}: lexicons.{lexicon}: an overlay names no files "
                "(give the terms in the pack)"
            )
    load_pack_text(text, name)
    return data


def load(text: str, name: str = "overlay.yaml") -> Pack:
    """The merged pack of an overlay (raises PackError with file:line)."""
    parse(text, name)
    return load_pack_text(text, name)


def base_value(pack: Pack, path: tuple) -> Any:
    """The value at ``path`` (keys) in a pack's data as the overlay would write it; None if absent."""
    value: Any = pack.model_dump(mode="json", exclude={"base_dir"})
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _diff(new: Any, old: Any) -> Any:
    """What of ``new`` differs from ``old`` under the loader's merge: mappings key by key, the rest whole."""
    if isinstance(new, dict) and isinstance(old, dict):
        out = {}
        for key, value in new.items():
            d = _diff(value, old[key]) if key in old else value
            if d is not _SAME:
                out[key] = d
        return out if out else _SAME
    return _SAME if new == old else new


def _prune(data: dict, path: tuple) -> None:
    """Drop the mappings along ``path`` that became empty."""
    for n in range(len(path) - 1, 0, -1):
        parent = data
        for key in path[: n - 1]:
            parent = parent.get(key, {})
        if isinstance(parent.get(path[n - 1]), dict) and not parent[path[n - 1]]:
            del parent[path[n - 1]]


def set_value(data: dict, path: tuple, value: Any, base: Any = _SAME, base_pack: Pack | None = None) -> dict:
    """A copy of the overlay with ``value`` at ``path`` where it differs from the base (``base``, or
    the base pack's value there); where it does not, the path is removed from the overlay."""
    out = copy.deepcopy(data)
    if base is _SAME:
        base = base_value(base_pack or load_pack(out["extends"]), path)
    diff = _diff(value, base)
    parent = out
    for key in path[:-1]:
        if not isinstance(parent.get(key), dict):
            parent[key] = {}
        parent = parent[key]
    parent.pop(path[-1], None)
    if diff is not _SAME:
        parent[path[-1]] = diff
    _prune(out, path)
    return out


def set_rule(
    data: dict, rule_id: str, *, enabled: bool, severity: str, base_pack: Pack | None = None
) -> dict:
    """A copy of the overlay with the inherited rule switched on or off and at this severity; a rule
    as the base has it is left out of the overlay."""
    base_pack = base_pack or load_pack(data["extends"])
    rule = next((r for r in base_pack.rules if r.id == rule_id), None)
    if rule is None:
        raise PackError(f"rules: no rule {rule_id!r} in the base pack {base_pack.id!r}")
    out = copy.deepcopy(data)
    rules = list(out.get("rules") or [])
    entry = next((r for r in rules if r.get("id") == rule_id), None)
    if entry is None:
        entry = {"id": rule_id}
        rules.append(entry)
    entry.pop("enabled", None)
    entry.pop("severity", None)
    if enabled != rule.enabled:
        entry["enabled"] = enabled
    if severity != str(rule.severity):
        entry["severity"] = severity
    rules = [r for r in rules if set(r) != {"id"}]  # what a hand edit added to a rule stays
    if rules:
        out["rules"] = rules
    else:
        out.pop("rules", None)
    return out
