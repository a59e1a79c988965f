"""A real AT Protocol network on loopback: a PLC directory, a PDS and the Bluesky AppView.

    python -m somevahti.devtools.bluesky [--account HANDLE:PASSWORD]... [--no-appview] [--postgres-url URL]

prints ONE JSON line when the network is ready::

    {"pds_url": "http://127.0.0.1:…", "plc_url": "…", "appview_url": "…",
     "accounts": [{"handle": "alice.test", "did": "did:plc:…", "password": "…", "email": "…"}], …}

and runs until SIGTERM or SIGINT, then stops every server (and the PostgreSQL cluster it started).
The servers are @atproto/dev-env's, pinned in ``devtools/bluesky/package.json`` at the top of the
repository and installed by ``make bluesky-dev-env`` (``npm ci``; ``make test`` runs it). The
AppView (which answers ``app.bsky.feed.getPostThread``, i.e. replies to our posts) needs PostgreSQL:
given with ``--postgres-url`` (the tests pass their throwaway cluster) or started here. Handles end
in ``.test``; sign-up e-mails are ``<name>@example.com`` (the PDS refuses odd domains).
Nothing is downloaded at run time: the network runs offline.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import selectors
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

NETWORK_DIR_ENV = "SOMEVAHTI_BLUESKY_NET_DIR"


class NetworkError(RuntimeError):
    """The network could not be started (node missing, packages not installed, a server failed)."""


def network_dir() -> Path:
    """Where package.json, the lock file, network.js and node_modules are."""
    given = os.environ.get(NETWORK_DIR_ENV)
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[3] / "devtools" / "bluesky"


def node_binary() -> str | None:
    return shutil.which("node")


def installed() -> bool:
    return (network_dir() / "node_modules" / "@atproto" / "dev-env" / "package.json").is_file()


def missing_reason() -> str | None:
    """Why the network cannot start here, or None when it can."""
    if node_binary() is None:
        return "Node.js is not installed (the local Bluesky network runs on node)"
    if not installed():
        return (
            "the Bluesky dev network's npm packages are not installed: "
            f"run `make bluesky-dev-env` ({network_dir()})"
        )
    return None


class Network:
    """Start with :meth:`start` (or ``with Network(...) as net``); ``info`` is the ready line."""

    def __init__(
        self,
        accounts: list[tuple[str, str]] | tuple = (),
        *,
        postgres_url: str | None = None,
        appview: bool = True,
        rate_limits: bool = False,
        timeout: float = 180.0,
        log: Path | None = None,
    ):
        self.accounts = list(accounts)
        self.postgres_url = postgres_url
        self.appview = appview
        self.rate_limits = rate_limits
        self.timeout = timeout
        self.root = Path(tempfile.mkdtemp(prefix="somevahti-bsky-"))
        self.log_path = log or self.root / "network.log"
        self.info: dict = {}
        self._proc: subprocess.Popen | None = None
        self._cluster = None

    # -- life cycle --------------------------------------------------------------------------------
    def start(self) -> dict:
        reason = missing_reason()
        if reason:
            raise NetworkError(reason)
        env = dict(os.environ)
        if self.appview:
            if self.postgres_url is None:
                from somevahti.devtools.pgcluster import Cluster

                self._cluster = Cluster()
                self.postgres_url = self._cluster.start()
            env["BSKY_NET_POSTGRES_URL"] = self.postgres_url
            # One schema per network, so several networks can share a cluster.
            env["BSKY_NET_POSTGRES_SCHEMA"] = "appview_" + "".join(
                secrets.choice(string.ascii_lowercase) for _ in range(8)
            )
        else:
            env["BSKY_NET_APPVIEW"] = "0"
        env["BSKY_NET_ACCOUNTS"] = json.dumps([{"handle": h, "password": p} for h, p in self.accounts])
        if self.rate_limits:
            env["BSKY_NET_RATE_LIMITS"] = "1"
        env["TMPDIR"] = str(self.root)  # the PDS keeps its SQLite files and blobs under the temp dir
        env.setdefault("LOG_ENABLED", "false")
        env["NODE_NO_WARNINGS"] = "1"
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
        self._log = log
        self._proc = subprocess.Popen(
            [node_binary(), "network.js"],
            cwd=network_dir(),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        try:
            line = self._read_line()
            self.info = json.loads(line)
        except BaseException:
            self.stop()
            raise
        return self.info

    def _read_line(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self._proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + self.timeout
        buffer = b""
        while b"\n" not in buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NetworkError(
                    f"the Bluesky dev network was not ready in {self.timeout:.0f} s; log: {self.log_tail()}"
                )
            if selector.select(timeout=min(left, 1.0)):
                chunk = os.read(self._proc.stdout.fileno(), 65536)
                if not chunk:
                    raise NetworkError(
                        f"the Bluesky dev network exited ({self._proc.wait()}): {self.log_tail()}"
                    )
                buffer += chunk
        selector.close()
        return buffer.split(b"\n", 1)[0].decode()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def wait(self) -> int:
        assert self._proc is not None
        return self._proc.wait()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
        if getattr(self, "_log", None):
            self._log.close()
        if self._cluster is not None:
            self._cluster.stop()
            self._cluster = None
        shutil.rmtree(self.root, ignore_errors=True)  # a log given outside it stays

    def __enter__(self) -> Network:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- helpers for tests and benchmarks ----------------------------------------------------------
    @property
    def pds_url(self) -> str:
        return self.info["pds_url"]

    def create_account(self, handle: str, password: str) -> dict:
        """Sign up one more account on the PDS (no invite code needed); returns handle/did/password."""
        email = f"{handle.split('.')[0]}@example.com"
        response = httpx.post(
            f"{self.pds_url}/xrpc/com.atproto.server.createAccount",
            timeout=60,
            json={"handle": handle, "email": email, "password": password},
        )
        response.raise_for_status()
        account = {"handle": handle, "did": response.json()["did"], "password": password, "email": email}
        self.info.setdefault("accounts", []).append(account)
        return account


def _account(value: str) -> tuple[str, str]:
    handle, sep, password = value.partition(":")
    if not sep or not handle or not password:
        raise argparse.ArgumentTypeError("expected HANDLE:PASSWORD, e.g. alice.test:hunter2hunter2")
    if "." not in handle:
        handle += ".test"
    return handle, password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m somevahti.devtools.bluesky",
        description="A local AT Protocol network (PLC, PDS, AppView) on 127.0.0.1.",
    )
    parser.add_argument(
        "--account",
        action="append",
        type=_account,
        default=[],
        metavar="HANDLE:PASSWORD",
        help="create this account (a handle without a dot gets .test)",
    )
    parser.add_argument("--no-appview", action="store_true", help="PLC and PDS only (no PostgreSQL needed)")
    parser.add_argument("--postgres-url", help="the AppView's PostgreSQL (default: a throwaway cluster)")
    parser.add_argument("--rate-limits", action="store_true", help="the PDS enforces its rate limits")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the network")
    args = parser.parse_args(argv)

    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    net = Network(
        args.account,
        postgres_url=args.postgres_url,
        appview=not args.no_appview,
        rate_limits=args.rate_limits,
        timeout=args.timeout,
    )
    try:
        info = net.start()
    except NetworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(info), flush=True)
    try:
        while not stopping and net.running():
            time.sleep(0.2)
        return 0 if stopping else 1
    finally:
        net.stop()


if __name__ == "__main__":
    sys.exit(main())
