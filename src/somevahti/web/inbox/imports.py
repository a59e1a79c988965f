"""Large comment files in the background, in short transactions (the registry import's pattern,
registry/imports.py).

A file of more than ``INLINE_ROWS`` comments is not imported inside the web request: an
:class:`ImportItemsJob` is queued and the worker runs it. First the whole file is read again; a bad
line anywhere and nothing is imported (as in the form), the bad lines listed in line order. A dry
run then only says, comment by comment, what an import would do. Otherwise the comments are
archived, triaged and stored ``CHUNK_ROWS`` at a time (services.ingest: one short archive batch and
one short database transaction per chunk), with a short pause between chunks and the job's progress
written after each. Should a chunk fail, its comments are tried one at a time, so one comment that
cannot be stored is listed with its reason and the others are still imported. The job ends, as every
import does, with a signed archive checkpoint (when this machine holds the key).
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone

from somevahti.channels import file as file_connector
from somevahti.errors import InputError
from somevahti.web.inbox import services
from somevahti.web.inbox.models import ImportItemsJob, Item
from somevahti.web.registry.imports import CHUNK_ROWS, INLINE_ROWS, PAUSE

__all__ = ["CHUNK_ROWS", "INLINE_ROWS", "PAUSE", "run", "start"]
log = logging.getLogger(__name__)


def start(user, account, filename: str, text: str, total: int, dry_run: bool) -> ImportItemsJob:
    from somevahti.web.inbox.tasks import run_import

    job = ImportItemsJob.objects.create(
        account=account, filename=filename[:255], text=text, dry_run=dry_run, requested_by=user, total=total
    )
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def line_of(item) -> int:
    return item.extra.get("line", 0)


def bad_rows(line_errors) -> list[dict]:
    """The file's bad lines as the job keeps them: the message untranslated, so each reader gets it
    in their own language."""
    return [
        {
            "line": e.line,
            "kind": "bad",
            "msgid": e.msgid,
            "params": e.params if isinstance(e.params, dict) else list(e.params),
        }
        for e in line_errors
    ]


def preview(items, account) -> list[dict]:
    """What an import would do with each comment (a dry run): new, changed or already in."""
    rows = []
    for start in range(0, len(items), CHUNK_ROWS):
        part = items[start : start + CHUNK_ROWS]
        texts = dict(
            Item.objects.filter(account=account, external_id__in=[i.external_id for i in part]).values_list(
                "external_id", "text"
            )
        )
        for i in part:
            kind = (
                "new"
                if i.external_id not in texts
                else ("same" if texts[i.external_id] == i.text else "changed")
            )
            rows.append({"line": line_of(i), "kind": kind, "message": i.external_id})
    return rows


def _ingested(part, account, actor: str) -> list[dict]:
    report = services.ingest(part, account, actor=actor, event="imported")
    created = {i.external_id for i in report.created}
    updated = {i.external_id for i in report.updated}
    return [
        {
            "line": line_of(i),
            "kind": "new" if i.external_id in created else "changed" if i.external_id in updated else "same",
            "message": i.external_id,
        }
        for i in part
    ]


def _save_chunk(part, account, actor: str) -> list[dict]:
    try:
        return _ingested(part, account, actor)
    except Exception:  # noqa: BLE001 - one comment must not cost the others: try them one at a time
        log.warning("inbox import: a chunk failed, importing its comments one at a time", exc_info=True)
    rows = []
    for item in part:
        try:
            rows += _ingested([item], account, actor)
        except Exception as e:  # noqa: BLE001 - listed with its reason; the rest go on
            rows.append(
                {
                    "line": line_of(item),
                    "kind": "failed",
                    "message": f"{item.external_id}: {e or type(e).__name__}",
                }
            )
    return rows


def _save(job: ImportItemsJob, items) -> list[dict]:
    actor = job.requested_by.get_username() if job.requested_by else "import"
    rows: list[dict] = []
    for start in range(0, len(items), CHUNK_ROWS):
        part = items[start : start + CHUNK_ROWS]
        rows += _save_chunk(part, job.account, actor)
        job.record(done=start + len(part), rows=rows)  # kept as it goes: a crash loses no comment's outcome
        time.sleep(PAUSE)  # a web request waiting for the write lock gets it before the next chunk takes it
    services.end_import()
    return rows


def run(job_id: int) -> dict:
    job = (
        ImportItemsJob.objects.using("default")
        .select_related("account", "account__unit", "requested_by")
        .filter(pk=job_id, status=ImportItemsJob.Status.QUEUED)
        .first()
    )
    if job is None:
        return {"status": "not queued"}
    job.record(status=ImportItemsJob.Status.RUNNING)
    try:
        items, line_errors = file_connector.parse(job.text, job.filename, job.account.platform)
        job.record(total=len(items) + len(line_errors))
        if line_errors:
            rows = bad_rows(line_errors)
            job.record(done=job.total)
        elif job.dry_run:
            rows = preview(items, job.account)
            job.record(done=job.total)
        else:
            rows = _save(job, items)
    except InputError as e:
        job.record(status=ImportItemsJob.Status.FAILED, error=str(e), text="", finished=timezone.now())
        return {"status": "failed"}
    except Exception as e:  # noqa: BLE001 - the job says so; the worker goes on with the next one
        job.record(
            status=ImportItemsJob.Status.FAILED,
            error=str(e) or type(e).__name__,
            text="",
            finished=timezone.now(),
        )
        raise
    rows.sort(key=lambda r: r["line"])
    job.record(status=ImportItemsJob.Status.DONE, rows=rows, text="", finished=timezone.now())
    return {"status": "done", "rows": len(rows)}
