"""A large comment file goes to the background worker: the request answers at once with a progress
page; the worker reads the whole file first (a bad line anywhere: nothing imported, the bad lines
listed in line order), then archives and stores the comments in short chunks, every comment listed
by its line; a comment that cannot be stored is listed with its reason and costs the others nothing.
The job's page is for whoever started it and the communications admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from somevahti.web.archive import access
from somevahti.web.inbox import archiving, imports
from somevahti.web.inbox.models import ImportItemsJob, Item


@pytest.fixture(autouse=True)
def fresh_archive(tmp_path, monkeypatch):
    """Each test its own archive: the Django database is rolled back after a test, the archive is not."""
    from somevahti.archive.api import DB_ENV

    access.close()
    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    yield
    access.close()


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "INLINE_ROWS", 3)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    monkeypatch.setattr(imports, "PAUSE", 0)


def comments(n: int, bad_lines: tuple[int, ...] = ()) -> bytes:
    """A CSV of n comments; the comment on each line in ``bad_lines`` has no text (line 1 is the header)."""
    lines = ["id,text\n"]
    for i in range(n):
        text = "" if i + 2 in bad_lines else f"Milloin kirjasto {i} aukeaa?"
        lines.append(f"k{i},{text}\n")
    return "".join(lines).encode()


def _post(client, account, data: bytes, dry_run: bool = False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"account": account.pk, "file": SimpleUploadedFile("kommentit.csv", data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("inbox:import"), form)


def _started(client, account, data: bytes, dry_run: bool = False) -> ImportItemsJob:
    response = _post(client, account, data, dry_run)
    job = ImportItemsJob.objects.latest("created")
    assert response.status_code == 302 and response["Location"] == reverse("inbox:import-job", args=[job.pk])
    assert (
        job.status == ImportItemsJob.Status.QUEUED
        and not Item.objects.filter(external_id__startswith="k").exists()
    )
    return job


def _run(job) -> ImportItemsJob:
    imports.run(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    return job


def test_a_small_file_is_still_imported_in_the_request(org, login, small_chunks):
    client = login(org.users["unit_editor"])
    response = _post(client, org.account_a, comments(3))
    assert response.status_code == 302 and not ImportItemsJob.objects.exists()
    assert Item.objects.filter(external_id__startswith="k").count() == 3


def test_a_large_file_is_imported_in_the_background_in_line_order(
    org, login, small_chunks, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    client = login(org.users["unit_editor"])
    with django_capture_on_commit_callbacks(execute=True):
        job = _started(client, org.account_a, comments(7))
    assert DBTaskResult.objects.filter(task_path__endswith="inbox.tasks.run_import").count() == 1
    waiting = client.get(reverse("inbox:import-job", args=[job.pk])).content.decode()
    assert 'data-status="queued"' in waiting and "hx-get" in waiting  # the page polls while it waits
    job = _run(job)
    assert job.status == ImportItemsJob.Status.DONE and (job.done, job.total, job.percent) == (7, 7, 100)
    assert job.text == ""  # the file is not kept once imported
    stored = list(
        Item.objects.filter(external_id__startswith="k").order_by("pk").values_list("external_id", flat=True)
    )
    assert stored == [f"k{i}" for i in range(7)]  # every comment, in the file's order
    item = Item.objects.get(external_id="k6")
    assert access.archive().get(access.org(), item.archive_seq).subject == f"{org.account_a.platform}:k6"
    page = client.get(reverse("inbox:import-job", args=[job.pk]))
    html = page.content.decode()
    assert 'data-status="done"' in html and "hx-get" not in html and 'id="import-rows"' in html
    assert [r["line"] for r in page.context["rows"]] == list(range(2, 9))
    assert {r["kind"] for r in page.context["rows"]} == {"new"} and "Tuotu: 7 uutta, 0 muuttunutta" in html
    # the htmx poll gets the progress section alone
    partial = client.get(reverse("inbox:import-job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<section id="import-progress"') and 'value="100"' in partial


def test_bad_lines_anywhere_import_nothing_and_are_listed_in_line_order(org, login, small_chunks):
    client = login(org.users["communications_admin"])
    response = _post(client, org.account_a, comments(7, bad_lines=(6, 3)))
    # the form reads the file itself, so the bad lines are shown at once, in line order
    assert response.status_code == 200 and not ImportItemsJob.objects.exists()
    errors = response.context["errors"]
    assert [e.split(":")[0] for e in errors] == ["rivi 3", "rivi 6"]
    # should the file reach the worker bad (read there again), the job lists them and imports nothing
    job = ImportItemsJob.objects.create(
        account=org.account_a,
        filename="k.csv",
        requested_by=org.users["communications_admin"],
        text=comments(7, bad_lines=(8, 2)).decode(),
        total=7,
    )
    job = _run(job)
    assert job.status == ImportItemsJob.Status.DONE and job.has_bad_lines and job.percent == 100
    assert [(r["line"], r["kind"]) for r in job.rows] == [(2, "bad"), (8, "bad")]
    assert not Item.objects.filter(external_id__startswith="k").exists()
    html = client.get(reverse("inbox:import-job", args=[job.pk])).content.decode()
    assert "mitään ei tuotu" in html and "'text' puuttuu" in html.replace("&#x27;", "'")


def test_a_dry_run_imports_nothing_and_says_what_an_import_would_do(org, login, small_chunks):
    client = login(org.users["communications_admin"])
    job = _run(_started(client, org.account_a, comments(5), dry_run=True))
    assert job.status == ImportItemsJob.Status.DONE and job.count("new") == 5
    assert not Item.objects.filter(external_id__startswith="k").exists()


def test_a_small_dry_run_in_the_request_imports_nothing_and_counts(org, login, small_chunks):
    client = login(org.users["unit_editor"])
    response = _post(client, org.account_a, comments(2), dry_run=True)
    assert response.status_code == 200 and not ImportItemsJob.objects.exists()
    assert not Item.objects.filter(external_id__startswith="k").exists()
    assert "Koeajo, mitään ei tuotu: 2 uutta" in response.content.decode()


def test_a_failing_comment_does_not_lose_the_rest(org, login, small_chunks, monkeypatch):
    real = archiving.archive_incoming

    def archive_but_k3(item, *args, **kwargs):
        if item.external_id == "k3":
            raise RuntimeError("the archive disk is full")
        return real(item, *args, **kwargs)

    monkeypatch.setattr(archiving, "archive_incoming", archive_but_k3)
    client = login(org.users["communications_admin"])
    job = _run(_started(client, org.account_a, comments(7)))
    assert job.status == ImportItemsJob.Status.DONE and job.percent == 100
    stored = set(Item.objects.filter(external_id__startswith="k").values_list("external_id", flat=True))
    assert stored == {f"k{i}" for i in range(7)} - {"k3"}
    failed = [r for r in job.rows if r["kind"] == "failed"]
    assert [(r["line"], "disk is full" in r["message"]) for r in failed] == [(5, True)]
    assert len(job.rows) == 7  # every comment is either imported or listed with its reason
    html = client.get(reverse("inbox:import-job", args=[job.pk])).content.decode()
    assert 'id="import-failed"' in html and "the archive disk is full" in html


def test_only_its_starter_and_the_communications_admins_see_a_job(org, login, small_chunks):
    from django.contrib.auth.models import User

    from somevahti.web.core.models import Membership, Role

    job = _started(login(org.users["unit_editor"]), org.account_a, comments(5))
    url = reverse("inbox:import-job", args=[job.pk])
    assert login(org.users["communications_admin"]).get(url).status_code == 200
    other = User.objects.create_user("toinen.editori", password="x")
    Membership.objects.create(
        user=other, role=Role.UNIT_EDITOR, unit=org.users["unit_editor"].membership.unit
    )
    assert login(other).get(url).status_code == 403  # the same unit, but not theirs
    assert login(org.users["author"]).get(url).status_code == 403
    assert login(org.users["unit_editor"]).get(url).status_code == 200
