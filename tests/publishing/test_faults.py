"""Faults that must not publish anything twice nor lose anything: a worker SIGKILLed in the middle of
a batch and restarted, three worker processes racing for one PostgreSQL queue."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from somevahti.channels.file import FileConnector
from somevahti.publishing import Engine, Store
from tests.publishing.conftest import account, doc, pg_schema_url

ROOT = Path(__file__).resolve().parents[2]


def submit_many(url: str, out: Path, n: int) -> list[str]:
    store = Store.open(url)
    conn = FileConnector.from_credentials({"directory": str(out), "platform": "mastodon"})
    engine = Engine(store, {"mastodon:kirkkonummi": conn}, None, use_ner=False)
    keys = []
    for i in range(n):
        d = doc(
            text={
                "fi": f"Tiedote {i}: kirjasto on auki tänään.",
                "sv": f"Meddelande {i}: biblioteket är öppet.",
            }
        )
        keys.append(engine.submit(d, account(), key=f"batch-{i}", check=False).key)
    store.close()
    return keys


def worker(url: str, out: Path, name: str, latency: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.publishing.worker_proc", url, str(out), name, str(latency), "2"],
        cwd=ROOT,
        env={**os.environ, "SOMEVAHTI_LANG": "en"},
    )


def published_counts(out: Path) -> collections.Counter:
    conn = FileConnector.from_credentials({"directory": str(out)})
    return collections.Counter(e["key"] for e in conn.entries() if e["event"] == "published")


def statuses(url: str) -> collections.Counter:
    store = Store.open(url)
    try:
        return collections.Counter(r[0] for r in store.query("SELECT status FROM publishing_publication"))
    finally:
        store.close()


def test_a_worker_killed_mid_batch_and_restarted_publishes_each_part_once(tmp_path):
    url, out = f"sqlite:///{tmp_path}/queue.sqlite3", tmp_path / "platform"
    n = 20
    submit_many(url, out, n)
    kills = 0
    for round_ in range(3):
        proc = worker(url, out, f"w{round_}", latency=0.05)
        deadline = time.monotonic() + 120
        target = (round_ + 1) * 8
        while (
            sum(published_counts(out).values()) < target
            and time.monotonic() < deadline
            and proc.poll() is None
        ):
            time.sleep(0.02)
        if proc.poll() is None:
            os.kill(
                proc.pid, signal.SIGKILL
            )  # in the middle: between the platform's write and our record, often
            kills += 1
        proc.wait()
    final = worker(url, out, "w-last")
    assert final.wait(timeout=180) == 0
    counts = published_counts(out)
    assert kills >= 2
    assert set(counts) == {f"batch-{i}:{j}" for i in range(n) for j in (0, 1)}  # nothing lost
    assert [k for k, c in counts.items() if c > 1] == []  # nothing twice
    assert statuses(url) == {"published": n}
    store = Store.open(url)
    taken_over = store.one("SELECT COUNT(*) FROM publishing_publication WHERE attempts > 1")[0]
    store.close()
    assert taken_over >= 1  # a killed worker's publication was finished by the next, after asking the file


@pytest.mark.postgres
def test_three_workers_racing_on_postgresql_publish_each_part_once(postgres_url, tmp_path):
    url, out = pg_schema_url(postgres_url), tmp_path / "platform"
    n = 40
    submit_many(url, out, n)
    procs = [worker(url, out, f"w{i}", latency=0.01) for i in range(3)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    counts = published_counts(out)
    assert set(counts) == {f"batch-{i}:{j}" for i in range(n) for j in (0, 1)}
    assert [k for k, c in counts.items() if c > 1] == []
    assert statuses(url) == {"published": n}
    store = Store.open(url)
    workers = {r[0] for r in store.query("SELECT DISTINCT claimed_by FROM publishing_publication")}
    store.close()
    assert workers == {""}  # every lease released
