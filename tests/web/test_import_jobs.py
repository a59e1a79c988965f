"""A large registry CSV goes to the background worker: the request answers at once with a progress
page; the whole file is checked first (nothing saved on any error, a dry run saves nothing), then
saved in short chunks; a unit or supervisor named earlier in the same file resolves across chunks;
a registry change between the check and the save leaves the saved rows and says which were not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from somevahti.web.registry import imports
from somevahti.web.registry.models import ImportJob, Person, Unit

from .test_import_export import _upload

ROOT = Path(__file__).resolve().parents[2]
HEADER = "email,name,title,unit,phone,supervisor,start_date,end_date,status\n"


def people(n: int, unit: str = "Matkailu", supervisor_of_rest: bool = False) -> str:
    lines = [HEADER]
    for i in range(n):
        boss = "henkilo0@kirkkonummi.fi" if supervisor_of_rest and i else ""
        lines.append(f"henkilo{i}@kirkkonummi.fi,Henkilö {i},neuvoja,{unit},,{boss},2020-01-01,,active\n")
    return "".join(lines)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "INLINE_ROWS", 3)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    monkeypatch.setattr(imports, "PAUSE", 0)


def _started(client, text, dry_run=False, kind="people") -> ImportJob:
    response = _upload(client, kind, text, dry_run=dry_run)
    job = ImportJob.objects.latest("created")
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:import-job", args=[job.pk]
    )
    assert (
        job.status == ImportJob.Status.QUEUED
        and not Person.objects.filter(email__startswith="henkilo").exists()
    )
    return job


def _run(job) -> ImportJob:
    imports.run(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    return job


def test_a_large_file_is_imported_in_the_background_in_chunks(
    org, login, small_chunks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    client = login(org.users["communications_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        job = _started(client, people(7, supervisor_of_rest=True))
    assert DBTaskResult.objects.filter(task_path__endswith="run_import").count() == 1
    waiting = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert 'data-status="queued"' in waiting and "hx-get" in waiting  # the page polls while it waits
    job = _run(job)
    assert job.status == ImportJob.Status.DONE and (job.done, job.total) == (7, 7) and job.text == ""
    assert Person.objects.filter(email__startswith="henkilo").count() == 7
    # the supervisor was in the first chunk, the people she leads in later ones
    assert Person.objects.get(email="henkilo6@kirkkonummi.fi").supervisor.email == "henkilo0@kirkkonummi.fi"
    page = client.get(reverse("registry:import-job", args=[job.pk]))
    html = page.content.decode()
    assert 'data-status="done"' in html and "hx-get" not in html and 'id="import-rows"' in html
    assert sorted(r["number"] for r in page.context["rows"]) == list(range(1, 8))


def test_an_error_anywhere_saves_nothing_and_names_the_row(org, login, small_chunks):
    client = login(org.users["communications_admin"])
    text = (
        people(6) + "henkilo9@kirkkonummi.fi,Henkilö 9,neuvoja,Ei tällaista yksikköä,,,2020-01-01,,active\n"
    )
    job = _run(_started(client, text))
    assert job.status == ImportJob.Status.DONE and job.has_errors
    assert not Person.objects.filter(email__startswith="henkilo").exists()
    bad = [r for r in job.rows if r["kind"] in ("error", "invalid")]
    assert [r["number"] for r in bad] == [7] and "Ei tällaista yksikköä" in " ".join(bad[0]["messages"])
    html = client.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "mitään ei tallennettu" in html.lower() or "nothing was saved" in html.lower()


def test_a_dry_run_shows_what_would_change_and_saves_nothing(org, login, small_chunks):
    client = login(org.users["communications_admin"])
    job = _run(_started(client, people(5), dry_run=True))
    assert job.status == ImportJob.Status.DONE and not job.has_errors
    assert [r["kind"] for r in job.rows] == ["new"] * 5
    assert not Person.objects.filter(email__startswith="henkilo").exists()


def test_a_registry_change_between_check_and_save_keeps_the_saved_rows_and_says_which(
    org, login, small_chunks, monkeypatch
):
    client = login(org.users["communications_admin"])
    Unit.objects.create(name="Poistuva")
    text = people(2) + people(3, unit="Poistuva").replace(HEADER, "").replace("henkilo", "toinen")
    checked = imports._check

    def check_then_someone_deletes_the_unit(job, dataset):
        rows = checked(job, dataset)
        Unit.objects.filter(name="Poistuva").delete()
        return rows

    monkeypatch.setattr(imports, "_check", check_then_someone_deletes_the_unit)
    job = _run(_started(client, text))
    assert job.status == ImportJob.Status.FAILED and "1–2" in job.error
    assert Person.objects.filter(email__startswith="henkilo").count() == 2
    assert not Person.objects.filter(email__startswith="toinen").exists()


def test_a_small_file_is_still_answered_at_once(org, login):
    client = login(org.users["communications_admin"])
    response = _upload(client, "people", people(3))
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert Person.objects.filter(email__startswith="henkilo").count() == 3


def test_a_bad_file_in_the_background_fails_with_the_reason(org, login, small_chunks):
    client = login(org.users["communications_admin"])
    job = _run(
        _started(client, "name,website\n" + "".join(f"Yksikkö {i},\n" for i in range(5)), kind="people")
    )
    assert job.status == ImportJob.Status.FAILED and "email" in job.error


def test_only_communications_admins_see_an_import_job(org, login, small_chunks):
    job = _started(login(org.users["communications_admin"]), people(5))
    url = reverse("registry:import-job", args=[job.pk])
    for role in ("unit_editor", "author", "auditor", "it_security"):
        assert login(org.users[role]).get(url).status_code == 403, role
    assert login(org.users["communications_admin"]).get(url).status_code == 200


@pytest.mark.slow
def test_on_a_sqlite_file_the_check_leaves_the_database_free_for_other_writers(tmp_path):
    """The check runs on a private copy: another connection writes to the real file meanwhile without
    waiting, and none of the checked rows reach the real database before the save."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOMEVAHTI_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        {
            "SOMEVAHTI_DATA_DIR": str(tmp_path),
            "SOMEVAHTI_SECRET_KEY": "test-only",
            "DJANGO_SETTINGS_MODULE": "somevahti.web.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    script = f"""
