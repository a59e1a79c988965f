"""Inbox behaviour: archive first, triage, assignment (KIRK-5.13), the clock, answers checked before
sending, moderation by capability, incidents routed by the pack and pinned evidence, reports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from somevahti.channels.base import IncomingItem, NotSupported
from somevahti.web.api import checking
from somevahti.web.archive import access
from somevahti.web.inbox import archiving, services
from somevahti.web.inbox.models import Action, Incident, Item

THREAT = "Tiedän missä asut. Tapan sinut."
NEGATIVE = "Huono palvelu, kirjasto oli taas kiinni ilman ilmoitusta."
NEGATIVE_SV = "Dålig service, biblioteket var stängt igen utan förvarning."
QUESTION = "Milloin uimahalli aukeaa?"
MISUSE = "Vahvista tilisi täällä: http://kirkkonummi-tuki.com/paivitys.exe"


def incoming(ext, text, who="", **kw) -> IncomingItem:
    return IncomingItem(
        external_id=ext,
        text=text,
        post_author=who,
        parent_id="post-1",
        post_text="Kirjaston aukioloajat muuttuvat.",
        author_name="Maija M",
        **kw,
    )


@pytest.fixture(autouse=True)
def fresh_archive(tmp_path, monkeypatch):
    """Each test its own archive: the Django database is rolled back after a test, the archive is not."""
    from somevahti.archive.api import DB_ENV

    access.close()
    monkeypatch.setenv(DB_ENV, f"sqlite:///{tmp_path / 'archive.sqlite3'}")
    yield
    access.close()


class InboxOrg:
    def __init__(self, org):
        self.org = org
        author = org.people["author"].email
        monday_9 = (
            timezone.now()
            .astimezone(timezone.get_current_timezone())
            .replace(hour=9, minute=0, second=0, microsecond=0)
        )
        self.arrived = monday_9 - timedelta(days=monday_9.weekday() + 7)  # Monday a week ago, 9:00
        report = services.ingest(
            [
                incoming("c-threat", THREAT, author, occurred=self.arrived),
                incoming("c-negative", NEGATIVE, author, occurred=self.arrived),
                incoming("c-question", QUESTION, org.leaver.email, occurred=timezone.now()),
                incoming("c-misuse", MISUSE, occurred=self.arrived),
            ],
            org.account_a,
            actor="test",
        )
        self.threat, self.negative, self.question, self.misuse = report.created
        self.other_unit = services.ingest(
            [incoming("c-b", "Miksi kirjasto on kiinni?", occurred=timezone.now())],
            org.account_b,
            actor="test",
        ).created[0]
        self.incident = services.open_incident(
            org.users["author"],
            type="threat",
            title="Uhkaus",
            item=self.threat,
            concerns=org.people["author"],
        )


@pytest.fixture
def inbox(org):
    return InboxOrg(org)


@pytest.fixture
def pack(monkeypatch):
    """Switch the organisation's pack for one test (the web tests run on the generic pack)."""

    def use(name):
        monkeypatch.setitem(settings.SOMEVAHTI, "PACK", name)
        checking.organisation_pack.cache_clear()
        services.triager.cache_clear()

    yield use
    checking.organisation_pack.cache_clear()
    services.triager.cache_clear()


def test_items_are_archived_before_they_are_stored_and_triaged(inbox):
    item = inbox.threat
    records = archiving.records_of(item.subject)
    assert records and records[0]["seq"] == item.archive_seq and records[0]["hash"] == item.archive_hash
    assert records[0]["kind"] == "comment" and records[0]["text"] == THREAT
    assert item.category == "escalate_threat" and "threat" in item.labels and "KIRK-8.6" in item.clauses
    assert inbox.negative.category == "respond_negative"
    assert inbox.question.category == "respond_question"
    assert inbox.misuse.category == "escalate_misuse"


