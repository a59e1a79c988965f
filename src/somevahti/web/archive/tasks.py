"""Records-request exports on the database-backed task queue (django-tasks; ``somevahti web worker``
or ``manage.py db_worker`` runs them). Progress is written to the ExportJob row, which the page
polls."""

from __future__ import annotations

import contextlib
import time

from django.utils import timezone
from django_tasks import task


@task()
def run_export(job_id: int) -> dict:
    from somevahti.archive.export import ExportRequest, export
    from somevahti.errors import SomevahtiError
    from somevahti.web.archive import access
    from somevahti.web.archive.models import ExportJob

    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return {"status": job.status}
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.RUNNING)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 0.5:  # a row update at most twice a second
            last[0] = now
            ExportJob.objects.filter(pk=job_id).update(done=done, total=total)

    path = job.bundle_path
    path.parent.mkdir(parents=True, exist_ok=True)
    request = ExportRequest(access.org(), job.accounts, since=job.since.isoformat() if job.since else None,
                            until=job.until.isoformat() if job.until else None, text=job.text or None,
                            redact=job.redact)
    try:
        result = export(access.archive(), request, path, actor=job.actor, progress=progress)
    except SomevahtiError as e:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(e),
                                                   finished=timezone.now())
        return {"status": "failed", "error": str(e)}
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE, finished=timezone.now(), threads=result.threads, records=result.records,
        done=result.threads, total=result.threads, manifest_sha256=result.manifest_sha256,
        archive_seq=result.export_record.seq)
    return {"status": "done", "threads": result.threads, "records": result.records}
