"""Registry import benchmark: a people CSV near the 2 MB upload limit, imported as the task worker
does it (registry/imports.py) on a SQLite file, while a second connection writes to the same file
every 50 ms as web requests would (each write may wait at most the web app's busy timeout).

Prints the rows, the check and save times, the longest single transaction of the save (target:
no request's write waits more than a second), and the longest wait of the concurrent writer.

    .venv/bin/python bench/import_bench.py [--rows 15000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry_bench import setup_django  # noqa: E402


def people_csv(rows: int) -> str:
    lines = ["email,name,title,unit,phone,supervisor,start_date,end_date,status"]
    for i in range(rows):
        boss = "" if i < 10 else f"esihenkilo{i % 10}@kirkkonummi.fi"
        email = f"esihenkilo{i}@kirkkonummi.fi" if i < 10 else f"henkilo{i}@kirkkonummi.fi"
        lines.append(
            f"{email},Henkilö Numero {i},asiantuntija ({i % 37}),Yksikkö {i % 30},+358 40 {i:07d},"
            f"{boss},1.3.2020,,active"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=15_000)
    args = parser.parse_args()
    setup_django("sqlite")
    from django.conf import settings

    from somevahti.web.registry import imports
    from somevahti.web.registry.models import ImportJob, Person, Unit

    for i in range(30):
        Unit.objects.create(name=f"Yksikkö {i}")
    text = people_csv(args.rows)
    print(f"file: {args.rows} rows, {len(text.encode()) / 1e6:.2f} MB")
    real = settings.DATABASES["default"]["NAME"]
    waits, failed, stop, phase = [], [], threading.Event(), ["start"]
    t0 = time.perf_counter()

    def web_requests():
        conn = sqlite3.connect(real, timeout=5.0, isolation_level=None)
        while not stop.is_set():
            t = time.perf_counter()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE registry_unit SET website = '' WHERE name = 'Yksikkö 0'")
                conn.execute("COMMIT")
            except sqlite3.OperationalError as e:  # the web app's busy timeout ran out: a failed request
                failed.append((round(time.perf_counter() - t0, 1), str(e), phase[0]))
            waits.append(time.perf_counter() - t)
            time.sleep(0.05)
        conn.close()

    chunk_times, phases = [], {}
    save_chunk = imports.RESOURCES["people"].import_data

    def timed_import(self, *a, **kw):
        t = time.perf_counter()
        try:
            return save_chunk(self, *a, **kw)
        finally:
            if not kw.get("dry_run"):
                chunk_times.append(time.perf_counter() - t)

    imports.RESOURCES["people"].import_data = timed_import
    check = imports._check

    def timed_check(job, dataset):
        t = time.perf_counter()
        phase[0] = "check"
        try:
            return check(job, dataset)
        finally:
            phases["check"] = time.perf_counter() - t
            phase[0] = "save"

    imports._check = timed_check
    writer = threading.Thread(target=web_requests)
    writer.start()
    job = ImportJob.objects.create(kind="people", text=text, dry_run=False, total=args.rows)
    imports.run(job.pk)
    total = time.perf_counter() - t0
    stop.set()
    writer.join()
    job.refresh_from_db()
    print(f"status {job.status}; {Person.objects.count()} people saved")
    print(
        f"check (whole file, on the private copy) {phases.get('check', 0):.1f} s; "
        f"save {total - phases.get('check', 0):.1f} s in {len(chunk_times)} chunks "
        f"of {imports.CHUNK_ROWS} rows"
    )
    print(
        f"longest save transaction {max(chunk_times) * 1000:.0f} ms (target <= 1000 ms); "
        f"concurrent writer: {len(waits)} writes, longest wait {max(waits) * 1000:.0f} ms, "
        f"p95 {sorted(waits)[int(len(waits) * 0.95)] * 1000:.0f} ms; failed writes {len(failed)} {failed[:3]}"
    )


if __name__ == "__main__":
    main()
