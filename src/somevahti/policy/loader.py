"""Load a policy pack: YAML → extends resolved → schema → families and clauses verified.

Errors name the file, the line and the field path, e.g.
``mypack.yaml:14: rules[2].family: unknown rule family 'persnal_data' (did you mean 'personal_data'?)``.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from somevahti.errors import PackError
from somevahti.policy.clauses import clauses
from somevahti.policy.schema import Pack
from somevahti.policy.validate import check_messages
from somevahti.safeload import ParseError, compose_yaml, loads_yaml

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "packs"

Path_ = tuple  # a field path such as ("rules", 2, "family")


def available_packs() -> list[str]:
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def _resolve(name_or_path: str, relative_to: Path | None = None) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in {".yaml", ".yml"}:
        if not candidate.is_absolute() and relative_to is not None and not candidate.exists():
            candidate = relative_to / candidate
        if candidate.is_file():
            return candidate
        raise PackError(f"{name_or_path}: no such pack file")
    builtin = BUILTIN_DIR / f"{name_or_path}.yaml"
    if builtin.is_file():
        return builtin
    known = available_packs()
    hint = difflib.get_close_matches(name_or_path, known, n=1)
    more = f" (did you mean {hint[0]!r}?)" if hint else f" (built-in packs: {', '.join(known)})"
    raise PackError(f"unknown policy pack {name_or_path!r}{more}")


def _line_map(node, path: Path_ = (), out: dict | None = None, seen: set | None = None) -> dict:
    """Field path → 1-based line, from a composed YAML node tree (an aliased node is walked once)."""
    out = {} if out is None else out
    seen = set() if seen is None else seen
    out[path] = node.start_mark.line + 1
    if id(node) in seen:
        return out
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[path + (key.value,)] = key.start_mark.line + 1
            _line_map(value, path + (key.value,), out, seen)
            out[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, path + (i,), out, seen)
    return out


class _Source:
    """One YAML file: its data and where each field stands."""

    def __init__(self, path: Path, text: str | None = None):
        self.path = path  # as the messages name it
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise PackError(f"{path}: cannot be read ({e})") from None
        try:
            node = compose_yaml(text)
            self.data = loads_yaml(text)
        except ParseError as e:
            line = f":{e.line}" if e.line else ""
            raise PackError(f"{path}{line}: {e}") from None
        if not isinstance(self.data, dict):
            raise PackError(
                f"{path}: a pack is a YAML mapping with at least 'id', 'organisation' and 'rules'"
            )
        self.lines = _line_map(node) if node is not None else {}
        self._check_shapes()
        self._anchor_paths()

    def _check_shapes(self) -> None:
        """The keys that merging reads before the schema sees them: wrong types there would crash."""

        def line(key):
            return f"{self.path}:{self.lines.get((key,), 1)}"

        rules = self.data.get("rules")
        if rules is not None and not isinstance(rules, list):
            raise PackError(f"{line('rules')}: rules: a list of rules (each a mapping with id, family, ...)")
        disable = self.data.get("disable")
        if disable is not None and not (
            isinstance(disable, list) and all(isinstance(d, str) for d in disable)
        ):
            raise PackError(f"{line('disable')}: disable: a list of rule ids")
        for key in ("lexicons", "directory", "version", "id"):
            value = self.data.get(key)
            if key == "lexicons" and value is not None and not isinstance(value, dict):
                raise PackError(f"{line(key)}: lexicons: a mapping of lexicon name to file or terms")
            if (
                key in {"directory", "version", "id"}
                and value is not None
                and not isinstance(value, str | int | float)
            ):
                raise PackError(f"{line(key)}: {key}: a single value, not a list or mapping")

    def _anchor_paths(self) -> None:
        """Files a pack names are relative to that pack, also when another pack extends it."""
        base = self.path.parent

        def anchored(value):
            return (
                str((base / value).resolve())
                if isinstance(value, str) and not Path(value).is_absolute()
                else value
            )

        if isinstance(self.data.get("directory"), str):
            self.data["directory"] = anchored(self.data["directory"])
        lexicons = self.data.get("lexicons")
        if isinstance(lexicons, dict):
            for name, spec in lexicons.items():
                if isinstance(spec, str):
                    lexicons[name] = anchored(spec)
                elif isinstance(spec, dict) and isinstance(spec.get("file"), str):
                    spec["file"] = anchored(spec["file"])


def _deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _deep_merge(base.get(key), value) if key in base else value
        return merged
    return override


class _Merged:
    """Merged data with, for each top-level rule, the file and path it came from (for error lines)."""

    def __init__(self, src: _Source):
        self.data = dict(src.data)
        self.origin: dict[Path_, tuple[_Source, Path_]] = {(): (src, ())}
        for i, _ in enumerate(self.data.get("rules") or []):
            self.origin[("rules", i)] = (src, ("rules", i))
        self.sources = [src]

    def apply(self, child: _Source) -> None:
        rules = list(self.data.get("rules") or [])
        index = {r.get("id"): i for i, r in enumerate(rules) if isinstance(r, dict)}
        for ci, rule in enumerate(child.data.get("rules") or []):
            rid = rule.get("id") if isinstance(rule, dict) else None
            if rid in index:
                rules[index[rid]] = _deep_merge(rules[index[rid]], rule)
                self.origin[("rules", index[rid])] = (child, ("rules", ci))
            else:
                rules.append(rule)
                self.origin[("rules", len(rules) - 1)] = (child, ("rules", ci))
        disabled = set(child.data.get("disable") or [])
        merged = _deep_merge(
            {k: v for k, v in self.data.items() if k != "rules"},
            {k: v for k, v in child.data.items() if k not in {"rules", "extends"}},
        )
        keep = [(i, r) for i, r in enumerate(rules) if not (isinstance(r, dict) and r.get("id") in disabled)]
        self.origin = {k: v for k, v in self.origin.items() if k[:1] != ("rules",)} | {
            ("rules", new): self.origin[("rules", old)]
            for new, (old, _) in enumerate(keep)
            if ("rules", old) in self.origin
        }
        merged["rules"] = [r for _, r in keep]
        merged["extends"] = child.data.get("extends")
        self.data = merged
        self.origin[()] = (child, ())
        self.sources.append(child)

    def where(self, loc: Path_) -> str:
        if loc[:1] == ("rules",) and len(loc) >= 2 and ("rules", loc[1]) in self.origin:
            src, prefix = self.origin[("rules", loc[1])]
            sub = prefix + tuple(loc[2:])
        else:
            src, sub = None, tuple(loc)
            for cand in reversed(self.sources):
                if sub in cand.lines or sub[:1] in cand.lines:
                    src = cand
                    break
            src = src or self.sources[-1]
        for n in range(len(sub), -1, -1):
            if sub[:n] in src.lines:
                return f"{src.path}:{src.lines[sub[:n]]}"
        return str(src.path)


def _fmt_loc(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "pack"


def _read_chain(path: Path, seen: tuple[Path, ...] = (), text: str | None = None) -> _Merged:
    """``text``: the pack's YAML given directly (a wizard draft); ``path`` then only names it."""
    label = path
    path = path.resolve()  # ../packs/self.yaml is self.yaml: a cycle however it is spelled
    if path in seen:
        chain = " → ".join(str(p) for p in (*seen, path))
        raise PackError(f"{path}: 'extends' goes round in a circle: {chain}")
    src = _Source(path if text is None else label, text)
    parent = src.data.get("extends")
    if parent:
        if not isinstance(parent, str):
            raise PackError(
                f"{src.path}:{src.lines.get(('extends',), 1)}: extends: give one pack name or file"
            )
        merged = _read_chain(_resolve(parent, path.parent), (*seen, path))
        merged.apply(src)
        return merged
    return _Merged(src)


