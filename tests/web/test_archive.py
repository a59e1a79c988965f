"""Archive pages: every archive URL with every role (allow/deny), unit editors kept to their own
unit's accounts, search with an inflected word, an export started from the web that runs as a
task and downloads a bundle that verifies, retention rules and holds recorded in the archive."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from somevahti.archive.bundle import verify_export
from somevahti.web.archive import access
from somevahti.web.archive.models import ExportJob
from somevahti.web.archive.tasks import run_export

from .test_permissions import _names

ALL = {"communications_admin", "unit_editor", "author", "supervisor", "it_security", "auditor"}
COMMS = {"communications_admin"}
SEARCH = {"communications_admin", "auditor", "unit_editor"}
ORG = "kirkkonummi"


def archive_env(monkeypatch, tmp_path) -> None:
    """A fresh archive database, media and keys for this test, as the settings name them."""
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_DB", f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_MEDIA", str(tmp_path / "media"))
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("SOMEVAHTI_ORG", ORG)
    access.close()


def fill(org) -> dict:
    """Posts and comments on one account of each unit; returns the seqs by name."""
    a, b = access.account_id(org.account_a), access.account_id(org.account_b)
    arch = access.archive()
    arch.init(ORG)
    seqs = {}

    def add(name, kind, subject, text, account, **extra):
        rec = arch.append(
            kind,
            {
                "event": "published" if kind == "post" else "received",
                "texts": {"fi": text},
                "unit": "Matkailu" if account == a else "Kirjasto",
                **extra,
            },
            org=ORG,
            account=account,
            actor="inbox",
            subject=subject,
            occurred="2024-05-02T09:00:00Z",
        )
        seqs[name] = rec.seq

    add("post_a", "post", "facebook:1", "Kesän tapahtumat kirjastossa ja torilla.", a)
    add(
        "comment_a",
        "comment",
        "facebook:1_2",
        "Milloin kirjasto aukeaa? Soita 040 1234567.",
        a,
        parent="facebook:1",
        author={"name": "Maija Meikäläinen", "handle": "maija"},
    )
    add("post_b", "post", "facebook:9", "Kirjaston satutunti on peruttu.", b)
    arch.append(
        "moderation",
        {"action": "hidden", "note": "puhelinnumero"},
        org=ORG,
        account=a,
        actor="anna",
        subject="facebook:1_2",
    )
    arch.checkpoint(ORG)
    return seqs


@pytest.fixture
def filled(org, monkeypatch, tmp_path):
    archive_env(monkeypatch, tmp_path)
    org.seqs = fill(org)
    yield org
    access.close()


# name: (method, url builder, roles allowed)
PAGES = {
    "archive:search": ("get", lambda o: reverse("archive:search") + "?q=kirjasto", SEARCH),
    "archive:record": ("get", lambda o: reverse("archive:record", args=[o.seqs["post_a"]]), SEARCH),
    "archive:exports": ("get", lambda o: reverse("archive:exports"), COMMS),
    "archive:export": ("get", lambda o: reverse("archive:export", args=[o.job.pk]), COMMS),
    "archive:export-download": ("get", lambda o: reverse("archive:export-download", args=[o.job.pk]), COMMS),
    "archive:retention": ("post", lambda o: reverse("archive:retention"), COMMS),
    "archive:holds": ("post", lambda o: reverse("archive:holds"), COMMS),
    "archive:hold-release": ("post", lambda o: reverse("archive:hold-release", args=[o.hold]), COMMS),
}
FORM = {"account": "facebook:visitkirkkonummi", "years": "6", "reason": "HaO 123/2024", "accounts": ""}


def test_the_matrix_covers_every_archive_url():
    assert {n for n in _names() if n.startswith("archive:")} == set(PAGES)


@pytest.fixture
def with_export(filled, tmp_path, settings):
    from somevahti.archive import retention

    settings.DATA_DIR = tmp_path / "data"
    filled.job = ExportJob.objects.create(
        actor="communications_admin", accounts=["facebook:visitkirkkonummi"]
    )
    run_export.call(filled.job.pk)
    filled.hold = retention.place_hold(access.archive(), ORG, actor="x", reason="r").payload["hold"]
    return filled


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_archive_page_permissions(with_export, login, role, name):
    method, url, allowed = PAGES[name]
    client = login(with_export.users[role])
    response = client.get(url(with_export)) if method == "get" else client.post(url(with_export), FORM)
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_is_sent_to_sign_in(with_export, client, name):
    response = client.get(PAGES[name][1](with_export))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_navigation_offers_the_archive_only_to_searching_roles(filled, login):
    for role in ALL:
        page = login(filled.users[role]).get(reverse("home")).content.decode()
        assert (reverse("archive:search") in page) == (role in SEARCH), role


def _hit_seqs(response) -> set[int]:
    return {h.seq for h in response.context["hits"]}


def test_search_finds_inflected_finnish_words(filled, login):
    client = login(filled.users["auditor"])
    # "kirjastossa" (in the library) finds "kirjasto" and "Kirjaston"; words are ANDed
    found = _hit_seqs(client.get(reverse("archive:search"), {"q": "kirjastossa"}))
    assert found == {filled.seqs["post_a"], filled.seqs["comment_a"], filled.seqs["post_b"]}
    assert _hit_seqs(client.get(reverse("archive:search"), {"q": "kirjastossa peruttu"})) == {
        filled.seqs["post_b"]
    }
    assert _hit_seqs(client.get(reverse("archive:search"), {"q": "uimahalli"})) == set()


def test_search_filters(filled, login):
    client = login(filled.users["communications_admin"])

    def found(**params):
        return _hit_seqs(client.get(reverse("archive:search"), params))

    assert found(state="hidden", kind="comment") == {filled.seqs["comment_a"]}
    assert found(state="visible", kind="comment") == set()
    assert found(kind="post", account="facebook:KirkkonummiLib") == {filled.seqs["post_b"]}
    assert found(author="maija") == {filled.seqs["comment_a"]}
    assert found(unit="Kirjasto") == {filled.seqs["post_b"]}
    assert found(since="2024-05-03", kind="post") == set() and found(until="2024-05-02", kind="post") == {
        filled.seqs["post_a"],
        filled.seqs["post_b"],
    }
    assert found(language="sv") == set()
    response = client.get(reverse("archive:search"), {"since": "2024-05-03", "until": "2024-05-01"})
    assert response.status_code == 200 and not response.context["hits"]
    # the page opens on the newest records, before anything is searched
    first = client.get(reverse("archive:search"))
    newest = [h.seq for h in first.context["hits"]]
    assert newest and newest == sorted(newest, reverse=True) and filled.seqs["post_b"] in newest


def test_unit_editor_sees_only_the_own_units_accounts(filled, login):
    client = login(filled.users["unit_editor"])  # unit A: facebook:visitkirkkonummi
    assert _hit_seqs(client.get(reverse("archive:search"), {"q": "kirjasto"})) == {
        filled.seqs["post_a"],
        filled.seqs["comment_a"],
    }
    # asking for the other unit's account does not widen the search
    response = client.get(reverse("archive:search"), {"q": "kirjasto", "account": "facebook:KirkkonummiLib"})
    assert response.status_code == 200 and filled.seqs["post_b"] not in _hit_seqs(response)
    assert client.get(reverse("archive:record", args=[filled.seqs["post_b"]])).status_code == 404
    assert client.get(reverse("archive:record", args=[filled.seqs["post_a"]])).status_code == 200


def test_record_page_shows_versions_moderation_and_verification(filled, login):
    client = login(filled.users["auditor"])
    response = client.get(reverse("archive:record", args=[filled.seqs["comment_a"]]))
    page = response.content.decode()
    assert response.context["check"].ok and 'id="verification"' in page
    assert "Milloin kirjasto aukeaa?" in page and "puhelinnumero" in page  # the text and the moderation note
    assert [v.kind for v in response.context["versions"]] == ["comment", "moderation"]
    post = client.get(reverse("archive:record", args=[filled.seqs["post_a"]]))
    assert [r.seq for r in post.context["replies"]] == [filled.seqs["comment_a"]]
    assert client.get(reverse("archive:record", args=[9999])).status_code == 404


def test_record_page_tells_when_no_checkpoint_covers_the_record(filled, login):
    rec = access.archive().append(
        "post", {"texts": {"fi": "Uusi"}}, org=ORG, account="facebook:visitkirkkonummi", subject="facebook:77"
    )
    client = login(filled.users["auditor"])
    response = client.get(reverse("archive:record", args=[rec.seq]))
    assert not response.context["check"].ok
    # the core's message in the reader's language, whatever the server's
    sv = client.get(reverse("archive:record", args=[rec.seq]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    fi = client.get(reverse("archive:record", args=[rec.seq]), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert f"post {rec.seq} täcks ännu inte av en signerad kontrollpunkt" in sv
    assert f"allekirjoitettu tarkistuspiste ei vielä kata tallennetta {rec.seq}" in fi


def test_export_from_the_web_runs_as_a_task_and_verifies(filled, login, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    client = login(filled.users["communications_admin"])
    response = client.post(
        reverse("archive:exports"), {"accounts": "facebook:visitkirkkonummi", "text": "kirjastossa"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("archive:export", args=[job.pk])
    fragment = client.get(reverse("archive:export", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert (
        'hx-trigger="every 1s"' in fragment and 'data-status="queued"' in fragment
    )  # the page keeps polling

    assert run_export.call(job.pk)["status"] == "done"
    job.refresh_from_db()
    assert (job.status, job.threads, job.records, job.percent) == ("done", 1, 3, 100)
    fragment = client.get(reverse("archive:export", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and reverse("archive:export-download", args=[job.pk]) in fragment
    counts = {
        lang: client.get(
            reverse("archive:export", args=[job.pk]), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=lang
        )
        .content.decode()
        .split('id="export-counts">')[1][:40]
        for lang in ("en", "fi", "sv")
    }
    assert counts["en"].startswith("1 thread, 3 records.")  # not "1 threads"
    assert counts["fi"].startswith("1 viestiketju, 3 tallennetta.")
    assert counts["sv"].startswith("1 tråd, 3 poster.")
    download = client.get(reverse("archive:export-download", args=[job.pk]))
    bundle = tmp_path / "got.zip"
    bundle.write_bytes(b"".join(download.streaming_content))
    public = access.archive().keys.public_key(ORG)
    report = verify_export(bundle, {public})
    assert report.ok, report.problems
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as zf:
        assert "records.jsonl" in zf.namelist() and b"Kirjaston satutunti" not in zf.read("records.jsonl")
    export_record = access.archive().get(ORG, job.archive_seq)
    assert export_record.kind == "export" and export_record.actor == "communications_admin"


def test_failed_export_shows_why(filled, login, tmp_path, settings, monkeypatch):
    settings.DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "no-keys"))
    access.close()
    access.archive().append(
        "post", {"texts": {"fi": "x"}}, org=ORG, account="facebook:visitkirkkonummi", subject="facebook:5"
    )  # not covered by a checkpoint, and no key to make one
    client = login(filled.users["communications_admin"])
    client.post(reverse("archive:exports"), {"accounts": "facebook:visitkirkkonummi"})
    job = ExportJob.objects.get()
    assert run_export.call(job.pk)["status"] == "failed"
    page = client.get(reverse("archive:export", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in page and "archive checkpoint" in page
    assert client.get(reverse("archive:export-download", args=[job.pk])).status_code == 404


def test_export_form_needs_an_account(filled, login):
    client = login(filled.users["communications_admin"])
    response = client.post(reverse("archive:exports"), {"accounts": " , "})
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_retention_and_holds_are_recorded_with_the_user(filled, login):
    from somevahti.archive import retention

    client = login(filled.users["communications_admin"])
    client.post(reverse("archive:retention"), {"account": "facebook:visitkirkkonummi", "years": "6"})
    client.post(reverse("archive:retention"), {"account": "facebook:KirkkonummiLib", "permanent": "on"})
    arch = access.archive()
    assert retention.rules(arch, ORG) == {"facebook:visitkirkkonummi": 6, "facebook:KirkkonummiLib": None}
    bad = client.post(reverse("archive:retention"), {"account": "x", "years": "3", "permanent": "on"})
    assert bad.status_code == 200 and "x" not in retention.rules(arch, ORG)

    client.post(
        reverse("archive:holds"),
        {"reason": "HaO 123/2024", "accounts": "facebook:visitkirkkonummi", "text": "kirjasto"},
    )
    ((hold_id, hold),) = retention.active_holds(arch, ORG).items()
    assert hold["actor"] == "communications_admin" and hold["accounts"] == ["facebook:visitkirkkonummi"]
    assert hold_id in client.get(reverse("archive:holds")).content.decode()
    client.post(reverse("archive:hold-release", args=[hold_id]), {"reason": ""})  # a release needs a reason
    assert hold_id in retention.active_holds(arch, ORG)
    client.post(reverse("archive:hold-release", args=[hold_id]), {"reason": "päätös lainvoimainen"})
    assert retention.active_holds(arch, ORG) == {}
    kinds = [r.kind for r in arch.records(ORG, kinds=["retention", "hold", "hold-release"])]
    assert kinds == ["retention", "retention", "hold", "hold-release"]
    assert {r.actor for r in arch.records(ORG, kinds=["retention", "hold", "hold-release"])} == {
        "communications_admin"
    }


def test_the_task_worker_signs_new_records_hourly(transactional_db, filled):
    """Records appended after the last checkpoint get one from the worker; a second run signs nothing new."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from somevahti.web.archive.tasks import checkpoint, schedule_checkpoint

    arch = access.archive()
    late = arch.append(
        "comment",
        {"event": "received", "texts": {"fi": "Myöhäinen kommentti"}},
        org=ORG,
        account="facebook:visitkirkkonummi",
        actor="inbox",
        subject="facebook:1_3",
    )
    assert arch.covering_checkpoint(ORG, late.seq) is None
    schedule_checkpoint()
    schedule_checkpoint()
    assert DBTaskResult.objects.filter(task_path=checkpoint.module_path, status="READY").count() == 1
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    access.close()
    assert access.archive().covering_checkpoint(ORG, late.seq).seq == late.seq
    waiting = DBTaskResult.objects.get(task_path=checkpoint.module_path, status="READY")
    assert waiting.run_after - timezone.now() > timedelta(minutes=59)
    before = len(access.archive().checkpoints(ORG))
    assert checkpoint.call() == {"status": "nothing new"}
    assert len(access.archive().checkpoints(ORG)) == before


def test_the_checkpoint_task_without_a_key_reports_and_keeps_its_schedule(org, monkeypatch, tmp_path):
    from somevahti.web.archive.tasks import checkpoint

    archive_env(monkeypatch, tmp_path)
    access.archive().append(
        "post",
        {"event": "published", "texts": {"fi": "Hei"}},
        org=ORG,
        account="x:y",
        actor="t",
        subject="x:1",
    )
    assert checkpoint.call() == {"status": "no key"}
    assert access.archive().checkpoints(ORG) == []
    access.close()
