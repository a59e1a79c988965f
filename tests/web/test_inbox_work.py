"""The inbox's daily work: assignment to a person, bulk actions checked item by item, the CSV export
of the filtered list (formula-safe), and a threat's deadline and immediate mail."""

from __future__ import annotations

import csv
import io

from django.core import mail
from django.urls import reverse

from somevahti.web.inbox import services
from somevahti.web.inbox.models import Action, Item

from .test_inbox import THREAT, fresh_archive, incoming  # noqa: F401 - fresh_archive: an autouse fixture
from .test_inbox import inbox as inbox  # noqa: F401 - the fixture


def test_assigning_a_comment_gives_it_to_that_person(inbox, login, org):  # noqa: F811
    client = login(org.users["unit_editor"])
    librarian = org.librarian
    response = client.post(reverse("inbox:assign", args=[inbox.negative.pk]), {"person": librarian.pk})
    assert response.status_code == 302
    item = Item.objects.get(pk=inbox.negative.pk)
    assert item.assignee == librarian
    note = item.actions.get(kind=Action.Kind.NOTE)
    assert "Johanna Lindqvist" in note.reason and note.actor == org.users["unit_editor"]
    # an auditor may not reassign comments
    assert (
        login(org.users["auditor"]).post(reverse("inbox:assign", args=[item.pk]), {"person": ""}).status_code
        == 403
    )


def test_bulk_close_and_assign_skip_what_the_user_may_not_touch(inbox, login, org):  # noqa: F811
    client = login(org.users["unit_editor"])  # unit A's editor: not the other unit's comment
    ids = [inbox.negative.pk, inbox.question.pk, inbox.other_unit.pk]
    response = client.post(
        reverse("inbox:bulk"),
        {"items": ids, "action": "close", "reason": "Käsitelty puhelimessa"},
        follow=True,
    )
    statuses = dict(Item.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {inbox.negative.pk: "closed", inbox.question.pk: "closed", inbox.other_unit.pk: "open"}
    text = response.content.decode()
    assert "2 kommenttia päivitetty." in text or "2 comments updated." in text
    # closing needs a reason
    client.post(reverse("inbox:bulk"), {"items": [inbox.misuse.pk], "action": "close", "reason": ""})
    assert Item.objects.get(pk=inbox.misuse.pk).status == "open"
    admin = login(org.users["communications_admin"])
    admin.post(
        reverse("inbox:bulk"),
        {"items": [inbox.misuse.pk, inbox.other_unit.pk], "action": "assign", "person": org.librarian.pk},
    )
    assert set(Item.objects.filter(assignee=org.librarian).values_list("pk", flat=True)) == {
        inbox.misuse.pk,
        inbox.other_unit.pk,
    }


def test_csv_export_is_the_filtered_list_and_defuses_formulas(inbox, login, org):  # noqa: F811
    services.ingest(
        [incoming("c-formula", '=HYPERLINK("http://evil","klikkaa") milloin aukeaa?')],
        org.account_a,
        actor="test",
    )
    client = login(org.users["communications_admin"])
    response = client.get(reverse("inbox:export") + "?status=all")
    rows = list(csv.reader(io.StringIO(b"".join(response).decode())))
    assert rows[0][:5] == ["id", "received", "account", "category", "status"]
    texts = {r[8] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil","klikkaa") milloin aukeaa?' in texts
    assert not any(t.startswith("=") for t in texts)
    assert len(rows) - 1 == Item.objects.count()
    only_threats = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("inbox:export") + "?category=escalate_threat&status=all")
                ).decode()
            )
        )
    )
    assert [r[3] for r in only_threats[1:]] == ["escalate_threat"]
    # an author sees only their own items in the export too
    mine = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    login(org.users["it_security"]).get(reverse("inbox:export") + "?status=all")
                ).decode()
            )
        )
    )
    assert {r[3] for r in mine[1:]} == {"escalate_misuse"}


def test_a_threat_gets_a_deadline_and_is_mailed_at_once(org, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.ingest(
            [incoming("c-new-threat", THREAT, org.people["author"].email)], org.account_a, actor="test"
        )
    threat = report.created[0]
    assert threat.category == "escalate_threat" and threat.due_at is not None
    sent = [m for m in mail.outbox if "Somevahti" in m.subject]
    assert len(sent) == 1
    assert set(sent[0].to) == {
        org.people["author"].email,
        "unit_editor@kirkkonummi.fi",
        "communications_admin@kirkkonummi.fi",
    }
    assert reverse("inbox:item", args=[threat.pk]) in sent[0].body