def _check_rules(pack: Pack, merged: _Merged) -> None:
    from somevahti.rules import family_names, get_family

    known_clauses = clauses()
    for i, rule in enumerate(pack.rules):
        try:
            family = get_family(rule.family)
        except KeyError:
            hint = difflib.get_close_matches(rule.family, family_names(), n=1)
            did = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise PackError(
                f"{merged.where(('rules', i, 'family'))}: rules[{i}].family: "
                f"unknown rule family {rule.family!r}{did}"
            ) from None
        for cid in rule.clauses:
            if cid not in known_clauses:
                raise PackError(
                    f"{merged.where(('rules', i, 'clauses'))}: rules[{i}].clauses: unknown clause id {cid!r}"
                )
        try:
            family.Params.model_validate(rule.params)
        except ValidationError as e:
            err = e.errors()[0]
            loc = ("rules", i, "params", *err["loc"])
            raise PackError(f"{merged.where(loc)}: {_fmt_loc(loc)}: {err['msg']}") from None
    for cid in pack.guidance:
        if cid not in known_clauses:
            raise PackError(f"{merged.where(('guidance',))}: guidance: unknown clause id {cid!r}")
    check_messages(pack, merged.where)
    for i, placement in enumerate(pack.composer.guidance):
        if placement.clause not in known_clauses:
            raise PackError(
                f"{merged.where(('composer', 'guidance', i))}: composer.guidance[{i}].clause: "
                f"unknown clause id {placement.clause!r}"
            )


def load_pack(name_or_path: str) -> Pack:
    """Load, merge and validate a pack by built-in name or file path. Raises PackError."""
    return _load_cached(str(_resolve(name_or_path).resolve()))


def load_pack_text(text: str, name: str = "pack.yaml") -> Pack:
    """Load a pack given as YAML text (a wizard draft, an upload); errors name ``name`` and the line.
    Its ``extends`` names a built-in pack (or a file relative to the working directory)."""
    return _load_text_cached(text, name)


@lru_cache(maxsize=32)
def _load_text_cached(text: str, name: str) -> Pack:
    return _finish(_read_chain(Path(name), text=text), Path(name).resolve())


@lru_cache(maxsize=32)
def _load_cached(path: str) -> Pack:
    return _finish(_read_chain(Path(path)), Path(path))


def _finish(merged: _Merged, path: Path) -> Pack:
    data = dict(merged.data)
    data.pop("extends", None)
    try:
        pack = Pack.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        raise PackError(f"{merged.where(loc)}: {_fmt_loc(loc)}: {err['msg']}") from None
    pack.base_dir = str(path.parent)
    pack.extends = merged.sources[-1].data.get("extends")
    _check_rules(pack, merged)
    return pack
