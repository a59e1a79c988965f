"""Archive benchmark: ingest rate, full verification, search p95 and a records export, on SQLite
and PostgreSQL (a throwaway cluster).

    .venv/bin/python bench/archive_bench.py                      # 1,000,000 records (slow: minutes)
    .venv/bin/python bench/archive_bench.py --records 50000 --export-posts 2000

Targets (issue 4): ingest ≥ 5,000 text records/s on one core; verification of 1,000,000 records
≤ 60 s; search p95 ≤ 100 ms at 1,000,000 records; export of 10,000 posts with comments as
PDF + JSONL ≤ 60 s, streaming (peak memory printed; the export runs in a child process so its
peak resident size is its own).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from somevahti.archive.api import Archive
from somevahti.archive.search import Query, search
from somevahti.archive.verify import verify

WORDS = (
    "kirjasto kaupunki valtuusto kokous päätös asukas palvelu uimahalli liikunta koulu päiväkoti tie "
    "katu silta puisto tapahtuma konsertti näyttely museo terveysasema neuvola vesihuolto jäte kierrätys "
    "lumityöt hiekoitus bussi juna pysäkki kaava rakennus lupa hakemus avustus kesätyö nuoriso seniori "
    "kulttuuri teatteri kuoro festivaali tori kauppa ravintola satama ranta metsä polku latu luistelu "
    "biblioteket kommunen fullmäktige beslut invånare tjänst simhall skola daghem gata park evenemang"
).split()
INFLECT = ("", "n", "ssa", "sta", "lle", "t", "ja", "een", "lla")


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) + rng.choice(INFLECT) for _ in range(n)).capitalize() + "."


def ingest(archive: Archive, org: str, n: int, rng: random.Random, batch: int = 1000) -> float:
    """Append n records (1 post : 4 comments); return the seconds spent in the archive."""
    posts = [text(rng, 25) for _ in range(1000)]  # made beforehand: the rate is the archive's, not random's
    comments = [text(rng, 12) for _ in range(3000)]
    start = time.perf_counter()
    post = None
    for first in range(0, n, batch):
        with archive.batch():
            for i in range(first, min(n, first + batch)):
                if i % 5 == 0:
                    post = f"fb:{i}"
                    archive.append(
                        "post",
                        {"event": "published", "texts": {"fi": posts[i % 1000]}},
                        org=org,
                        account=rng.choice(["fb", "ig", "x"]),
                        actor="bench",
                        subject=post,
                        occurred=f"20{10 + i * 15 // n:02d}-0{1 + i % 9}-1{i % 10}T10:00:00Z",
                    )
                else:
                    archive.append(
                        "comment",
                        {
                            "event": "received",
                            "texts": {"fi": comments[i % 3000]},
                            "parent": post,
                            "author": f"user{i % 5000}",
                        },
                        org=org,
                        account="fb",
                        subject=f"{post}_{i}",
                        occurred=f"20{10 + i * 15 // n:02d}-0{1 + i % 9}-1{i % 10}T11:00:00Z",
                    )
    return time.perf_counter() - start


def server_cpu(archive: Archive) -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this archive (0 for SQLite, which
    runs inside this process; also 0 when the server's /proc entry cannot be read)."""
    if archive.store.dialect != "postgres":
        return 0.0
    pid = archive.store.one("SELECT pg_backend_pid()")[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def search_p95(archive: Archive, org: str, rng: random.Random, runs: int = 100) -> tuple[float, float]:
    times = []
    for i in range(runs):
        words = " ".join(rng.choice(WORDS) + rng.choice(INFLECT) for _ in range(2))
        q = Query(
            text=words,
            accounts=["fb"] if i % 3 == 0 else [],
            since="2015-01-01" if i % 4 == 0 else None,
            kinds=["comment"] if i % 5 == 0 else [],
        )
        t = time.perf_counter()
        search(archive, org, q, limit=50)
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own address space;
    ru_maxrss would also count the parent's memory at the time it forked this child."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child(url: str, media: str, keys: str, out: str) -> None:
    from somevahti.archive.export import ExportRequest, export

    archive = Archive.open(url, media_dir=media, keys_dir=keys)
    t, cpu = time.perf_counter(), time.process_time()
    result = export(archive, ExportRequest("export", ["fb"]), out, actor="bench")
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = peak_mb()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "peak_mb": peak,
                "threads": result.threads,
                "records": result.records,
                "volumes": len(result.volumes),
            }
        )
    )


