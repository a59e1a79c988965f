"""Publishing benchmark: the calendar month and the composer's live check under 20 concurrent clients.

A generated organisation (30 units, 60 accounts, 1,200 scheduled or published posts in the month
shown) served as in production (`somevahti web serve`: gunicorn, one process per core) on loopback.
Prints the median and p95 latency of

- the calendar month page of a communications admin (target p95 <= 150 ms), and
- the composer's check round-trip (htmx POST /publishing/check/) for a 1,000-character bilingual
  post to two accounts, against the Kirkkonummi pack (target p95 <= 100 ms): the same post again (every
  embedding cached), and as an author types (the last sentence new in each request, so one new embedding
  each),

with the server's CPU time per request and the machine's load average (other work on a shared
machine inflates latencies; the CPU time per request is the steadier figure).

    .venv/bin/python bench/publishing_bench.py [--db sqlite|postgres] [--workers N] [--requests 400]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from registry_bench import serve, setup_django, tree_cpu_seconds  # noqa: E402

CLIENTS = 20
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters: Django takes an unmasked secret
FI = (
    "Kirkkonummen pääkirjasto on avoinna lauantaina 6.12. kello 10–16. Lasten satuhetki alkaa kello 11 "
    "lastenosastolla, ja kirjastonhoitaja esittelee uusia kuvakirjoja. Omatoimikirjasto on käytössä "
    "arkisin kello 7–22. Lainattujen kirjojen palautus onnistuu myös palautusluukusta. Tervetuloa! "
    "Lisätietoja: https://www.kirkkonummi.fi/kirjasto #kirkkonummi "
)
SV = (
    "Huvudbiblioteket i Kyrkslätt är öppet lördagen 6.12 kl. 10–16. Barnens sagostund börjar kl. 11 på "
    "barnavdelningen, och bibliotekarien presenterar nya bilderböcker. Meröppet bibliotek används "
    "vardagar kl. 7–22. Lånade böcker kan också lämnas i återlämningsluckan. Välkommen! "
    "Mer information: https://www.kyrkslatt.fi/bibliotek #kyrkslätt "
)


def _fill(text: str, n: int) -> str:
    out = text
    while len(out) < n:
        out += text
    return out[:n].rsplit(" ", 1)[0]


def generate(seed: int = 11):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from somevahti.web.core.models import Membership
    from somevahti.web.publishing.models import Draft, LanguageVersion, State
    from somevahti.web.registry.models import Account, Person, Unit

    rng = random.Random(seed)
    units = Unit.objects.bulk_create([Unit(name=f"Yksikkö {i}") for i in range(30)])
    accounts = Account.objects.bulk_create(
        [
            Account(
                platform=rng.choice(["facebook", "instagram", "x", "mastodon", "bluesky"]),
                handle=f"tili{i}",
                unit=units[i % 30],
            )
            for i in range(60)
        ]
    )
    person = Person.objects.create(name="Viestintä Admin", email="viestinta@kirkkonummi.fi", unit=units[0])
    user = get_user_model().objects.create_user("viestinta", "viestinta@kirkkonummi.fi", "x")
    Membership.objects.create(user=user, role="communications_admin", person=person)
    author = get_user_model().objects.create_user("kirjoittaja", "k@kirkkonummi.fi", "x")
    first = timezone.localdate().replace(day=1)
    tz = timezone.get_current_timezone()
    drafts = []
    for i in range(1200):
        day = first + timedelta(days=rng.randrange(28))
        when = datetime(
            day.year, day.month, day.day, rng.randrange(7, 21), rng.choice([0, 15, 30, 45]), tzinfo=tz
        )
        drafts.append(
            Draft(
                author=author,
                unit=units[i % 30],
                scheduled_at=when,
                state=rng.choice([State.SCHEDULED, State.PUBLISHED, State.SCHEDULED]),
            )
        )
    drafts = Draft.objects.bulk_create(drafts)
    Through = Draft.accounts.through
    Through.objects.bulk_create(
        [Through(draft_id=d.pk, account_id=accounts[rng.randrange(60)].pk) for d in drafts]
    )
    LanguageVersion.objects.bulk_create(
        [
            LanguageVersion(draft=d, language="fi", text=f"Tiedote {d.pk}: " + FI[:120], position=0)
            for d in drafts
        ]
        + [
            LanguageVersion(draft=d, language="sv", text=f"Meddelande {d.pk}: " + SV[:120], position=1)
            for d in drafts
        ]
    )
    return user, accounts[:2]


def typed(targets, fi: str, sv: str, n: int, seed: int = 5) -> list[bytes]:
    """Bodies of the live check as an author types: each request's Finnish text ends in a sentence no
    earlier request had, so its embedding is new (the rest of the post is the cached part)."""
    rng = random.Random(seed)
    words = "kirjasto on auki huomenna kaikille lapsille ja aikuisille tervetuloa mukaan".split()
    return [
        urllib.parse.urlencode(
            [
                ("accounts", targets[0].pk),
                ("accounts", targets[1].pk),
                ("text_fi", f"{fi} {' '.join(rng.choice(words) for _ in range(6))} {i}."),
                ("text_sv", sv),
            ]
        ).encode()
        for i in range(n)
    ]


def typed_requests(targets, fi: str, sv: str, n: int, seed: int) -> list[tuple[str, str, bytes]]:
    return [("POST", "/publishing/check/", b) for b in typed(targets, fi, sv, n, seed)]


def cookie_for(user) -> str:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)  # a communications admin: the session has passed the two-step check
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


def timed(port: int, cookie: str, requests: list[tuple[str, str, bytes | None]], clients: int = CLIENTS):
    local = threading.local()

    def one(req) -> float:
        method, path, body = req
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
        headers = {"Cookie": cookie}
        if body is not None:
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": CSRF,
                    "HX-Request": "true",
                }
            )
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(clients) as pool:
        times = sorted(pool.map(one, requests))
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    os.environ["SOMEVAHTI_PACK"] = "kirkkonummi"
    from somevahti.web.core.server import default_workers

    workers = args.workers or default_workers()
    cluster = setup_django(args.db)
    try:
        user, targets = generate()
        cookie = cookie_for(user)
        fi, sv = _fill(FI, 500), _fill(SV, 500)
        body = urllib.parse.urlencode(
            [("accounts", targets[0].pk), ("accounts", targets[1].pk), ("text_fi", fi), ("text_sv", sv)]
        ).encode()
        print(
            f"check post: {len(fi) + len(sv)} characters (fi {len(fi)}, sv {len(sv)}) "
            f"to {targets[0]}, {targets[1]}"
        )
        month = "/publishing/calendar/"
        port, server = serve(workers)
        try:
            # warm every worker: the pack's checker is built once per process (cold: seconds)
            timed(port, cookie, [("POST", "/publishing/check/", body)] * (workers * 4), clients=workers * 2)
            timed(port, cookie, [("GET", month, None)] * (workers * 4), clients=workers * 2)
            one_cal = timed(port, cookie, [("GET", month, None)] * 30, clients=1)
            one_chk = timed(port, cookie, [("POST", "/publishing/check/", body)] * 30, clients=1)
            typing = typed_requests(targets, fi, sv, args.requests, seed=5)
            one_typ = timed(port, cookie, typed_requests(targets, fi, sv, 30, seed=99), clients=1)
            for name, reqs, target, single in (
                ("calendar month", [("GET", month, None)] * args.requests, 150, one_cal),
                ("composer check", [("POST", "/publishing/check/", body)] * args.requests, 100, one_chk),
                ("composer check, typing", typing, 100, one_typ),
            ):
                cpu0, t0 = tree_cpu_seconds([server.pid]), time.perf_counter()
                med, p95 = timed(port, cookie, reqs)
                wall = time.perf_counter() - t0
                cpu = (tree_cpu_seconds([server.pid]) - cpu0) / args.requests * 1000
                print(
                    f"[{args.db}] {name}: one client median {single[0]:.0f} ms; "
                    f"{CLIENTS} clients median {med:.0f} "
                    f"ms, p95 {p95:.0f} ms (target p95 <= {target} ms); "
                    f"{args.requests / wall:.0f} requests/s; "
                    f"server CPU {cpu:.1f} ms/request; load average {os.getloadavg()[0]:.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if cluster:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
