"""Periodic work on the database-backed task queue (django-tasks; ``somevahti web worker`` runs it):
each periodic task keeps exactly one waiting run of itself, so a restart or a second start of the
worker does not pile up runs (the daily audit, the overdue sweep, the archive checkpoint)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def keep_one_waiting(periodic, delay: timedelta) -> None:
    """Keep exactly one waiting run of a periodic task in the queue, due after ``delay``."""
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.filter(task_path=periodic.module_path, status="READY").exists():
        periodic.using(run_after=timezone.now() + delay).enqueue()