import sqlite3, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from somevahti.web.registry import imports
from somevahti.web.registry.models import ImportJob, Person, Unit
Unit.objects.create(name="Matkailu")
real = settings.DATABASES["default"]["NAME"]
checked = imports._check
seen = {{}}
def check(job, dataset):
    def write_meanwhile():
        other = sqlite3.connect(real, timeout=0.2)  # a web request: it may not wait for the import
        other.execute("INSERT INTO registry_unit (name, website, parent_id) VALUES ('Kirjasto', '', NULL)")
        other.commit()
        seen["henkilo_in_real"] = other.execute(
            "SELECT COUNT(*) FROM registry_person WHERE email LIKE 'henkilo%'").fetchone()[0]
        other.close()
    from somevahti.web.registry import resources
    original = resources.PersonResource.after_import
    def after_import(self, dataset, result, **kwargs):
        write_meanwhile()  # the whole file is in the check's transaction now
        return original(self, dataset, result, **kwargs)
    resources.PersonResource.after_import = after_import
    try:
        return checked(job, dataset)
    finally:
        resources.PersonResource.after_import = original
imports._check = check
imports.CHUNK_ROWS = 2
imports.PAUSE = 0
job = ImportJob.objects.create(kind="people", text={people(5)!r}, dry_run=False, total=5)
imports.run(job.pk)
job.refresh_from_db()
print(job.status, Person.objects.filter(email__startswith="henkilo").count(), seen["henkilo_in_real"],
      Unit.objects.filter(name="Kirjasto").count())
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["done", "5", "0", "1"]
