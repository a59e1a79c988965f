"""Every inbox URL with every role: allowed or denied. Incidents the user is not involved in answer
404, so not even their existence shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from somevahti.web.inbox import services
from somevahti.web.inbox.models import Connection, ImportItemsJob, Incident
from tests.web.test_inbox import InboxOrg, fresh_archive  # noqa: F401 - the fixture is used by name
from tests.web.test_permissions import ALL, _names

INBOX = ALL - {"auditor"}
COMMS = {"communications_admin"}
REPORTS = COMMS | {"unit_editor", "auditor"}
UNIT_A = COMMS | {"unit_editor", "author"}  # the threat was on the author's post on unit A's account
INVOLVED = COMMS | {"author", "supervisor"}  # the author reported it, the supervisor handles it
MISUSE = COMMS | {"unit_editor", "it_security"}

# name: (method, url builder, roles allowed, status when denied)
PAGES = {
    "inbox:list": ("get", lambda o: reverse("inbox:list"), INBOX, 403),
    "inbox:item": ("get", lambda o: reverse("inbox:item", args=[o.threat.pk]), UNIT_A, 403),
    "inbox:reply": ("post", lambda o: reverse("inbox:reply", args=[o.negative.pk]), UNIT_A, 403),
    "inbox:moderate": ("post", lambda o: reverse("inbox:moderate", args=[o.negative.pk]), UNIT_A, 403),
    "inbox:assign": ("post", lambda o: reverse("inbox:assign", args=[o.negative.pk]), UNIT_A, 403),
    "inbox:bulk": ("post", lambda o: reverse("inbox:bulk"), INBOX, 403),
    "inbox:export": ("get", lambda o: reverse("inbox:export"), INBOX, 403),
    "inbox:import": ("get", lambda o: reverse("inbox:import"), COMMS | {"unit_editor"}, 403),
    "inbox:import-job": (
        "get",
        lambda o: reverse("inbox:import-job", args=[o.editor_import.pk]),
        COMMS | {"unit_editor"},
        403,
    ),
    "inbox:incidents": ("get", lambda o: reverse("inbox:incidents"), INBOX, 403),
    "inbox:incident-new": ("get", lambda o: reverse("inbox:incident-new"), INBOX, 403),
    "inbox:incident": ("get", lambda o: reverse("inbox:incident", args=[o.incident.pk]), INVOLVED, 404),
    "inbox:incident-update": (
        "post",
        lambda o: reverse("inbox:incident-update", args=[o.incident.pk]),
        INVOLVED,
        404,
    ),
    "inbox:incident-pin": (
        "post",
        lambda o: reverse("inbox:incident-pin", args=[o.incident.pk]),
        INVOLVED,
        404,
    ),
    "inbox:connections": ("get", lambda o: reverse("inbox:connections"), COMMS, 403),
    "inbox:connection": ("post", lambda o: reverse("inbox:connection", args=[o.connection.pk]), COMMS, 403),
    "inbox:connection-delete": (
        "post",
        lambda o: reverse("inbox:connection-delete", args=[o.connection.pk]),
        COMMS,
        403,
    ),
    "inbox:reports": ("get", lambda o: reverse("inbox:reports"), REPORTS, 403),
    "inbox:report-csv": ("get", lambda o: reverse("inbox:report-csv", args=["volume"]), REPORTS, 403),
}
# Object-level rows beyond the URL names.
OBJECTS = {
    "misuse item": ("get", lambda o: reverse("inbox:item", args=[o.misuse.pk]), MISUSE, 403),
    "other unit's item": ("get", lambda o: reverse("inbox:item", args=[o.other_unit.pk]), COMMS, 403),
    "incident from an escalated item": (
        "get",
        lambda o: reverse("inbox:incident-new") + f"?item={o.threat.pk}",
        UNIT_A,
        403,
    ),
    "someone else's import": (
        "get",
        lambda o: reverse("inbox:import-job", args=[o.admin_import.pk]),
        COMMS,
        403,
    ),
    "phishing incident": (
        "get",
        lambda o: reverse("inbox:incident", args=[o.phishing.pk]),
        COMMS | {"it_security", "unit_editor"},
        404,
    ),
}


def test_the_matrix_covers_every_inbox_url():
    assert {n for n in _names() if n.startswith("inbox:")} == set(PAGES)


@pytest.fixture
def inbox(org):
    o = InboxOrg(org)
    o.phishing = services.open_incident(
        org.users["unit_editor"], type="phishing", title="Kalastelu", item=o.misuse
    )
    o.connection = Connection.objects.create(
        account=org.account_b, connector="mastodon", base_url="https://x.example", secrets_sealed="sealed"
    )
    o.editor_import, o.admin_import = (
        ImportItemsJob.objects.create(
            account=org.account_a, filename="k.csv", text="id,text\n", requested_by=org.users[role]
        )
        for role in ("unit_editor", "communications_admin")
    )
    return o


def _call(client, method, url):
    if method == "get":
        return client.get(url)
    return client.post(
        url,
        data={
            "text": "Kiitos!",
            "language": "fi",
            "check": "1",
            "kind": "note",
            "reason": "ok",
            "note": "ok",
            "seq": "1",
        },
    )


@pytest.mark.parametrize("role", sorted(ALL))
@pytest.mark.parametrize("name", sorted(PAGES) + sorted(OBJECTS))
def test_inbox_permissions(inbox, login, role, name):
    method, url, allowed, denied = {**PAGES, **OBJECTS}[name]
    response = _call(login(inbox.org.users[role]), method, url(inbox))
    if role in allowed:
        assert response.status_code in (200, 302), (name, role, response.status_code)
    else:
        assert response.status_code == denied, (name, role, response.status_code)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_is_sent_to_sign_in(inbox, client, name):
    method, url, _, _ = PAGES[name]
    response = _call(client, method, url(inbox))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["unit_editor", "it_security", "auditor"])
def test_an_incident_is_invisible_to_uninvolved_users(inbox, login, role):
    client = login(inbox.org.users[role])
    listing = client.get(reverse("inbox:incidents"))
    assert inbox.incident.title not in listing.content.decode()
    assert client.get(reverse("inbox:incident", args=[inbox.incident.pk])).status_code == 404
    item_page = client.get(reverse("inbox:item", args=[inbox.threat.pk]))
    assert reverse("inbox:incident", args=[inbox.incident.pk]) not in item_page.content.decode()


def test_the_supervisor_sees_the_incident_in_the_list(inbox, login):
    page = login(inbox.org.users["supervisor"]).get(reverse("inbox:incidents")).content.decode()
    assert "Uhkaus" in page and "Kalastelu" not in page
    assert Incident.objects.count() == 2
