"""Properties of the readers: whatever bytes arrive (lone surrogates, control characters, deep or
duplicate structure), a reader returns data or raises the one error the CLI prints as a line."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somevahti.document import parse_document, read_stdin_document
from somevahti.errors import InputError
from somevahti.safeload import ParseError, loads_json, loads_yaml
from somevahti.triage.reader import parse

# Everything, surrogates (Cs) and control characters (Cc) included.
any_text = st.text(st.characters(), max_size=200)
controls = st.text(st.characters(categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20)
mixed = st.lists(any_text | controls, max_size=4).map("".join)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(mixed)
def test_json_reader_returns_data_or_parse_error(text):
    try:
        data = loads_json(text)
    except ParseError as e:
        assert "\n" not in str(e)
        return
    json.dumps(data, ensure_ascii=False).encode("utf-8")  # what it returns can be written out


@SETTINGS
@given(mixed)
def test_yaml_reader_returns_data_or_parse_error(text):
    try:
        data = loads_yaml(text)
    except ParseError as e:
        assert "\n" not in str(e)
        return
    json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


@SETTINGS
@given(mixed, st.sampled_from(["text", "yaml", "json"]))
def test_post_document_parses_or_input_error(text, fmt):
    try:
        doc = parse_document(text, fmt, "post")
    except InputError as e:
        assert str(e).startswith("post")
        return
    for body in doc.texts().values():
        body.encode("utf-8")


@SETTINGS
@given(st.binary(max_size=300))
def test_stdin_bytes_parse_or_input_error(raw):
    try:
        read_stdin_document(raw)
    except InputError:
        pass


@SETTINGS
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "text", "language"]), any_text | st.integers(), max_size=3),
        min_size=1,
        max_size=5,
    )
)
def test_triage_lines_with_any_strings(rows):
    """json.dumps escapes surrogates as \\udXXX: the reader warns about those lines and keeps the rest."""
    data = "\n".join(json.dumps(r) for r in rows).encode("utf-8")
    warnings: list[str] = []
    comments = parse(data, "c.jsonl", warnings.append)
    for c in comments:
        c.text.encode("utf-8")
    readable = [r for r in rows if isinstance(r.get("text"), str)]
    assert len(comments) + len(warnings) >= len(readable)
    assert all(w.startswith("c.jsonl:") and "\n" not in w for w in warnings)


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"])
def test_triage_splits_only_on_newline(sep):
    data = (
        json.dumps({"id": 1, "text": f"a{sep}b"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": 2, "text": "c"})
    ).encode("utf-8")
    warnings: list[str] = []
    comments = parse(data, "c.jsonl", warnings.append)
    assert [c.text for c in comments] == [f"a{sep}b", "c"] and not warnings


def test_nesting_just_under_the_limit_is_fine_and_over_is_refused():
    assert loads_json("[" * 64 + "]" * 64)
    with pytest.raises(ParseError, match="nested"):
        loads_json("[" * 65 + "]" * 65)
    with pytest.raises(ParseError, match="nested"):
        loads_json('{"a": ' * 3000 + "1" + "}" * 3000)
    with pytest.raises(ParseError, match="nested"):
        loads_yaml("a: " + "[" * 800 + "]" * 800)


def test_brackets_inside_json_strings_do_not_count_as_nesting():
    assert loads_json(json.dumps({"text": "[" * 5000})) == {"text": "[" * 5000}


def test_yaml_merge_keys_are_not_duplicates_but_repeated_keys_are():
    assert loads_yaml("base: &b {x: 1}\nitem: {<<: *b, x: 2}\n")["item"] == {"x": 2}
    with pytest.raises(ParseError, match="duplicate key 'x'") as e:
        loads_yaml("x: 1\ny: 2\nx: 3\n")
    assert e.value.line == 3


def test_recursive_alias_is_refused():
    with pytest.raises(ParseError, match="refers to itself"):
        loads_yaml("a: &a [1, *a]\n")