def test_a_redelivered_item_is_not_archived_twice_but_an_edit_is(inbox, org):
    before = len(archiving.records_of(inbox.negative.subject))
    again = services.ingest([incoming("c-negative", NEGATIVE)], org.account_a, actor="test")
    assert (
        again.unchanged == 1
        and not again.created
        and len(archiving.records_of(inbox.negative.subject)) == before
    )
    edited = services.ingest([incoming("c-negative", "Kiitos, nyt toimii!")], org.account_a, actor="test")
    assert len(edited.updated) == 1
    item = Item.objects.get(pk=inbox.negative.pk)
    assert item.category == "acknowledge" and item.due_at is None
    assert len(archiving.records_of(item.subject)) == before + 1


def test_assignment_follows_the_publisher_else_the_unit_editors(inbox, org):
    assert inbox.threat.assignee == org.people["author"] and inbox.threat.publisher == org.people["author"]
    assert (
        inbox.question.publisher == org.leaver and inbox.question.assignee is None
    )  # the publisher has left
    assert inbox.misuse.publisher is None and inbox.misuse.assignee is None
    assert services.assignee_for(None) is None


def test_the_clock_runs_for_questions_negative_feedback_and_threats(inbox):
    negative = inbox.negative
    assert negative.due_at == inbox.arrived + timedelta(hours=4)  # Monday 9:00 + 4 business hours
    assert negative.is_overdue(timezone.now())
    assert inbox.threat.due_at == inbox.arrived + timedelta(hours=1)  # a threat is handled within the hour
    assert inbox.misuse.due_at is None
    assert inbox.question.due_at is not None


def test_overdue_items_surface_to_the_unit_editor_and_communications(inbox, login, org):
    for role in ("unit_editor", "communications_admin"):
        page = login(org.users[role]).get(reverse("inbox:list") + "?queue=overdue").content.decode()
        assert 'id="overdue-alert"' in page and f'data-item="{inbox.negative.pk}"' in page
        assert f'data-item="{inbox.question.pk}"' not in page  # arrived now: not late yet
    page = login(org.users["auditor"]).get(reverse("inbox:reports")).content.decode()
    assert "visitkirkkonummi" in page.split('id="overdue"')[1]


def test_queues_filter_by_category_and_account(inbox, login, org):
    client = login(org.users["communications_admin"])
    page = client.get(reverse("inbox:list") + "?category=escalate_threat&status=all").content.decode()
    assert f'data-item="{inbox.threat.pk}"' in page and f'data-item="{inbox.negative.pk}"' not in page
    page = client.get(reverse("inbox:list") + f"?account={org.account_b.pk}&status=all").content.decode()
    assert f'data-item="{inbox.other_unit.pk}"' in page and f'data-item="{inbox.threat.pk}"' not in page
    # the unit editor of unit A never sees unit B's items
    page = login(org.users["unit_editor"]).get(reverse("inbox:list") + "?status=all").content.decode()
    assert f'data-item="{inbox.other_unit.pk}"' not in page and f'data-item="{inbox.question.pk}"' in page


def test_comment_text_is_escaped(org, login):
    item = services.ingest(
        [incoming("c-xss", "<script>alert(1)</script> Milloin?")], org.account_a, actor="t"
    ).created[0]
    page = (
        login(org.users["communications_admin"]).get(reverse("inbox:item", args=[item.pk])).content.decode()
    )
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_saved_reply_in_swedish_fills_the_signature(inbox, login, org):
    client = login(org.users["author"])
    page = client.get(reverse("inbox:item", args=[inbox.negative.pk]) + "?saved=negative-feedback&lang=sv")
    text = page.content.decode()
    assert (
        "Tack för din respons!" in text and "Author Person, Matkailu" in text and "Vi ber om ursäkt" in text
    )


