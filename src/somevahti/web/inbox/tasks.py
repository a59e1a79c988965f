"""The overdue sweep on the database-backed task queue (django-tasks; ``somevahti web worker``, which
``serve`` starts, runs it): every 15 minutes the items that became overdue are mailed to their unit's
editors and the communications admins, each item once (:mod:`somevahti.web.inbox.overdue`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from somevahti.web.core.tasks import keep_one_waiting

SWEEP_EVERY = timedelta(minutes=15)


@task()
def overdue_sweep() -> dict:
    from somevahti.web.inbox import overdue

    try:
        sent = overdue.notify()
    finally:
        keep_one_waiting(overdue_sweep, SWEEP_EVERY)
    return {"mailed": sent}


def schedule_sweep() -> None:
    """The first sweep soon after the worker starts, then every 15 minutes."""
    keep_one_waiting(overdue_sweep, timedelta(0))


@task()
def run_import(job_id: int) -> dict:
    """A large comment file (inbox/imports.py), whose progress the job's page polls."""
    from somevahti.web.inbox import imports

    return imports.run(job_id)
