"""Registry benchmark: a generated organisation of 300 units, 20,000 people, 5,000 accounts and
50,000 grants, on SQLite and on PostgreSQL (a throwaway cluster).

Prints the time of a full audit (target <= 2 s), the p95 latency of the account list, account
detail and audit pages under 20 concurrent clients on loopback (target <= 150 ms) served as in
production (`somevahti web serve`: gunicorn, one process per core), the server's CPU time per request
(with PostgreSQL's), and the SQL queries per page for a small and the large organisation (no N+1: the
counts must be equal).

    .venv/bin/python bench/registry_bench.py [--db sqlite|postgres] [--scale 1.0] [--workers N]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

SIZES = {"units": 300, "people": 20_000, "accounts": 5_000, "grants": 50_000}
CLIENTS = 20
REQUESTS_PER_PAGE = 400


def setup_django(db: str):
    os.environ["SOMEVAHTI_DATA_DIR"] = tempfile.mkdtemp(prefix="somevahti-bench-")
    os.environ["SOMEVAHTI_SECRET_KEY"] = "bench-only"
    os.environ["SOMEVAHTI_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["SOMEVAHTI_EMAIL_DOMAINS"] = "kirkkonummi.fi"
    os.environ["SOMEVAHTI_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "somevahti.web.settings"
    cluster = None
    if db == "postgres":
        from somevahti.devtools.pgcluster import Cluster

        cluster = Cluster()
        os.environ["DATABASE_URL"] = cluster.start()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return cluster


def generate(scale: float, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model

    from somevahti.web.core.models import Membership
    from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation, Unit

    rnd = random.Random(seed)
    today = date.today()
    n = {k: max(2, int(v * scale)) for k, v in SIZES.items()}
    Unit.objects.bulk_create([Unit(name=f"Yksikkö {i}") for i in range(n["units"])], batch_size=2000)
    unit_ids = list(Unit.objects.values_list("id", flat=True))
    people = []
    for i in range(n["people"]):
        left = rnd.random() < 0.05
        people.append(
            Person(
                name=f"Henkilö {i}",
                unit_id=rnd.choice(unit_ids),
                email=f"h{i}@kirkkonummi.fi",
                start_date=today - timedelta(days=2000),
                status="left" if left else "active",
                end_date=today - timedelta(days=10) if left else None,
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    person_ids = list(Person.objects.values_list("id", flat=True))
    accounts = [
        Account(
            platform=rnd.choice(["facebook", "instagram", "x", "linkedin", "youtube"]),
            handle=f"tili{i}",
            unit_id=rnd.choice(unit_ids),
            owner_id=rnd.choice(person_ids),
            names_maintainer=True,
            links_website=rnd.random() > 0.05,
            privacy_notice_url="https://www.kirkkonummi.fi/tietosuoja",
            contact_email="viestinta@kirkkonummi.fi",
            created=today - timedelta(days=900),
            last_published=today - timedelta(days=rnd.randint(0, 300)),
        )
        for i in range(n["accounts"])
    ]
    Account.objects.bulk_create(accounts, batch_size=2000)
    account_ids = list(Account.objects.values_list("id", flat=True))
    pairs = set()
    while len(pairs) < n["grants"]:
        pairs.add((rnd.choice(person_ids), rnd.choice(account_ids)))
    AccessGrant.objects.bulk_create(
        [
            AccessGrant(
                person_id=p,
                account_id=a,
                role=rnd.choice(["owner", "admin", "editor", "editor", "moderator"]),
                granted=today - timedelta(days=100),
            )
            for p, a in pairs
        ],
        batch_size=5000,
    )
    SecurityAttestation.objects.bulk_create(
        [
            SecurityAttestation(
                account_id=a,
                password_changed=today - timedelta(days=rnd.randint(0, 250)),
                two_factor=rnd.random() > 0.1,
                login_email_kind="shared",
                settings_reviewed=today - timedelta(days=rnd.randint(0, 400)),
            )
            for a in account_ids
        ],
        batch_size=5000,
    )
    user = get_user_model().objects.create_user("auditor", "a@kirkkonummi.fi", "bench-password")
    Membership.objects.create(user=user, role="auditor", person_id=person_ids[0])
    # the dashboard is measured for a communications admin: every app's cards (audit, requests, inbox)
    admin = get_user_model().objects.create_user("admin", "v@kirkkonummi.fi", "bench-password")
    Membership.objects.create(user=admin, role="communications_admin", person_id=person_ids[1])


def _client(username: str = "auditor"):
    """A signed-in test client; the communications admin's session is two-step verified."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    if username == "admin":
        device = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})[0]
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def session_cookie(username: str = "auditor") -> str:
    return f"sessionid={_client(username).cookies['sessionid'].value}"


DASHBOARD = "dashboard"