def test_unfilled_placeholders_and_personal_data_block_sending(inbox, login, org):
    client = login(org.users["author"])
    url = reverse("inbox:reply", args=[inbox.negative.pk])
    r = client.post(
        url, {"text": "Kiitos palautteesta! [Kerro syy.]\n/Author Person", "language": "fi", "send": "1"}
    )
    assert r.status_code == 200 and 'data-rule="placeholder"' in r.content.decode()
    assert "<mark>[Kerro syy.]</mark>" in r.content.decode()
    r = client.post(
        url,
        {
            "text": "Kiitos palautteesta! Maija Meikäläisen henkilötunnus on 131052-308T.\n/Author Person",
            "language": "fi",
            "send": "1",
        },
    )
    page = r.content.decode()
    assert 'data-rule="personal-data"' in page and "<mark>131052-308T</mark>" in page
    item = Item.objects.get(pk=inbox.negative.pk)
    assert item.status == "open" and not item.actions.filter(kind="answered").exists()


def test_signature_missing_is_shown_with_its_clause(inbox, pack):
    pack("kirkkonummi")
    problems = services.check_reply(
        inbox.negative, "Kiitos palautteesta, korjaamme asian heti huomenna.", "fi"
    )
    sig = [p for p in problems if p.rule == "kirk-signature"]
    assert sig and sig[0].clauses == ["KIRK-5.17"]
    signed = services.check_reply(
        inbox.negative,
        "Kiitos palautteesta, korjaamme asian heti huomenna.\nt. Maija Virtanen, kirjasto",
        "fi",
    )
    assert not [p for p in signed if p.rule == "kirk-signature"]


def test_a_checked_answer_is_recorded_archived_and_stops_the_clock(inbox, login, org):
    client = login(org.users["author"])
    r = client.post(
        reverse("inbox:reply", args=[inbox.negative.pk]),
        {
            "text": "Kiitos palautteestasi! Kirjasto oli kiinni sairastumisen vuoksi. "
            "Ilmoitamme jatkossa ajoissa. Pahoittelemme tilannetta.\n/Author Person, Matkailu",
            "language": "fi",
            "send": "1",
        },
    )
    assert r.status_code == 302
    item = Item.objects.get(pk=inbox.negative.pk)
    action = item.actions.get(kind="answered")
    assert item.status == "answered" and item.response_hours and item.response_hours > 4 and action.by_hand
    kinds = [(r["kind"], r["action"]) for r in archiving.records_of(item.subject)]
    assert ("moderation", "answered") in kinds
    assert archiving.record(action.archive_seq)["actor"] == "author"


def test_hide_and_delete_follow_the_capability_flags(inbox, org):
    action = services.moderate(inbox.misuse, org.users["unit_editor"], "hidden", "tietojenkalastelu")
    assert action.by_hand and Item.objects.get(pk=inbox.misuse.pk).status == "hidden"
    record = archiving.record(action.archive_seq)
    assert (
        record["action"] == "hidden"
        and record["text"] == "tietojenkalastelu"
        and record["actor"] == "unit_editor"
    )
    org.account_a.platform = "mastodon"  # Mastodon has no hide and no deleting of others' statuses
    org.account_a.save()
    with pytest.raises(NotSupported):
        services.moderate(Item.objects.get(pk=inbox.question.pk), org.users["unit_editor"], "hidden", "x")
    with pytest.raises(NotSupported):
        services.moderate(Item.objects.get(pk=inbox.question.pk), org.users["unit_editor"], "deleted", "x")


def test_moderation_needs_a_reason(inbox, login, org):
    client = login(org.users["unit_editor"])
    r = client.post(reverse("inbox:moderate", args=[inbox.misuse.pk]), {"kind": "deleted", "reason": ""})
    assert r.status_code == 200 and Item.objects.get(pk=inbox.misuse.pk).status == "open"


