"""The task worker is supervised and its death is visible: heartbeat, queue, failed tasks, the
dashboard card for communications admins, and restarts by the supervisor."""

from __future__ import annotations

import sys
import time

from somevahti.web.core import worker_health
from somevahti.web.core.dashboard import URGENT, cards_for
from somevahti.web.core.models import Role
from somevahti.web.core.server import WorkerSupervisor


def test_no_heartbeat_is_an_urgent_card_for_communications_admins_only(org):
    worker_health.heartbeat_path().unlink(missing_ok=True)
    admin = [c for c in cards_for(org.users[Role.COMMUNICATIONS_ADMIN]) if c.key == "core.worker-dead"]
    assert admin and admin[0].level == URGENT
    assert not [c for c in cards_for(org.users[Role.AUTHOR]) if c.key.startswith("core.worker")]


def test_fresh_heartbeat_means_alive_and_an_old_one_dead(org):
    worker_health.beat()
    assert worker_health.health()["alive"]
    assert not [c for c in cards_for(org.users[Role.COMMUNICATIONS_ADMIN]) if c.key == "core.worker-dead"]
    worker_health.beat(time.time() - 600)
    h = worker_health.health()
    assert not h["alive"] and h["last_heartbeat_seconds_ago"] >= 600
    card = next(c for c in cards_for(org.users[Role.COMMUNICATIONS_ADMIN]) if c.key == "core.worker-dead")
    assert "10" in card.label


def test_failed_tasks_and_queue_are_counted(org, login):
    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    common = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "somevahti.web.audits.tasks.daily_audit",
        "backend_name": "default",
        "run_after": timezone.now(),
    }
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="sqlite3.OperationalError",
        **common,
    )
    DBTaskResult.objects.create(status=TaskResultStatus.READY, **common)
    worker_health.beat()
    data = login(org.users[Role.COMMUNICATIONS_ADMIN]).get("/api/worker-health").json()
    assert data["failed_last_day"] == 1 and data["queued"] >= 1
    assert data["failures"][0]["error"] == "sqlite3.OperationalError"
    assert any(c.key == "core.worker-failed" for c in cards_for(org.users[Role.COMMUNICATIONS_ADMIN]))


def test_supervisor_restarts_a_worker_that_dies(tmp_path):
    marker = tmp_path / "starts"
    script = f"open({str(marker)!r}, 'a').write('x'); raise SystemExit(3)"
    supervisor = WorkerSupervisor([sys.executable, "-c", script], max_backoff=0.2).start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not marker.exists() or len(marker.read_text()) < 3):
            time.sleep(0.1)
    finally:
        supervisor.stop()
    assert len(marker.read_text()) >= 3 and supervisor.restarts >= 2


def test_supervisor_stop_ends_a_running_worker(tmp_path):
    supervisor = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(60)"]).start()
    deadline = time.monotonic() + 10
    while supervisor.proc is None and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop(timeout=5)
    assert supervisor.proc.poll() is not None and supervisor.restarts == 0