def queries_per_page(paths: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = {"auditor": _client(), "admin": _client("admin")}
    out = {}
    for name, path in paths.items():
        client = clients["admin" if name == DASHBOARD else "auditor"]
        client.get(path)  # warm caches (pack, audit state)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200, path
        out[name] = len(ctx.captured_queries)
    return out


def serve(workers: int) -> tuple[int, subprocess.Popen]:
    """The production server (`somevahti web serve`: gunicorn, one process per core) on a free port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "somevahti",
            "web",
            "serve",
            "--addr",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not start")


def tree_cpu_seconds(roots: list[int]) -> float:
    """User + system CPU of the given processes and all their descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    wanted, total, grew = set(roots), 0.0, True
    while grew:
        before = len(wanted)
        wanted |= {pid for pid, (ppid, _) in stats.items() if ppid in wanted}
        grew = len(wanted) > before
    for pid in wanted:
        if pid in stats:
            total += stats[pid][1]
    return total


def latency(port: int, cookie: str, paths: list[str], clients: int = CLIENTS) -> tuple[float, float]:
    local = threading.local()

    def one(path: str) -> float:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(clients) as pool:
        times = sorted(pool.map(one, paths))
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def run(db: str, scale: float, workers: int) -> None:
    cluster = setup_django(db)
    try:
        from django.db import connection

        from somevahti.audits import run_audits
        from somevahti.web.audits.service import run_and_store, snapshot
        from somevahti.web.registry.models import Account

        generate(0.01)
        small = queries_per_page(_paths(Account))
        Account.objects.all().delete()
        from somevahti.web.audits.models import Finding
        from somevahti.web.core.models import Membership
        from somevahti.web.registry.models import Person, Unit

        Finding.objects.all().delete()
        Membership.objects.all().delete()
        from django.contrib.auth import get_user_model

        get_user_model().objects.all().delete()
        Person.objects.all().delete()
        Unit.objects.all().delete()

        t0 = time.perf_counter()
        generate(scale)
        print(
            f"[{db}] generated {SIZES if scale == 1 else scale} in {time.perf_counter() - t0:.1f} s "
            f"({connection.vendor})"
        )
        t0 = time.perf_counter()
        snap = snapshot()
        t1 = time.perf_counter()
        findings = run_audits(snap)
        t2 = time.perf_counter()
        first = run_and_store(notify=False)
        again = run_and_store(notify=False)
        print(
            f"[{db}] full audit: read registry {t1 - t0:.2f} s + rules {t2 - t1:.2f} s = {t2 - t0:.2f} s "
            f"({len(findings)} findings); with storing: first run {first.seconds:.2f} s, "
            f"next run {again.seconds:.2f} s  (target <= 2 s)"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does within a minute of the bulk loads
                cursor.execute("VACUUM ANALYZE")
        large = queries_per_page(_paths(Account))
        for name in large:
            print(
                f"[{db}] SQL queries per page {name}: {small[name]} (small org) vs {large[name]} (large org)"
            )
        port, server = serve(workers)
        roots = [server.pid] + (
            [int((cluster.data / "postmaster.pid").read_text().split()[0])] if cluster else []
        )
        cookie, admin_cookie = session_cookie(), session_cookie("admin")
        ids = list(Account.objects.values_list("id", flat=True))
        rnd = random.Random(1)
        pages = {
            "account list": [
                f"/registry/accounts/?page={rnd.randint(1, 100)}" for _ in range(REQUESTS_PER_PAGE)
            ],
            "account detail": [f"/registry/accounts/{rnd.choice(ids)}/" for _ in range(REQUESTS_PER_PAGE)],
            "audit page": [f"/audits/?page={rnd.randint(1, 100)}" for _ in range(REQUESTS_PER_PAGE)],
            DASHBOARD: ["/" for _ in range(REQUESTS_PER_PAGE)],
        }
        print(
            f"[{db}] server: somevahti web serve --workers {workers} (gunicorn); {os.cpu_count()} cores; "
            f"load average before {os.getloadavg()[0]:.1f} (other work on the machine inflates latency)"
        )
        try:
            for name, paths in pages.items():
                who = admin_cookie if name == DASHBOARD else cookie
                alone, _ = latency(port, who, paths[:50], clients=1)
                cpu0, wall0 = tree_cpu_seconds(roots), time.perf_counter()
                median, p95 = latency(port, who, paths)
                wall = time.perf_counter() - wall0
                cpu = (tree_cpu_seconds(roots) - cpu0) / len(paths) * 1000
                share = cpu * len(paths) / 1000 / wall / (os.cpu_count() or 1)
                print(
                    f"[{db}] {name}: one client median {alone:.0f} ms; "
                    f"{CLIENTS} clients median {median:.0f} ms, "
                    f"p95 {p95:.0f} ms (target p95 <= 150 ms); "
                    f"{len(paths) / wall:.0f} requests/s; server CPU "
                    f"{cpu:.1f} ms per request{' (Django + PostgreSQL)' if cluster else ''}, "
                    f"{share:.0%} of the machine's CPU time"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        from django.db import connections

        connections.close_all()
        if cluster is not None:
            cluster.stop()


def _paths(Account) -> dict[str, str]:
    first = Account.objects.order_by("id").values_list("id", flat=True).first()
    return {
        "account list": "/registry/accounts/",
        "account detail": f"/registry/accounts/{first}/",
        "audit page": "/audits/",
        DASHBOARD: "/",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, help="server processes (default: as `somevahti web serve`)")
    args = parser.parse_args()
    if args.db:
        from somevahti.web.core.server import default_workers

        run(args.db, args.scale, args.workers or default_workers())
        return 0
    status = 0
    extra = ["--workers", str(args.workers)] if args.workers else []
    for db in ("sqlite", "postgres"):
        status |= subprocess.call([sys.executable, __file__, "--db", db, "--scale", str(args.scale), *extra])
    return status


if __name__ == "__main__":
    raise SystemExit(main())