def test_threat_incident_is_routed_to_the_supervisor_with_evidence(inbox, org):
    incident = inbox.incident
    assert list(incident.handlers.all()) == [org.people["supervisor"]]
    assert incident.routes == ["supervisor", "communications"]  # the defaults (generic pack)
    assert incident.evidence[0]["seq"] == inbox.threat.archive_seq and incident.evidence[0]["text"] == THREAT
    assert Item.objects.get(pk=inbox.threat.pk).status == "escalated"
    escalated = Action.objects.get(item=inbox.threat, kind="escalated")
    assert archiving.record(escalated.archive_seq)["action"] == "escalated"
    assert incident.events.first().status == "new"


def test_routing_by_pack(org, pack, inbox):
    pack("kirkkonummi")
    routes, handlers = services.route("threat", org.people["author"])
    assert routes == ["supervisor"] and handlers == [org.people["supervisor"]]  # KIRK-8.6
    routes, handlers = services.route("phishing", org.people["author"])
    assert routes == ["supervisor", "it_security"]  # KIRK-8.7
    assert services.route("harmful_content", None) == (["communications"], [])
    # nobody to supervise: communications takes it
    assert services.route("threat", org.other) == (["supervisor", "communications"], [])
    assert services.incident_clauses("threat") == ["KIRK-8.6"]  # Kirkkonummi's own clauses only
    pack("kela")
    assert services.incident_clauses("harmful_content") == ["KELA-2.3", "KELA-3.3"]
    pack("ranua")
    assert services.route("harassment", org.people["author"]) == (["communications"], [])


def test_default_incident_types_from_the_triage(inbox):
    assert services.default_incident_type(inbox.threat) == "threat"
    assert services.default_incident_type(inbox.misuse) == "malware"  # a link to a program


def test_incident_mail_goes_to_the_supervisor_and_communications(org, django_capture_on_commit_callbacks):
    item = services.ingest([incoming("c-t2", THREAT)], org.account_a, actor="t").created[0]
    org.people["supervisor"].email = "esihenkilo@kirkkonummi.fi"
    org.people["supervisor"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.open_incident(
            org.users["author"], type="threat", title="t", item=item, concerns=org.people["author"]
        )
    assert mail.outbox and {"esihenkilo@kirkkonummi.fi", "communications_admin@kirkkonummi.fi"} <= set(
        mail.outbox[-1].to
    )


def test_incident_page_guidance_in_the_users_language_and_timeline(inbox, login, org):
    client = login(org.users["supervisor"])
    url = reverse("inbox:incident", args=[inbox.incident.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "poliisi.fi/sv" in page and "Rapportera" in page  # police and platform guidance in Swedish
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Rikosilmoitus" in page
    client.post(
        reverse("inbox:incident-update", args=[inbox.incident.pk]),
        {"status": "reported_police", "note": "Ilmoitus tehty"},
    )
    incident = Incident.objects.get(pk=inbox.incident.pk)
    assert incident.status == "reported_police" and incident.events.count() == 2


def test_harmful_content_has_no_police_guidance(org, login):
    incident = services.open_incident(org.users["communications_admin"], type="harmful_content", title="Huhu")
    page = login(org.users["communications_admin"]).get(reverse("inbox:incident", args=[incident.pk]))
    assert 'id="police-guidance"' not in page.content.decode()


def test_pin_evidence_from_the_archive(inbox, login, org):
    client = login(org.users["communications_admin"])
    client.post(reverse("inbox:incident-pin", args=[inbox.incident.pk]), {"seq": inbox.negative.archive_seq})
    seqs = [e["seq"] for e in Incident.objects.get(pk=inbox.incident.pk).evidence]
    assert inbox.negative.archive_seq in seqs
    client.post(reverse("inbox:incident-pin", args=[inbox.incident.pk]), {"seq": 10**9})
    assert len(Incident.objects.get(pk=inbox.incident.pk).evidence) == len(seqs)


def test_import_from_the_web(org, login):
    client = login(org.users["unit_editor"])
    data = b"id,text,post_author\nf1,Milloin kirjasto aukeaa?,author@kirkkonummi.fi\nf2,Huono palvelu taas,\n"
    r = client.post(
        reverse("inbox:import"), {"account": org.account_a.pk, "file": _upload("kommentit.csv", data)}
    )
    assert r.status_code == 302
    assert set(Item.objects.filter(account=org.account_a).values_list("external_id", flat=True)) >= {
        "f1",
        "f2",
    }
    bad = b'{"id": "g1", "text": "ok"}\n{"id": "g2"}\n'
    r = client.post(reverse("inbox:import"), {"account": org.account_a.pk, "file": _upload("x.jsonl", bad)})
    assert (
        r.status_code == 200 and 'id="import-errors"' in r.content.decode() and "text" in r.content.decode()
    )
    assert not Item.objects.filter(external_id="g1").exists()
    # a unit editor cannot import into another unit's account
    r = client.post(reverse("inbox:import"), {"account": org.account_b.pk, "file": _upload("k.csv", data)})
    assert r.status_code == 200 and not Item.objects.filter(account=org.account_b, external_id="f1").exists()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_reports_tables_chart_and_csv(inbox, login, org):
    services.send_reply(
        inbox.negative, org.users["author"], "Kiitos palautteesta, korjaamme asian.\n/Author", "fi"
    )
    client = login(org.users["communications_admin"])
    page = client.get(reverse("inbox:reports")).content.decode()
    assert (
        '<figure class="chart">' in page
        and "<progress" in page
        and 'id="response-account"' in page
        and "visitkirkkonummi" in page
    )
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("inbox:report-csv", args=["volume"])).content.decode()))
    )
    counts = dict(rows[1:])
    assert (
        rows[0] == ["category", "count"]
        and counts["escalate_threat"] == "1"
        and counts["escalate_misuse"] == "1"
    )
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("inbox:report-csv", args=["response-units"])).content.decode())
        )
    )
    assert rows[1][0] == "Matkailu" and rows[1][1] == "1" and float(rows[1][2]) > 4
    incidents = dict(
        list(
            csv.reader(
                io.StringIO(client.get(reverse("inbox:report-csv", args=["incidents"])).content.decode())
            )
        )[1:]
    )
    assert incidents["threat"] == "1" and incidents["phishing"] == "0"
    assert client.get(reverse("inbox:report-csv", args=["secrets"])).status_code == 404


