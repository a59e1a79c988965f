"""The registry's work on the database-backed task queue (``somevahti web worker`` runs it): large
CSV imports (registry/imports.py), whose progress the import's page polls."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> dict:
    from somevahti.web.registry import imports

    return imports.run(job_id)
