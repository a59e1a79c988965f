"""Is the task worker alive? Audits, overdue mails, archive checkpoints and exports stop silently
when it dies, so its health is on the communications admin's home page.

The worker writes a heartbeat file (``<data dir>/worker.heartbeat``: pid and time) every
:data:`BEAT_SECONDS`; ``somevahti web serve`` restarts a worker that exits. :func:`health` reads the
heartbeat, the queue length and the failed tasks of the last day; :func:`cards` turns them into
dashboard cards (a dead worker is urgent).
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

BEAT_SECONDS = 30
DEAD_AFTER = 3 * BEAT_SECONDS + 30  # two missed beats and some slack


def heartbeat_path() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "DATA_DIR", "var")) / "worker.heartbeat"


def beat(now: float | None = None) -> None:
    path = heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "at": now if now is not None else time.time()}))
    tmp.replace(path)  # readers never see half a file


def start_heartbeat() -> threading.Thread:
    """A daemon thread beating while the worker process lives."""

    def loop():
        while True:
            try:
                beat()
            except OSError:
                pass  # a full disk must not kill the worker; the card will show the missing beat
            time.sleep(BEAT_SECONDS)

    thread = threading.Thread(target=loop, name="somevahti-heartbeat", daemon=True)
    thread.start()
    return thread


def last_beat() -> float | None:
    try:
        return float(json.loads(heartbeat_path().read_text())["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _beat(now: float | None = None) -> dict:
    now = time.time() if now is None else now
    at = last_beat()
    age = None if at is None else max(0, int(now - at))
    return {"alive": age is not None and age <= DEAD_AFTER, "last_heartbeat_seconds_ago": age}


def _failed_last_day():
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    since = timezone.now() - timedelta(days=1)
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, finished_at__gte=since)


def health(now: float | None = None) -> dict:
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    failed = _failed_last_day()
    return {
        **_beat(now),
        "queued": DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, run_after__lte=timezone.now()
        ).count(),
        "failed_last_day": failed.count(),
        "failures": [
            {
                "task": r.task_path,
                "finished": r.finished_at.isoformat() if r.finished_at else None,
                "error": r.exception_class_path,
            }
            for r in failed.order_by("-finished_at")[:10]
        ],
    }


def cards(user) -> list:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from somevahti.web.core import dashboard, policy

    if not policy.can_view_worker_health(user):
        return []
    h = _beat()  # what health() says, without its queue count and failure list: one query
    h["failed_last_day"] = _failed_last_day().count()
    url = "/api/worker-health"
    out = []
    if not h["alive"]:
        label = (
            _(
                "The task worker is not running: audits, overdue reminders and archive checkpoints have stopped"  # noqa: E501
            )
            if h["last_heartbeat_seconds_ago"] is None
            else _(
                "The task worker has not answered for %(minutes)d min: audits, overdue reminders and archive "
                "checkpoints have stopped"
            )
            % {"minutes": h["last_heartbeat_seconds_ago"] // 60}
        )
        out.append(dashboard.Card("core.worker-dead", label, 1, url, dashboard.URGENT, 0))
    if h["failed_last_day"]:
        out.append(
            dashboard.Card(
                "core.worker-failed",
                ngettext(
                    "%(n)d background task failed in the last day",
                    "%(n)d background tasks failed in the last day",
                    h["failed_last_day"],
                )
                % {"n": h["failed_last_day"]},
                h["failed_last_day"],
                url,
                dashboard.WARNING,
                0,
            )
        )
    return out
