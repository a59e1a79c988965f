"""Pinned posts (KIRK-6.3): a pin has an end date, not too far away, not already past."""

from datetime import date, timedelta

import pytest

from tests.helpers import checker_for, doc


def today() -> date:
    """Read when each test runs, not when the module is imported: a suite that crosses midnight
    would otherwise compare yesterday's date with the rule's today."""
    return date.today()


def rule(**params):
    variants = ("no_end", "too_long", "expired")
    return {
        "id": "pin",
        "family": "pinning",
        "severity": "warning",
        "params": params,
        "messages": {v: {"fi": f"{v} {{days}} {{date}}", "sv": v, "en": v} for v in variants},
    }


@pytest.fixture
def pins(tmp_path):
    return checker_for(tmp_path, [rule(max_days=14)])


def messages(checker, **fields):
    return [f.message for f in checker.check(doc(text={"fi": "Kesän aukioloajat"}, **fields))]


def test_a_pin_without_an_end_date_is_reported(pins):
    found = pins.check(doc(text={"fi": "Kesän aukioloajat"}, pinned=True))
    assert [(f.message.split()[0], f.field, f.span) for f in found] == [("no_end", "pinned", None)]


def test_a_pin_with_an_end_date_within_the_limit_passes(pins):
    assert messages(pins, pinned=True, pinned_until=today() + timedelta(days=14)) == []
    assert messages(pins, pinned_until=today()) == [], "ending today is still current"


def test_an_unpinned_post_passes(pins):
    assert messages(pins) == []
    assert messages(pins, pinned=False) == []


def test_a_pin_longer_than_max_days_is_too_long(pins):
    found = pins.check(doc(text={"fi": "x"}, pinned=True, pinned_until=today() + timedelta(days=60)))
    assert [f.message.split()[:2] for f in found] == [["too_long", "60"]]
    assert found[0].suggestion == (today() + timedelta(days=14)).isoformat()


def test_an_end_date_in_the_past_has_expired(pins):
    past = today() - timedelta(days=3)
    assert messages(pins, pinned=True, pinned_until=past) == [f"expired {{days}} {past.isoformat()}"]


def test_without_max_days_any_future_end_date_passes(tmp_path):
    checker = checker_for(tmp_path, [rule()])
    assert messages(checker, pinned_until=today() + timedelta(days=365)) == []
    assert [m.split()[0] for m in messages(checker, pinned=True)] == ["no_end"]


def test_max_days_must_be_positive(tmp_path):
    from somevahti.errors import PackError

    with pytest.raises(PackError, match="max_days"):
        checker_for(tmp_path, [rule(max_days=0)])