def test_import_command(org, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "m1", "text": "Jag ska döda dig.", "language": "sv"}\n', encoding="utf-8")
    out = io.StringIO()
    call_command(
        "inbox_import", str(path), "--account", f"{org.account_a.platform}:{org.account_a.handle}", stdout=out
    )
    item = Item.objects.get(external_id="m1")
    assert item.category == "escalate_threat" and item.language == "sv" and "1" in out.getvalue()


def test_triage_reasons_show_in_the_readers_language(inbox, login, org):
    client = login(org.users["author"])
    url = reverse("inbox:item", args=[inbox.negative.pk])
    assert "Negativ respons" in client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Negatiivinen palaute" in client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()


def test_the_archived_comment_opens_in_the_archive(inbox, login, org):
    client = login(org.users["communications_admin"])
    url = reverse("archive:record", args=[inbox.threat.archive_seq])
    assert url in client.get(reverse("inbox:item", args=[inbox.threat.pk])).content.decode()
    assert "Tapan sinut" in client.get(url).content.decode()
    author_page = (
        login(org.users["author"]).get(reverse("inbox:item", args=[inbox.threat.pk])).content.decode()
    )
    assert url not in author_page  # authors do not search the archive


def test_overdue_mail_goes_to_the_units_editors_and_communications(inbox, org):
    from django.core.management import call_command

    services.ingest(
        [incoming("c-late-b", "Huono palvelu, taas kiinni.", occurred=inbox.arrived)],
        org.account_b,
        actor="t",
    )
    out = io.StringIO()
    call_command("inbox_overdue", stdout=out)
    sent = {m.to[0]: m.body for m in mail.outbox}
    assert "c-negative" not in str(sent) and NEGATIVE[:40] in sent["unit_editor@kirkkonummi.fi"]
    assert "Huono palvelu, taas kiinni" not in sent["unit_editor@kirkkonummi.fi"]  # unit B's item
    assert "Huono palvelu, taas kiinni" in sent["communications_admin@kirkkonummi.fi"]
    assert NEGATIVE[:40] in sent["communications_admin@kirkkonummi.fi"]
    assert QUESTION not in sent["communications_admin@kirkkonummi.fi"]  # not late yet


