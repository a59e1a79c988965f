"""The monthly results summary on the task queue: runs on the first day of each month."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from somevahti.web.core.tasks import keep_one_waiting


@task()
def monthly_summary() -> dict:
    from somevahti.web.policy.summary import send_monthly_summary

    sent = send_monthly_summary()
    schedule_summary()
    return {"sent": sent}


def until_next_month(now: datetime | None = None) -> timedelta:
    now = now or timezone.localtime()
    first = (now.replace(day=1) + timedelta(days=32)).replace(day=1)
    due = datetime.combine(first.date(), time(7, 0), now.tzinfo)
    return due - now


def schedule_summary() -> None:
    keep_one_waiting(monthly_summary, until_next_month())


@task()
def daily_metrics() -> dict:
    """Yesterday's platform figures of every connected account whose connector can read them."""
    from somevahti.web.policy.metrics import read_all

    report = read_all()
    schedule_metrics()
    return report


def until_next_morning(now: datetime | None = None) -> timedelta:
    """Until 05:00 tomorrow (local time): the platforms have counted the previous day by then."""
    now = now or timezone.localtime()
    due = datetime.combine(now.date() + timedelta(days=1), time(5, 0), now.tzinfo)
    return due - now


def schedule_metrics() -> None:
    keep_one_waiting(daily_metrics, until_next_morning())
