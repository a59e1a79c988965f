"""Publishing under load on the real local Bluesky network (prints figures; not a test).

1,000 publications scheduled within one minute across 50 accounts, sent by the publish engine
with 1, 2 and 3 worker processes sharing one PostgreSQL queue; during each run a worker is
killed (SIGKILL) three times and replaced at once. Prints publications per minute, the p50/p95
lag between a publication's scheduled time and its record existing on the PDS, and the
duplicates and losses counted on the server afterwards (records per publication marker).

    .venv/bin/python bench/publish_bench.py [--workers 1,2,3] [--publications 1000] [--accounts 50]
    .venv/bin/python bench/publish_bench.py --ceiling [--publications 300]

``--ceiling`` measures the PDS alone first: records per second created straight through the atproto
SDK (createRecord with a stored session, no engine, no queue) by 1, 2 and 3 threads. No publisher can
beat that figure on the same machine; 1,000 publications a minute needs 16.7 records/s.

Needs node and `make bluesky-dev-env` (the network), PostgreSQL's server binaries (the queue).
The AppView is not started: publishing needs only the PLC directory and the PDS.
Lag: a worker notes the time each createRecord returned (the record exists from then on); a
record whose worker was killed before it could note it counts from its createdAt (the moment
the request was built), which is earlier by one request's latency.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from somevahti.channels.bluesky import BlueskyConnector  # noqa: E402
from somevahti.devtools import bluesky as devnet  # noqa: E402
from somevahti.devtools.pgcluster import Cluster  # noqa: E402

LEASE_SECONDS = 10.0  # a killed worker's claims are taken over after this


def cached_packs():
    from functools import cache

    from somevahti.policy.loader import load_pack

    load = cache(load_pack)
    return lambda account: load(account.pack or "generic")


# -- the worker process ---------------------------------------------------------------------------
class TimedConnector(BlueskyConnector):
    """Notes when each record was created (one JSON line per part, flushed at once)."""

    log = None

    def publish_part(self, part, **kw):
        published = super().publish_part(part, **kw)
        self.log.write(json.dumps({"key": part.key, "uri": published.external_id, "t": time.time()}) + "\n")
        self.log.flush()
        return published


def worker(args) -> int:
    from somevahti.publishing import Engine, Store

    accounts = json.loads(Path(args.accounts_file).read_text())
    log = open(args.log, "a")  # noqa: SIM115 - lives as long as the process
    TimedConnector.log = log

    def connector(account_id: str):
        handle = account_id.split(":", 1)[1]
        # As from a stored connection: the app password and the session kept by refresh_credentials.
        return TimedConnector(
            args.pds, handle, accounts[handle]["password"], session=accounts[handle]["session"]
        )

    store = Store.open(args.store)
    engine = Engine(
        store, connector, None, cached_packs(), use_ner=False, lease_seconds=LEASE_SECONDS, retry_base=0.5
    )
    stop = Path(args.stop_file)
    while not stop.exists():
        report = engine.run_due(worker_id=args.worker_id, limit=2)
        if not (report.published or report.failed or report.retrying):
            time.sleep(0.02)
    return 0


# -- the coordinator -------------------------------------------------------------------------------
def queue_url(cluster_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(cluster_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{cluster_url}?options={quote(f'-csearch_path={name}')}"


def start_worker(work: Path, store: str, pds: str, accounts_file: Path, worker_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--worker",
            "--store",
            store,
            "--pds",
            pds,
            "--accounts-file",
            str(accounts_file),
            "--worker-id",
            worker_id,
            "--log",
            str(work / f"{worker_id}.jsonl"),
            "--stop-file",
            str(work / "stop"),
        ],
        stderr=open(work / f"{worker_id}.err", "w"),
    )  # noqa: SIM115


def server_records(pds: str, dids: list[str]) -> list[dict]:
    records = []
    for did in dids:
        cursor = None
        while True:
            params = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(f"{pds}/xrpc/com.atproto.repo.listRecords", params=params, timeout=60).json()
            records += page["records"]
            cursor = page.get("cursor")
            if not cursor or not page["records"]:
                break
    return records


def _markers(records: list[dict], run_id: str) -> set[str]:
    texts = [r["value"]["text"] for r in records]
    return {t.split()[1].rstrip(":") for t in texts if f"Tiedote {run_id}-" in t}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    net, cluster_url: str, accounts: dict, dids: list[str], workers: int, n: int, run_id: str, kills: int = 3
) -> dict:
    from somevahti.document import PostDocument
    from somevahti.publishing import Account, Engine, Store

    work = Path(tempfile.mkdtemp(prefix=f"somevahti-bench-{run_id}-"))
    store_url = queue_url(cluster_url, f"bench_{run_id}")
    accounts_file = work / "accounts.json"
    accounts_file.write_text(json.dumps(accounts))
    handles = sorted(accounts)

    store = Store.open(store_url)
    engine = Engine(store, lambda account_id: None, None, cached_packs(), use_ner=False)
    engine.connector = lambda account_id: BlueskyConnector.__new__(BlueskyConnector)  # limits only, no login
    start = datetime.now(UTC) + timedelta(seconds=20)
    scheduled: dict[str, datetime] = {}
    submit_began = time.time()
    for i in range(n):
        handle = handles[i % len(handles)]
        marker = f"{run_id}-{i:04d}"
        doc = PostDocument.model_validate(
            {
                "channel": "bluesky",
                "text": {
                    "fi": f"Tiedote {marker}: kirjasto on auki tänään kello 10–18, tervetuloa! #kirjasto"
                },
            }
        )
        at = start + timedelta(seconds=60 * i / n)
        pub = engine.submit(
            doc, Account("bluesky", handle, pack="generic"), key=f"bench-{marker}", at=at, check=False
        )
        scheduled[marker] = at
        assert pub.created
    submit_seconds = time.time() - submit_began
    store.close()
    if datetime.now(UTC) > start:
        print(
            f"  warning: submitting took {submit_seconds:.1f} s, past the first scheduled time",
            file=sys.stderr,
        )

    procs = {
        f"w{k}": start_worker(work, store_url, net.pds_url, accounts_file, f"w{k}") for k in range(workers)
    }
    t0 = start.timestamp()
    kill_at = [t0 + 60 * (k + 1) / (kills + 1) for k in range(kills)]
    killed = 0
    rng = random.Random(run_id)
    deadline = t0 + 60 + 120
    expected_markers = set(scheduled)
    done_at = None
    while time.time() < deadline:
        if killed < kills and time.time() >= kill_at[killed]:
            victim = rng.choice(sorted(procs))
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            del procs[victim]
            killed += 1
            replacement = f"{victim.split('r')[0]}r{killed}"
            procs[replacement] = start_worker(work, store_url, net.pds_url, accounts_file, replacement)
        noted = set()
        for log in work.glob("*.jsonl"):
            for line in log.read_text().splitlines():
                if line.strip():
                    noted.add(json.loads(line)["key"].removeprefix("bench-").rsplit(":", 1)[0])
        missing = expected_markers - noted
        if killed == kills and len(missing) <= 2 * kills:
            # a killed worker may have published a record without noting it: the server says
            if not missing or missing <= _markers(server_records(net.pds_url, dids), run_id):
                done_at = time.time()
                break
        time.sleep(0.25)
    (work / "stop").touch()
    for proc in procs.values():
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    created: dict[str, float] = {}
    for log in work.glob("*.jsonl"):
        for line in log.read_text().splitlines():
            if line.strip():
                entry = json.loads(line)
                marker = entry["key"].removeprefix("bench-").rsplit(":", 1)[0]
                created.setdefault(marker, entry["t"])
    records = [r for r in server_records(net.pds_url, dids) if f"Tiedote {run_id}-" in r["value"]["text"]]
    per_marker = Counter(r["value"]["text"].split()[1].rstrip(":") for r in records)
    duplicates = sum(c - 1 for c in per_marker.values() if c > 1)
    losses = len(expected_markers - set(per_marker))
    lags, fallback = [], 0
    by_marker = {r["value"]["text"].split()[1].rstrip(":"): r for r in records}
    for marker, at in scheduled.items():
        if marker in created:
            lags.append(created[marker] - at.timestamp())
        elif marker in by_marker:
            fallback += 1
            made = datetime.fromisoformat(by_marker[marker]["value"]["createdAt"].replace("Z", "+00:00"))
            lags.append(made.timestamp() - at.timestamp())
    last = max(created.values()) if created else time.time()
    first = min(created.values()) if created else t0
    errors = sum(1 for e in work.glob("*.err") if "Traceback" in e.read_text())
    return {
        "workers": workers,
        "publications": n,
        "submit_s": submit_seconds,
        "per_minute": len(per_marker) / max(1e-9, (last - min(first, t0))) * 60,
        "p50": statistics.median(lags) if lags else float("nan"),
        "p95": percentile(lags, 0.95),
        "max": max(lags) if lags else float("nan"),
        "duplicates": duplicates,
        "losses": losses,
        "kills": killed,
        "fallback_lags": fallback,
        "finished": done_at is not None,
        "worker_errors": errors,
        "work": str(work),
    }


def ceiling(pds: str, accounts: dict, threads: int, n: int) -> float:
    """Records per second the PDS creates for ``threads`` clients with nothing of somevahti between."""
    from concurrent.futures import ThreadPoolExecutor

    from atproto import Client

    def client(handle):
        c = Client(base_url=pds)
        c.login(session_string=accounts[handle]["session"], fetch_bsky_profile=False)
        return c

    clients = {h: client(h) for h in sorted(accounts)}
    handles = sorted(clients)

    def create(i):
        c = clients[handles[i % len(handles)]]
        c.com.atproto.repo.create_record(
            {
                "repo": c._session.did,
                "collection": "app.bsky.feed.post",
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": f"Katto {i}: kirjasto on auki tänään.",
                    "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                },
            }
        )

    began = time.time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(create, range(n)))
    return n / (time.time() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--publications", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--ceiling", action="store_true", help="measure the PDS alone first")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for name in ("--store", "--pds", "--accounts-file", "--worker-id", "--log", "--stop-file"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    reason = devnet.missing_reason()
    if reason:
        print(f"publish bench skipped: {reason}")
        return 0
    cluster = Cluster()
    cluster_url = cluster.start()
    try:
        with devnet.Network(appview=False) as net:
            began = time.time()
            accounts = {f"bench{i:02d}.test": f"bench-password-{i:02d}" for i in range(args.accounts)}
            dids = [net.create_account(h, p)["did"] for h, p in accounts.items()]
            # One login per account, kept as the engine keeps a connection's session: a worker that
            # starts (or replaces a killed one) does not log in again (a login costs the PDS ~0.1-1 s
            # of scrypt, and bsky.social allows 30 in five minutes).
            accounts = {
                h: {
                    "password": p,
                    "session": BlueskyConnector(net.pds_url, h, p).refresh_credentials()["session"],
                }
                for h, p in accounts.items()
            }
            print(f"network up, {args.accounts} accounts created in {time.time() - began:.1f} s")
            if args.ceiling:
                for threads in (1, 2, 3):
                    rate = ceiling(net.pds_url, accounts, threads, min(args.publications, 300))
                    print(
                        f"PDS alone, {threads} thread(s): {rate:.1f} records/s = {rate * 60:.0f}/min",
                        flush=True,
                    )
            print("workers  pubs/min  p50 lag s  p95 lag s  max lag s  duplicates  losses  kills  submit s")
            for workers in [int(w) for w in args.workers.split(",")]:
                r = run(
                    net,
                    cluster_url,
                    accounts,
                    dids,
                    workers,
                    args.publications,
                    f"r{workers}x{os.getpid() % 10000}",
                    kills=args.kills,
                )
                print(
                    f"{r['workers']:>7}  {r['per_minute']:>8.0f}  {r['p50']:>9.2f}  {r['p95']:>9.2f}  "
                    f"{r['max']:>9.2f}  {r['duplicates']:>10}  {r['losses']:>6}  {r['kills']:>5}  "
                    f"{r['submit_s']:>8.1f}"
                    + ("" if r["finished"] else "  (not all published in time)")
                    + (f"  ({r['fallback_lags']} lags from createdAt)" if r["fallback_lags"] else "")
                    + (
                        f"  ({r['worker_errors']} workers crashed, see {r['work']})"
                        if r["worker_errors"]
                        else ""
                    ),
                    flush=True,
                )
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
