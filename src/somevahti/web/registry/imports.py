"""Large registry CSV imports in the background, in short transactions.

A file of more than ``INLINE_ROWS`` rows is not imported inside the web request: an
:class:`ImportJob` is queued and the worker runs it. First the whole file is checked as one import
(units and supervisors named earlier in the same file resolve), on SQLite against a private copy of
the database (core/scratch.py), so web requests keep writing meanwhile; with any error nothing is
saved, and a dry run ends here. Then the rows are saved ``CHUNK_ROWS`` at a time, each chunk one
short transaction followed by a short pause, the job's progress written after each. Should a
chunk still fail (the registry changed between the check and the save), the rows before it stay
saved and the job says which.
"""

from __future__ import annotations

import csv
import io
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from somevahti.web.core.scratch import scratch_copy
from somevahti.web.registry.models import ImportJob
from somevahti.web.registry.resources import RESOURCES, prepare

INLINE_ROWS = 200
CHUNK_ROWS = 50  # well under a second per transaction on a busy two-core machine (bench/import_bench.py)
PAUSE = 0.1  # seconds between chunks: SQLite's busy handler retries about every 100 ms, so waiters get in


def row_count(text: str) -> int:
    """Data rows of a CSV text (the header not counted); an unreadable file counts as small, so the
    form itself says what is wrong with it."""
    try:
        return max(0, sum(1 for _row in csv.reader(io.StringIO(text))) - 1)
    except csv.Error:
        return 0


def start(user, kind: str, text: str, dry_run: bool) -> ImportJob:
    from somevahti.web.registry.tasks import run_import

    job = ImportJob.objects.create(
        kind=kind, text=text, dry_run=dry_run, requested_by=user, total=row_count(text)
    )
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def result_rows(result, offset: int = 0) -> list[dict]:
    """The import-export Result as the import page lists it, row numbers counted from the file's
    first data row (``offset`` rows came before this chunk)."""
    rows = []
    for number, errors in result.row_errors():
        rows.append({"number": offset + number, "kind": "error", "messages": [str(e.error) for e in errors]})
    for invalid in result.invalid_rows:
        msgs = []
        for field, errs in invalid.error_dict.items():
            prefix = "" if field == "__all__" else f"{field}: "
            msgs += [prefix + str(e) for e in errs]
        rows.append({"number": offset + invalid.number, "kind": "invalid", "messages": msgs})
    for i, row in enumerate(result.rows, start=1):
        if row.import_type in ("new", "update", "delete"):
            rows.append({"number": offset + i, "kind": row.import_type, "messages": [row.object_repr or ""]})
    rows.sort(key=lambda r: r["number"])
    return rows


def _failed(result) -> bool:
    return result.has_errors() or result.has_validation_errors()


def _chunks(dataset):
    """(rows before, a dataset of the next CHUNK_ROWS rows): tablib slices give rows, not datasets."""
    for start in range(0, len(dataset), CHUNK_ROWS):
        part = type(dataset)(headers=dataset.headers)
        for row in dataset[start : start + CHUNK_ROWS]:
            part.append(row)
        yield start, part


def _check(job: ImportJob, dataset) -> list[dict]:
    """Import the whole file where it is thrown away afterwards; the rows' results."""
    with scratch_copy() as alias:
        resource = RESOURCES[job.kind]()
        with transaction.atomic(using=alias):
            result = resource.import_data(
                dataset,
                dry_run=True,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=job.requested_by,
            )
    return result_rows(result)


def _save(job: ImportJob, dataset) -> list[dict]:
    rows: list[dict] = []
    for start, part in _chunks(dataset):
        with transaction.atomic():
            result = RESOURCES[job.kind]().import_data(
                part,
                dry_run=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                user=job.requested_by,
            )
            if _failed(result):
                transaction.set_rollback(True)
        rows += result_rows(result, offset=start)
        if _failed(result):
            job.record(
                error=_(
                    "Rows 1–%(saved)d were saved; row %(row)d and those after it were not: the "
                    "registry changed while the file was checked. Import the rest again."
                )
                % {"saved": start, "row": start + 1},
            )
            break
        job.record(done=start + len(part))
        time.sleep(PAUSE)  # a web request waiting for the write lock gets it before the next chunk takes it
    return rows


def run(job_id: int) -> dict:
    job = ImportJob.objects.using("default").filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
    if job is None:
        return {"status": "not queued"}
    try:
        dataset = prepare(job.kind, job.text)
    except ValidationError as e:
        job.record(
            status=ImportJob.Status.FAILED, error=" ".join(e.messages), text="", finished=timezone.now()
        )
        return {"status": "failed"}
    job.record(status=ImportJob.Status.CHECKING, total=len(dataset))
    try:
        rows = _check(job, dataset)
        if not job.dry_run and not any(r["kind"] in ("error", "invalid") for r in rows):
            job.record(status=ImportJob.Status.SAVING, done=0)
            rows = _save(job, dataset)
        else:
            job.record(done=len(dataset))
    except Exception as e:  # noqa: BLE001 - the job says so; the worker goes on with the next one
        job.record(
            status=ImportJob.Status.FAILED,
            error=str(e) or type(e).__name__,
            text="",
            finished=timezone.now(),
        )
        raise
    status = ImportJob.Status.FAILED if job.error else ImportJob.Status.DONE
    job.record(status=status, rows=rows, text="", finished=timezone.now())
    return {"status": status, "rows": len(rows)}
