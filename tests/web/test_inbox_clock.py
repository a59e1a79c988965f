"""The response-time clock counts business hours in Helsinki time, skipping weekends and holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from somevahti.web.inbox.clock import BusinessHours
from somevahti.web.inbox.reports import percentile

HEL = ZoneInfo("Europe/Helsinki")
HOURS = BusinessHours()  # Mon–Fri 8–16, Finnish public holidays


def at(y, m, d, h, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=HEL)


def test_within_one_day():
    assert HOURS.deadline(at(2026, 11, 16, 9), 4) == at(2026, 11, 16, 13)  # Monday


def test_friday_afternoon_runs_into_monday():
    assert HOURS.deadline(at(2026, 11, 20, 14), 4) == at(2026, 11, 23, 10)


def test_weekend_arrival_starts_on_monday_morning():
    assert HOURS.deadline(at(2026, 11, 21, 22), 8) == at(2026, 11, 23, 16)


def test_evening_arrival_starts_next_morning_and_utc_input_is_converted():
    evening = datetime(2026, 11, 17, 18, 30, tzinfo=UTC)  # 20:30 in Helsinki
    assert HOURS.deadline(evening, 1) == at(2026, 11, 18, 9)


def test_public_holidays_do_not_count():
    # Independence Day (Sunday 6.12.2026 is not a workday anyway); Christmas: 24–26.12.2025 Wed–Fri off.
    assert HOURS.deadline(at(2025, 12, 23, 15), 2) == at(2025, 12, 29, 9)
    assert not HOURS.is_workday(at(2026, 1, 6, 12).date())  # Epiphany
    assert HOURS.is_workday(at(2026, 1, 7, 12).date())


def test_without_holidays_christmas_eve_counts():
    plain = BusinessHours(holidays="")
    assert plain.deadline(at(2025, 12, 23, 15), 2) == at(2025, 12, 24, 9)


def test_elapsed_counts_only_open_hours():
    assert HOURS.elapsed(at(2026, 11, 20, 15), at(2026, 11, 23, 9)) == pytest.approx(2.0)  # Fri 1 h + Mon 1 h
    assert HOURS.elapsed(at(2026, 11, 21, 10), at(2026, 11, 22, 20)) == 0  # a weekend
    assert HOURS.elapsed(at(2026, 11, 23, 9), at(2026, 11, 23, 8)) == 0


def test_custom_hours_from_a_pack():
    h = BusinessHours.from_config({"start": "09:00", "end": "15:00", "days": ["Mon", "Tue"], "holidays": ""})
    assert h.start == time(9) and h.days == ("mon", "tue")
    assert h.deadline(at(2026, 11, 17, 14), 2) == at(2026, 11, 23, 10)  # Tue 1 h, then next Monday


def test_percentile_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 90) == 4.0
