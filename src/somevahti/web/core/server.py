"""Serving in production: gunicorn with one process per CPU core (sync workers: each request has a
core of its own instead of sharing one interpreter lock); static files come from WhiteNoise."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


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
    Server({"bind": addr, "workers": workers, "worker_class": "sync", "preload_app": True,
            "proc_name": "somevahti-web", "graceful_timeout": 10,
            "control_socket_disable": True}).run()