def test_the_task_worker_mails_overdue_items_once_and_keeps_sweeping(
    transactional_db, inbox, org, monkeypatch
):
    """`somevahti web worker` queues the sweep; the worker runs it, it mails what is late, and the next
    sweep (queued 15 minutes later) mails only what became late since."""
    from django.core import management
    from django_tasks_db.models import DBTaskResult

    from somevahti.commands import web
    from somevahti.web.inbox.tasks import overdue_sweep

    monkeypatch.setattr(management, "call_command", lambda *a, **k: None)  # the worker loop itself
    web.worker(None)
    web.worker(None)  # restarted: still one waiting sweep
    waiting = DBTaskResult.objects.filter(task_path=overdue_sweep.module_path, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after <= timezone.now()
    monkeypatch.undo()
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    first = {m.to[0]: m for m in mail.outbox}
    assert NEGATIVE[:40] in first["unit_editor@kirkkonummi.fi"].body
    assert first["communications_admin@kirkkonummi.fi"].subject.startswith("Somevahti: ")
    assert QUESTION not in first["communications_admin@kirkkonummi.fi"].body  # not late yet
    nxt = DBTaskResult.objects.get(task_path=overdue_sweep.module_path, status="READY")
    assert timedelta(minutes=14) < nxt.run_after - timezone.now() <= timedelta(minutes=15)

    mail.outbox.clear()
    overdue_sweep.call()  # the sweep again: nothing new is late
    assert mail.outbox == []
    services.ingest(
        [incoming("c-late-2", "Huono palvelu, jono ei liiku.", occurred=inbox.arrived)],
        org.account_a,
        actor="t",
    )
    overdue_sweep.call()
    body = {m.to[0]: m.body for m in mail.outbox}["unit_editor@kirkkonummi.fi"]
    assert "jono ei liiku" in body and NEGATIVE[:40] not in body
    assert DBTaskResult.objects.filter(task_path=overdue_sweep.module_path, status="READY").count() == 1


def test_a_failed_overdue_mail_is_sent_by_the_next_sweep(inbox, org, monkeypatch):
    from somevahti.web.inbox import overdue

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(overdue, "send_mail", refuse)
    with pytest.raises(OSError):
        overdue.notify()
    monkeypatch.undo()
    assert "unit_editor@kirkkonummi.fi" in overdue.notify()
    assert overdue.notify() == {}


def test_overdue_mail_subject_counts_in_finnish(org):
    from somevahti.web.inbox import overdue

    late = timezone.now() - timedelta(days=14)
    services.ingest([incoming("c-one", NEGATIVE, occurred=late)], org.account_b, actor="t")
    overdue.notify()
    assert mail.outbox[-1].subject == "Somevahti: 1 kommentti, jonka vastausaika on ylittynyt"
    services.ingest(
        [incoming("c-two", NEGATIVE_SV, occurred=late), incoming("c-three", NEGATIVE + "!", occurred=late)],
        org.account_b,
        actor="t",
    )
    overdue.notify()
    assert mail.outbox[-1].subject == "Somevahti: 2 kommenttia, joiden vastausaika on ylittynyt"


def test_only_web_addresses_become_links(org, login):
    item = services.ingest(
        [
            incoming("c-js", "Katso tämä?", url="javascript:alert(1)"),
            incoming("c-ok", "Katso tämä?", url="https://www.facebook.com/x/posts/1"),
        ],
        org.account_a,
        actor="t",
    ).created
    assert item[0].url == "" and item[1].url.startswith("https://")
    page = (
        login(org.users["communications_admin"])
        .get(reverse("inbox:item", args=[item[0].pk]))
        .content.decode()
    )
    assert "javascript:" not in page


def test_an_item_archived_before_is_not_archived_again(org):
    first = services.ingest([incoming("c-once", QUESTION)], org.account_a, actor="t").created[0]
    Item.objects.filter(pk=first.pk).delete()  # e.g. the web database was restored from an older backup
    again = services.ingest([incoming("c-once", QUESTION)], org.account_a, actor="t").created[0]
    assert again.archive_seq == first.archive_seq and len(archiving.records_of(again.subject)) == 1


def test_the_inbox_speaks_finnish_and_swedish(inbox, login, org):
    client = login(org.users["unit_editor"])
    sv = client.get(reverse("inbox:list"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    fi = client.get(reverse("inbox:list"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Inkorg" in sv and "negativ respons" in sv and "har passerat svarstiden" in sv
    assert "Saapuneet" in fi and "negatiivinen palaute" in fi and "ylittänyt vastausajan" in fi
    bad = b'{"id": "g1", "text": "ok"}\n{"id": "g2"}\n'
    r = client.post(
        reverse("inbox:import"),
        {"account": org.account_a.pk, "file": _upload("x.jsonl", bad)},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert "rad 2: &#x27;text&#x27; saknas" in r.content.decode()


def test_import_counts_read_right_for_one_and_many(org, login):
    client = login(org.users["unit_editor"])
    one = b'{"id": "h1", "text": "Milloin kirjasto aukeaa?"}\n'
    page = client.post(
        reverse("inbox:import"), {"account": org.account_a.pk, "file": _upload("a.jsonl", one)}, follow=True
    ).content.decode()
    assert "Tuotu: 1 uusi, 0 muuttunutta, 0 oli jo." in page
    two = one + b'{"id": "h2", "text": "Kiitos!"}\n{"id": "h3", "text": "Hienoa!"}\n'
    page = client.post(
        reverse("inbox:import"),
        {"account": org.account_a.pk, "file": _upload("b.jsonl", two)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="sv",
    ).content.decode()
    assert "Importerat: 2 nya, 0 ändrade, 1 fanns redan." in page


def test_the_answer_clock_counts_business_hours_in_singular_and_plural(inbox, login, org, monkeypatch):
    from somevahti.web.inbox import views
    from somevahti.web.inbox.config import config

    client = login(org.users["communications_admin"])
    clock = client.get(
        reverse("inbox:item", args=[inbox.negative.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert " of 4 business hours used" in clock.split('id="item-clock"')[1]
    one_hour = config()
    one_hour.inbox["response_targets"] = {"respond_negative": 1}
    monkeypatch.setattr(views, "config", lambda: one_hour)
    clock = client.get(
        reverse("inbox:item", args=[inbox.negative.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert " of 1 business hour used" in clock.split('id="item-clock"')[1]


def test_queue_filters_answer_htmx_with_the_table_only(inbox, login, org):
    client = login(org.users["communications_admin"])
    r = client.get(
        reverse("inbox:list") + "?category=respond_negative&status=open",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results",
    )
    page = r.content.decode()
    assert page.startswith('<table id="items" class="stack">') and "<html" not in page
    assert f'data-item="{inbox.negative.pk}"' in page and f'data-item="{inbox.question.pk}"' not in page


def test_saved_replies_link_to_the_item_page_also_after_a_blocked_send(inbox, login, org):
    client = login(org.users["author"])
    r = client.post(
        reverse("inbox:reply", args=[inbox.negative.pk]), {"text": "[x]", "language": "fi", "send": "1"}
    )
    link = reverse("inbox:item", args=[inbox.negative.pk]) + "?saved=negative-feedback&amp;lang=sv"
    assert link in r.content.decode()
