"""Run after `somevahti web demo --no-serve` in the same data directory (tests/web/test_demo.py does
both in subprocesses): every list page of every demo role has rows (the calendar has posts), each
role's start page has work on it, and a records-request export made from the web completes and
verifies. Prints one JSON line."""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "somevahti.web.settings")

LISTS = {
    "registry:units",
    "registry:people",
    "registry:accounts",
    "registry:history",
    "requests:list",
    "audits:list",
    "inbox:list",
    "inbox:incidents",
    "inbox:reports",
    "archive:search",
    "users",
    "publishing:drafts",
    "publishing:queue",
    "publishing:failed",
    "wizard:list",
}
# pages whose content is not table rows: the pattern one item of it has
ITEMS = {"publishing:calendar": re.compile(r"<li data-draft=")}
HREF = re.compile(r'href="(/(?!static/)[^"#]*)"')
ROW = re.compile(r"<tr(?![^>]*colspan)[^>]*>\s*<td", re.S)
ROLES = ["viestinta", "yksikko", "kirjoittaja", "esihenkilo", "tietoturva", "tarkastaja"]


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from somevahti.archive.bundle import verify_export
    from somevahti.web.archive import access
    from somevahti.web.archive.models import ExportJob
    from somevahti.web.archive.tasks import run_export
    from tests.web.pages import demo_pages

    settings.ALLOWED_HOSTS = ["testserver"]
    pages = demo_pages()
    report = {"empty": [], "errors": [], "pages": 0, "cards": {}, "forbidden_links": []}
    for username in ROLES:
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        links: dict[str, str] = {}
        for name, url in pages.items():
            response = client.get(url)
            if response.status_code in (403, 404):
                continue
            for href in HREF.findall(response.content.decode()):
                links.setdefault(html.unescape(href), name)
            if response.status_code != 200:
                report["errors"].append(f"{username} {name}: {response.status_code}")
                continue
            report["pages"] += 1
            body = response.content.decode()
            if name in LISTS and not ROW.search(body):
                report["empty"].append(f"{username} {name}")
            if name in ITEMS and not ITEMS[name].search(body):
                report["empty"].append(f"{username} {name}")
            if name == "home":
                counts = [int(n) for n in re.findall(r'data-count="(\d+)"', body)]
                report["cards"][username] = sum(counts)
                if not any(counts):
                    report["empty"].append(f"{username} home")
        # a link the role is shown must be one it may follow (no 403 behind it)
        for href, where in sorted(links.items()):
            if client.get(href).status_code == 403:
                report["forbidden_links"].append(f"{username} on {where}: {href}")
        if username == "viestinta":
            response = client.post(reverse("archive:exports"), {"accounts": "facebook:visitkirkkonummi"})
            job = ExportJob.objects.order_by("-pk").first()
            report["export_redirect"] = response.status_code
            report["export"] = run_export.call(job.pk) if job else {"status": "no job"}
            job = ExportJob.objects.get(pk=job.pk) if job else None
            if job is not None and job.status == "done":
                verified = verify_export(job.bundle_path, access.archive().keys.trusted(access.org()))
                report["verified"] = verified.ok
                report["problems"] = [str(p) for p in verified.problems][:5]
                report["records"] = job.records
            else:
                report["error"] = job.error if job else ""
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
