"""The inbox file import (JSON Lines or CSV): errors in line order, language codes checked, an
unclosed CSV quote refused, U+2028 inside a JSON string kept in one comment, deep JSON refused."""

from __future__ import annotations

import json

import pytest

from somevahti.channels.file import parse
from somevahti.errors import InputError


def test_errors_come_in_line_order_whichever_check_found_them():
    lines = [
        json.dumps({"id": "1", "text": "ok"}),
        json.dumps({"id": "2"}),
        "not json",
        json.dumps({"id": "1", "text": "twice"}),
        "[1]",
        json.dumps({"id": "5", "text": "ok", "language": "suomi"}),
    ]
    items, errors = parse("\n".join(lines).encode(), "x.jsonl")
    assert [e.line for e in errors] == [2, 3, 4, 5, 6]
    assert [i.external_id for i in items] == ["1"]
    assert "language" in errors[-1].render()


@pytest.mark.parametrize("code", ["fi", "sv", "en", "se", "fi-FI", "sv_SE"])
def test_real_language_codes_pass(code):
    items, errors = parse(json.dumps({"id": "1", "text": "Hei", "language": code}).encode(), "x.jsonl")
    assert not errors and items[0].language == code[:2].lower()


def test_line_separators_inside_json_strings_do_not_split_a_comment():
    text = (
        json.dumps({"id": "1", "text": "a\u2028b\u0085c"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "2", "text": "d"})
    )
    items, errors = parse(text.encode("utf-8"), "x.jsonl")
    assert not errors and [i.text for i in items] == ["a\u2028b\u0085c", "d"]


def test_deep_json_line_is_a_line_error():
    text = (
        json.dumps({"id": "1", "text": "ok"}) + "\n" + '{"id": "2", "text": ' + "[" * 3000 + "]" * 3000 + "}"
    )
    items, errors = parse(text.encode(), "x.jsonl")
    assert len(items) == 1 and [e.line for e in errors] == [2]


def test_unclosed_csv_quote_is_refused():
    with pytest.raises(InputError, match="x.csv"):
        parse(b'id,text\n1,"never closed\n2,ok\n', "x.csv")
