"""Publishing benchmark: scheduled publications across accounts sent by 1-3 worker processes, with
workers killed (SIGKILL) during the run; prints publications per minute, p50/p95 lag between the
scheduled time and the post existing on the platform, and the counts of duplicates and losses.

    .venv/bin/python bench/publish_engine_bench.py  # 1,000 in 60 s, 50 accounts, 3 workers
    .venv/bin/python bench/publish_engine_bench.py --workers 1 --kills 0 --n 200 --window 20
    .venv/bin/python bench/publish_engine_bench.py --postgres  # the queue on a throwaway cluster

The platform is the file connector with a simulated round trip (``--latency``, default 50 ms
before and after each write), the same worker loop as ``somevahti publish-worker`` (the queue
looked at every ``--interval`` seconds while idle). Targets (issue 9): p95 lag <= 2 s,
0 duplicates, 0 losses. It measures the engine and its queue alone; bench/publish_bench.py runs the
same load against the real local Bluesky network.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from somevahti.channels.file import FileConnector
from somevahti.document import PostDocument
from somevahti.publishing import Account, Engine, Store


def connectors(root: Path, latency: float):
    cache: dict[str, FileConnector] = {}

    def get(account_id: str) -> FileConnector:
        if account_id not in cache:
            handle = account_id.split(":", 1)[1]
            cache[account_id] = FileConnector.from_credentials(
                {"directory": str(root / handle), "platform": "mastodon", "latency": latency}
            )
        return cache[account_id]

    return get


def worker(url: str, root: str, latency: float, interval: float, name: str) -> None:
    from somevahti.commands.publish import worker_loop

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker_loop(
        lambda: Engine(
            Store.open(url), connectors(Path(root), latency), None, lease_seconds=10, use_ner=False
        ),
        interval=interval,
        worker_id=name,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument(
        "--window", type=float, default=60.0, help="seconds over which the publications are scheduled"
    )
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    cluster = None
    if args.postgres:
        from somevahti.devtools.pgcluster import Cluster

        cluster = Cluster()
        url = cluster.start()
    else:
        url = f"sqlite:///{tmp}/queue.sqlite3"
    store = Store.open(url)
    engine = Engine(store, connectors(tmp, args.latency), None, use_ner=False)
    # the first scheduled time leaves room to queue them all (about 40 ms each on a busy machine)
    start = datetime.now(UTC) + timedelta(seconds=5 + args.n * 0.06)
    scheduled: dict[str, datetime] = {}
    t0 = time.monotonic()
    for i in range(args.n):
        handle = f"tili{i % args.accounts}"
        at = start + timedelta(seconds=args.window * i / args.n)
        doc = PostDocument.model_validate(
            {"text": {"fi": f"Tiedote {i}: kirjasto on auki tänään kello 10-18."}}
        )
        pub = engine.submit(
            doc, Account("mastodon", handle, org="bench"), key=f"bench-{i}", at=at, check=False
        )
        scheduled[pub.parts[0].key] = at
    print(
        f"queued {args.n} publications across {args.accounts} accounts in {time.monotonic() - t0:.1f} s; "
        f"{args.workers} worker(s), {args.kills} kill(s), "
        f"queue on {'PostgreSQL' if args.postgres else 'SQLite'}"
    )

    ctx = mp.get_context("spawn")
    procs = {}

    def spawn(name: str):
        p = ctx.Process(target=worker, args=(url, str(tmp), args.latency, args.interval, name), daemon=True)
        p.start()
        procs[name] = p

    for w in range(args.workers):
        spawn(f"w{w}")
    kill_at = [start + timedelta(seconds=args.window * (k + 1) / (args.kills + 1)) for k in range(args.kills)]
    generation = 0
    deadline = start + timedelta(seconds=args.window + 120)
    while datetime.now(UTC) < deadline:
        if kill_at and datetime.now(UTC) >= kill_at[0]:
            kill_at.pop(0)
            name = random.choice(sorted(procs))  # noqa: S311 - a benchmark's choice
            os.kill(procs.pop(name).pid, signal.SIGKILL)
            generation += 1
            spawn(f"{name}.{generation}")
        left = store.one("SELECT COUNT(*) FROM publishing_publication WHERE status <> 'published'")[0]
        if not left and not kill_at:
            break
        time.sleep(0.2)
    for p in procs.values():
        p.terminate()
        p.join(5)

    seen: collections.Counter = collections.Counter()
    lags = []
    first_at: dict[str, datetime] = {}
    for d in tmp.iterdir():
        if not d.is_dir():
            continue
        for e in FileConnector.from_credentials({"directory": str(d)}).entries():
            if e["event"] != "published":
                continue
            seen[e["key"]] += 1
            at = datetime.fromisoformat(e["at"])
            first_at[e["key"]] = min(first_at.get(e["key"], at), at)
    for key, at in first_at.items():
        lags.append((at - scheduled[key]).total_seconds())
    duplicates = sum(c - 1 for c in seen.values() if c > 1)
    losses = len(set(scheduled) - set(seen))
    lags.sort()
    span = (max(first_at.values()) - min(first_at.values())).total_seconds() if first_at else 0
    p95 = lags[int(0.95 * (len(lags) - 1))] if lags else float("nan")
    print(
        f"published {len(seen)} of {args.n}: {len(seen) / max(span, 1e-9) * 60:.0f} publications/min "
        f"over {span:.1f} s"
    )
    print(
        f"lag scheduled -> on the platform: p50 {statistics.median(lags):.2f} s, p95 {p95:.2f} s, "
        f"max {lags[-1]:.2f} s"
    )
    print(f"duplicates {duplicates}, losses {losses} (after {args.kills} kill(s))")
    store.close()
    if cluster is not None:
        cluster.stop()
    return 0 if duplicates == 0 and losses == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
