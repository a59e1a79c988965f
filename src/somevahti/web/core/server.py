"""Serving in production: gunicorn with one process per CPU core, the task worker supervised beside it
(sync workers: each request has a core of its own instead of sharing one interpreter lock); static files
come from WhiteNoise."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

from gunicorn.app.base import BaseApplication

log = logging.getLogger("somevahti.server")

# A request that runs longer than this is killed and its worker replaced (imports and exports run
# as background tasks, so no page should come near it); workers are also replaced after this many
# requests (with jitter, so not all at once) to bound slow memory growth.
TIMEOUT = int(os.environ.get("SOMEVAHTI_WEB_TIMEOUT", 60))
MAX_REQUESTS = int(os.environ.get("SOMEVAHTI_WEB_MAX_REQUESTS", 2000))


class Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # an older gunicorn lacks some (the control socket came later)
                self.cfg.set(key, value)

    def load(self):
        from django.db import connections

        from somevahti.web.publishing.checking import warm
        from somevahti.web.wsgi import application

        warm()  # the composer's checker, built once before the fork (cold: seconds) and shared by the workers
        connections.close_all()
        return application


def default_workers() -> int:
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2)


def run(addr: str, workers: int) -> None:
    """Serve until SIGINT/SIGTERM; the app is loaded once and forked into the workers."""
    from django.db import connections

    connections.close_all()  # a forked worker must not inherit the parent's database connection
    Server(
        {
            "bind": addr,
            "workers": workers,
            "worker_class": "sync",
            "preload_app": True,
            "proc_name": "somevahti-web",
            "timeout": TIMEOUT,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": MAX_REQUESTS,
            "max_requests_jitter": MAX_REQUESTS // 10,
            "control_socket_disable": True,
        }
    ).run()


class WorkerSupervisor:
    """Runs ``somevahti web worker`` and starts it again whenever it exits, with a back-off
    (1 s doubling to 60 s; back to 1 s after a minute of running). ``stop()`` ends it for good."""

    def __init__(self, argv: list[str] | None = None, max_backoff: float = 60.0):
        self.argv = argv or [sys.executable, "-m", "somevahti", "web", "worker"]
        self.max_backoff = max_backoff
        self.restarts = 0
        self.proc: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="somevahti-worker-supervisor", daemon=True)

    def start(self) -> WorkerSupervisor:
        self._thread.start()
        return self

    def _loop(self) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            started = time.monotonic()
            self.proc = subprocess.Popen(self.argv)
            code = self.proc.wait()
            if self._stop.is_set():
                return
            if time.monotonic() - started > 60:
                backoff = 1.0
            self.restarts += 1
            log.error("the task worker exited with code %s; starting it again in %.0f s", code, backoff)
            print(
                f"somevahti: the task worker exited with code {code}; starting it again in {backoff:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            if self._stop.wait(backoff):
                return
            backoff = min(self.max_backoff, backoff * 2)

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._thread.join(timeout=timeout)
