"""Canonical JSON (RFC 8785) and the record hash."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somevahti.archive.records import CanonicalError, canonical, header_body, sha256_hex, timestamp


def test_keys_sorted_no_whitespace_utf8():
    assert canonical({"b": 1, "a": [True, None, "ä"]}) == '{"a":[true,null,"ä"],"b":1}'.encode()


def test_keys_sorted_by_utf16_code_units_not_code_points():
    # U+1F600 is a surrogate pair (D83D …) in UTF-16 and sorts before U+E000; by code point it would not
    assert canonical({"\ue000": 1, "\U0001f600": 2}) == '{"😀":2,"\ue000":1}'.encode()


@pytest.mark.parametrize(
    "value, text",
    [
        (1.0, "1"),
        (100.0, "100"),
        (0.1, "0.1"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (123.456, "123.456"),
        (5e-324, "5e-324"),
        (2**53 - 1, "9007199254740991"),
    ],
)
def test_numbers_in_ecmascript_form(value, text):
    assert canonical(value) == text.encode()


def test_string_escapes_are_minimal():
    assert canonical('a"\\\n\t\x01/é€') == b'"a\\"\\\\\\n\\t\\u0001/\xc3\xa9\xe2\x82\xac"'


def test_timestamps_are_normalised_to_utc_microseconds():
    helsinki = timezone(timedelta(hours=3))
    assert (
        canonical({"t": datetime(2024, 5, 1, 12, 30, tzinfo=helsinki)})
        == b'{"t":"2024-05-01T09:30:00.000000Z"}'
    )
    assert timestamp("2024-05-01T12:30:00+03:00") == "2024-05-01T09:30:00.000000Z"
    with pytest.raises(CanonicalError):
        timestamp(datetime(2024, 5, 1))  # no time zone: ambiguous


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), 2**53, b"bytes", {1: "x"}, {"s": {1, 2}}, "\ud800"]
)
def test_values_without_a_canonical_form_are_refused(bad):
    with pytest.raises(CanonicalError):
        canonical(bad)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(-1e15, 1e15)  # beyond 2**53 an integral double reads back as a too-large int
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_canonical_form_parses_back_to_the_same_value_and_is_stable(value):
    data = canonical(value)
    assert json.loads(data) == value
    assert canonical(json.loads(data)) == data


@given(
    st.text(), st.one_of(st.none(), st.text()), st.lists(st.sampled_from(["a" * 64, "b" * 64]), max_size=3)
)
def test_fast_header_hash_equals_canonical_header_hash(actor, subject, media):
    header = {
        "v": 1,
        "org": "kunta",
        "seq": 7,
        "kind": "post",
        "recorded": "2024-01-01T00:00:00.000000Z",
        "occurred": "2024-01-01T00:00:00.000000Z",
        "account": None,
        "actor": actor,
        "subject": subject,
        "content": "c" * 64,
        "raw": None,
        "media": media,
    }
    fast = header_body(
        "kunta",
        7,
        "post",
        header["recorded"],
        header["occurred"],
        None,
        actor,
        subject,
        "c" * 64,
        None,
        media,
    )
    assert fast == sha256_hex(canonical(header))


def test_record_hash_depends_on_every_header_field(archive):
    rec = archive.append("post", {"texts": {"fi": "Hei"}}, org="kunta", account="fb", subject="x:1")
    assert rec.computed_hash() == rec.hash
    assert rec.content == sha256_hex(canonical({"texts": {"fi": "Hei"}}))
    for change in ({"account": "ig"}, {"seq": 2}, {"actor": "someone"}, {"content": "0" * 64}):
        fields = {**rec.header(), **change}
        other = header_body(
            fields["org"],
            fields["seq"],
            fields["kind"],
            fields["recorded"],
            fields["occurred"],
            fields["account"],
            fields["actor"],
            fields["subject"],
            fields["content"],
            fields["raw"],
            fields["media"],
        )
        assert other != rec.body


def test_now_is_utc():
    assert timestamp().endswith("Z")
    assert abs(datetime.fromisoformat(timestamp().replace("Z", "+00:00")) - datetime.now(UTC)) < timedelta(
        seconds=5
    )
