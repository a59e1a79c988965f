"""Publishing on the task queue (``somevahti web worker``): every 15 seconds the engine sends what is
due and the statuses come home (:func:`somevahti.web.publishing.dispatch.run_due`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from somevahti.web.core.tasks import keep_one_waiting

RUN_EVERY = timedelta(seconds=15)


@task()
def publish_due() -> dict:
    from somevahti.web.publishing import dispatch

    try:
        return dispatch.run_due()
    finally:
        keep_one_waiting(publish_due, RUN_EVERY)


def schedule_publishing() -> None:
    keep_one_waiting(publish_due, timedelta(0))
