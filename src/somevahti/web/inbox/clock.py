"""The response-time clock: business hours in the organisation's time zone, public holidays off.

``deadline(start, hours)`` is when ``hours`` business hours after ``start`` have passed;
``elapsed(start, end)`` the business hours between two moments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _hm(value: str) -> time:
    h, m = str(value).split(":")
    return time(int(h), int(m))


@dataclass(frozen=True)
class BusinessHours:
    timezone: str = "Europe/Helsinki"
    days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: time = time(8, 0)
    end: time = time(16, 0)
    holidays: str = "FI"

    @classmethod
    def from_config(cls, cfg: dict) -> BusinessHours:
        return cls(
            timezone=cfg.get("timezone", "Europe/Helsinki"),
            days=tuple(d.lower()[:3] for d in cfg.get("days", cls.days)),
            start=_hm(cfg.get("start", "08:00")),
            end=_hm(cfg.get("end", "16:00")),
            holidays=cfg.get("holidays") or "",
        )

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self):
        if not self.holidays:
            return {}
        import holidays

        return holidays.country_holidays(self.holidays)

    def is_workday(self, day: date) -> bool:
        return DAYS[day.weekday()] in self.days and day not in self._holidays

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return (datetime.combine(day, self.start, self.tz), datetime.combine(day, self.end, self.tz))

    def _windows(self, since: datetime):
        day = since.astimezone(self.tz).date()
        for _ in range(3660):  # ten years of days: a calendar without workdays ends here
            if self.is_workday(day):
                yield self._window(day)
            day += timedelta(days=1)

    def deadline(self, start: datetime, hours: float) -> datetime:
        left = timedelta(hours=hours)
        for opens, closes in self._windows(start):
            begin = max(opens, start.astimezone(self.tz))
            if begin >= closes:
                continue
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        raise ValueError("no business hours in the calendar")

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Business hours between ``start`` and ``end`` (0 when end is not after start)."""
        if end <= start:
            return 0.0
        total = timedelta()
        for opens, closes in self._windows(start):
            if opens >= end:
                break
            a, b = max(opens, start), min(closes, end)
            if b > a:
                total += b - a
        return total.total_seconds() / 3600
