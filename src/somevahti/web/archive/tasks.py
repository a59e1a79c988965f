"""The archive's work on the database-backed task queue (django-tasks; ``somevahti web worker`` or
``manage.py db_worker`` runs it): records-request exports, whose progress is written to the ExportJob
row the page polls, and the hourly checkpoint that signs the chain head, so records appended since
the last checkpoint do not stay unsigned until someone runs ``somevahti archive checkpoint``."""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from somevahti.web.core.tasks import keep_one_waiting

CHECKPOINT_EVERY = timedelta(hours=1)
log = logging.getLogger(__name__)


@task()
def checkpoint() -> dict:
    """Sign the head of the organisation's chain when something is new (the archive makes no second
    checkpoint of the same head), then wait an hour. Without a signing key here it only reports that."""
    from somevahti.web.archive import access

    try:
        archive, org = access.archive(), access.org()
        if archive.head(org)[0] == 0:
            return {"status": "empty"}
        if not archive.keys.has_key(org):
            log.warning("archive checkpoint: no signing key for %s (run `somevahti archive init`)", org)
            return {"status": "no key"}
        made = archive.checkpoint(org)
        return {"status": "signed", "seq": made.seq} if made else {"status": "nothing new"}
    finally:
        keep_one_waiting(checkpoint, CHECKPOINT_EVERY)


def schedule_checkpoint() -> None:
    """The first checkpoint soon after the worker starts, then hourly."""
    keep_one_waiting(checkpoint, timedelta(0))


@task()
def run_export(job_id: int) -> dict:
    from somevahti.archive.export import ExportRequest, export
    from somevahti.errors import SomevahtiError
    from somevahti.web.archive import access
    from somevahti.web.archive.models import ExportJob

    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return {"status": job.status}
    job.record(status=ExportJob.Status.RUNNING)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 0.5:  # a row update at most twice a second
            last[0] = now
            job.record(done=done, total=total)

    path = job.bundle_path
    path.parent.mkdir(parents=True, exist_ok=True)
    request = ExportRequest(
        access.org(),
        job.accounts,
        since=job.since.isoformat() if job.since else None,
        until=job.until.isoformat() if job.until else None,
        text=job.text or None,
        redact=job.redact,
    )
    try:
        result = export(access.archive(), request, path, actor=job.actor, progress=progress)
    except SomevahtiError as e:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        job.record(status=ExportJob.Status.FAILED, error=str(e), finished=timezone.now())
        return {"status": "failed", "error": str(e)}
    job.record(
        status=ExportJob.Status.DONE,
        finished=timezone.now(),
        threads=result.threads,
        records=result.records,
        done=result.threads,
        total=result.threads,
        manifest_sha256=result.manifest_sha256,
        archive_seq=result.export_record.seq,
    )
    return {"status": "done", "threads": result.threads, "records": result.records}