def run_backend(name: str, url: str, args, work: Path) -> dict:
    rng = random.Random(4)
    media, keys = work / f"{name}-media", work / f"{name}-keys"
    archive = Archive.open(url, media_dir=media, keys_dir=keys)
    archive.init("bench")
    archive.init("export")
    out: dict = {"backend": name, "records": args.records}
    cpu, server = time.process_time(), server_cpu(archive)
    seconds = ingest(archive, "bench", args.records, rng)
    cpu = time.process_time() - cpu + server_cpu(archive) - server
    out["ingest_per_s"] = args.records / seconds
    out["ingest_per_cpu_s"] = args.records / cpu  # one core's worth: this process plus its database backend
    archive.checkpoint("bench")
    if name == "postgres":
        archive.store.execute("ANALYZE")
    t = time.perf_counter()
    report = verify(archive, "bench")
    out["verify_s"] = time.perf_counter() - t
    out["verify_ok"] = report.ok
    out["search_median_ms"], out["search_p95_ms"] = search_p95(archive, "bench", rng)
    if args.export_posts:
        ingest(archive, "export", args.export_posts * 5, rng)  # 1 post : 4 comments
        if name == "postgres":
            archive.store.execute("ANALYZE")
        archive.close()
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--export-child",
                url,
                str(media),
                str(keys),
                str(work / f"{name}-export.zip"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        exp = json.loads(child.stdout.strip().splitlines()[-1])
        out.update(
            {
                "export_posts": exp["threads"],
                "export_records": exp["records"],
                "export_s": exp["seconds"],
                "export_cpu_s": exp["cpu_seconds"],
                "export_peak_mb": exp["peak_mb"],
                "export_volumes": exp["volumes"],
            }
        )
    else:
        archive.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--export-posts", type=int, default=10_000)
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--export-child", nargs=4, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.export_child:
        export_child(*args.export_child)
        return
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        work = Path(tmp)
        results = []
        if args.backend in ("sqlite", "both"):
            results.append(run_backend("sqlite", f"sqlite:///{work / 'bench.sqlite3'}", args, work))
            print_result(results[-1])
        if args.backend in ("postgres", "both"):
            from somevahti.devtools.pgcluster import Cluster

            with Cluster() as cluster:
                results.append(run_backend("postgres", cluster.url(), args, work))
                print_result(results[-1])


def print_result(r: dict) -> None:
    print(f"== {r['backend']}, {r['records']:,} records")
    print(
        f"  ingest                {r['ingest_per_s']:10,.0f} records/s   "
        f"({r['ingest_per_cpu_s']:,.0f} per CPU-second of "
        f"client + database; target ≥ 5,000 on one core)"
    )
    print(
        f"  verify (full chain)   {r['verify_s']:10.1f} s           ({'ok' if r['verify_ok'] else 'FAILED'}; "
        f"target ≤ 60 s at 1,000,000)"
    )
    print(
        f"  search                {r['search_p95_ms']:10.1f} ms p95     "
        f"(median {r['search_median_ms']:.1f} ms; "
        f"target ≤ 100 ms at 1,000,000)"
    )
    if "export_s" in r:
        print(
            f"  export PDF+JSONL      {r['export_s']:10.1f} s           "
            f"({r['export_cpu_s']:.1f} CPU-s; {r['export_posts']:,} posts, "
            f"{r['export_records']:,} records, {r['export_volumes']} PDF volumes; "
            f"peak {r['export_peak_mb']:.0f} MB; "
            f"target ≤ 60 s for 10,000 posts)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
