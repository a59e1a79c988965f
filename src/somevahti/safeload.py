"""Reading JSON and YAML that a person or a platform wrote, safely.

Every reader of user files (post documents, packs, lexicons, triage lines) goes through here, so
one crafted file cannot take the process down or hang it:

- nesting deeper than :data:`MAX_DEPTH` is refused (Python's parsers recurse; 3,000 levels of JSON
  or 800 of YAML used to end in a RecursionError);
- a YAML file whose aliases would expand past :data:`MAX_NODES` nodes (an "alias bomb") is refused
  while it is composed, before anything walks the expanded tree, so memory stays bounded;
- duplicate keys are refused (a typo must not silently replace a value);
- lone surrogates (``"\\ud800"``) are refused: they cannot be written out as UTF-8 later;
- YAML dates stay strings, so an impossible date (``2026-02-30``) becomes a validation message of
  the schema instead of a ValueError from the YAML library.

Errors are :class:`ValueError` subclasses carrying a one-line message (``ParseError``); callers
wrap them in their own error with the file name.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_DEPTH = 64
MAX_NODES = 200_000


class ParseError(ValueError):
    """The text cannot be read; ``str(e)`` is one line for a person, ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


# --- JSON ---------------------------------------------------------------------------------------


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ParseError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _json_depth_ok(text: str, limit: int) -> None:
    """Refuse nesting beyond ``limit`` before the recursive decoder sees it (strings skipped)."""
    depth = 0
    in_string = escaped = False
    line = 1
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                raise ParseError(f"nested more than {limit} levels deep", line)
        elif ch in "]}":
            depth -= 1
        elif ch == "\n":
            line += 1


def loads_json(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with the limits above; raises :class:`ParseError`."""
    _json_depth_ok(text, max_depth)
    try:
        data = json.loads(text, object_pairs_hook=_pairs_without_duplicates)
    except json.JSONDecodeError as e:
        raise ParseError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}", e.lineno) from None
    except RecursionError:  # pragma: no cover - the depth scan comes first
        raise ParseError(f"nested more than {max_depth} levels deep") from None
    check_strings(data)
    return data


# --- YAML ---------------------------------------------------------------------------------------


class SafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader with depth, expansion and duplicate-key limits; dates stay strings."""

    max_depth = MAX_DEPTH
    max_nodes = MAX_NODES

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):
        self._depth += 1
        if self._depth > self.max_depth:
            mark = self.peek_event().start_mark
            raise ParseError(f"nested more than {self.max_depth} levels deep", mark.line + 1)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self._sizes:
                self._depth -= 1
                raise ParseError(f"the alias *{event.anchor} refers to itself", event.start_mark.line + 1)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        # The size of the node once every alias is expanded, from its children's sizes (an alias
        # returns the anchored node itself, whose size is known already): counting costs nothing,
        # expanding would cost everything.
        if id(node) not in self._sizes:
            if isinstance(node, yaml.MappingNode):
                size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._sizes.get(id(v), 1) for v in node.value)
            else:
                size = 1
            self._sizes[id(node)] = size
            self._node_refs.append(node)  # keep ids valid while composing
        size = self._sizes[id(node)]
        if size > self.max_nodes:
            raise ParseError(
                f"the YAML expands to more than {self.max_nodes:,} values (aliases); refused",
                node.start_mark.line + 1,
            )
        return node

    def compose_document(self):
        self._node_refs: list = []
        try:
            return super().compose_document()
        finally:
            self._sizes.clear()
            self._node_refs = []

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise ParseError(f"duplicate key {key_node.value!r}", key_node.start_mark.line + 1)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay strings: the schema validates them and says which field is wrong.
SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_error(e: yaml.YAMLError) -> ParseError:
    if isinstance(e, yaml.reader.ReaderError):
        char = e.character if isinstance(e.character, str) else chr(e.character)
        return ParseError(
            f"malformed YAML: control character U+{ord(char):04X} at character {e.position} "
            f"(YAML allows none but tab and line breaks)"
        )
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or "cannot be parsed"
    line = mark.line + 1 if mark else None
    where = f" at line {line}" if line else ""
    return ParseError(f"malformed YAML{where}: {problem}", line)


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree (for line numbers), with the same limits as :func:`loads_yaml`."""
    try:
        return yaml.compose(text, Loader=SafeLoader)
    except yaml.YAMLError as e:
        raise _yaml_error(e) from None
    except RecursionError:
        raise ParseError(f"nested more than {MAX_DEPTH} levels deep") from None


def loads_yaml(text: str) -> Any:
    """``yaml.safe_load`` with the limits above; raises :class:`ParseError`."""
    try:
        data = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as e:
        raise _yaml_error(e) from None
    except RecursionError:
        raise ParseError(f"nested more than {MAX_DEPTH} levels deep") from None
    check_strings(data)
    return data


# --- strings ------------------------------------------------------------------------------------


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_strings(data: Any) -> None:
    """Refuse lone surrogates anywhere in keys or values (iteratively: no recursion)."""
    stack = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                raise ParseError(
                    f"{where or 'text'}: contains a lone surrogate (an invalid \\ud800-\\udfff escape)"
                )
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str) and _has_surrogate(k):
                    raise ParseError("a key contains a lone surrogate (an invalid \\ud800-\\udfff escape)")
                stack.append((v, f"{where}.{k}" if where else str(k)))
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))
