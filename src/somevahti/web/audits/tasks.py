"""The daily audit on the database-backed task queue (django-tasks; run ``somevahti web worker``)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from somevahti.web.core.tasks import keep_one_waiting

DAILY_TASK = "somevahti.web.audits.tasks.daily_audit"


@task()
def daily_audit() -> dict:
    from somevahti.web.audits.service import run_and_store

    result = run_and_store()
    schedule_next()
    return {"findings": result.total, "new": len(result.new), "cleared": result.cleared}


def schedule_next(delay: timedelta = timedelta(days=1)) -> None:
    """Keep exactly one waiting daily audit in the queue."""
    keep_one_waiting(daily_audit, delay)
