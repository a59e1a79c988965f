"""The results page and its CSV: figures from the archive, the inbox and the audits, against hand
counts on a fixture organisation, scoped to the reader's accounts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from somevahti.web.api import checking
from somevahti.web.archive import access
from somevahti.web.core.models import Role

FI = "Kirjasto on auki lauantaina klo 10–16. Lue lisää: https://www.kirkkonummi.fi/kirjasto #kirkkonummi"
SV = "Biblioteket är öppet på lördag kl. 10–16. Läs mer: https://www.kirkkonummi.fi/kirjasto #kyrkslätt"


@pytest.fixture
def kirkkonummi(settings):
    settings.SOMEVAHTI = {**settings.SOMEVAHTI, "PACK": "kirkkonummi"}
    checking.organisation_pack.cache_clear()
    yield
    checking.organisation_pack.cache_clear()


@pytest.fixture
def posted(org, kirkkonummi):
    """visitkirkkonummi (unit A): two posts, one bilingual; KirkkonummiLib (unit B): one Finnish only."""
    archive = access.archive()
    if not archive.keys.has_key("kirkkonummi"):
        archive.init("kirkkonummi")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    when = f"{monday.isoformat()}T09:00:00Z"
    rows = [
        ("facebook:visitkirkkonummi", "a1", {"fi": FI, "sv": SV}),
        ("facebook:visitkirkkonummi", "a2", {"fi": FI}),
        ("facebook:KirkkonummiLib", "b1", {"fi": FI}),
    ]
    for account, subject, texts in rows:
        archive.append(
            "post",
            {"event": "published", "texts": texts, "channel": "facebook"},
            org="kirkkonummi",
            account=account,
            subject=f"{subject}-{monday}",
            occurred=when,
        )
    from somevahti.policy.results import week_of

    return week_of(monday)


def _csv(client, section, **params):
    response = client.get("/policy/results.csv", {"section": section, **params})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_results_for_communications_and_a_unit_editors_own_unit(org, login, posted):
    week = posted
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    page = client.get("/policy/results/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 3 and "<table" in html
    assert _csv(client, "posts") == [
        {"week": week, "lang": "fi", "posts": "3"},
        {"week": week, "lang": "sv", "posts": "1"},
    ]
    coverage = {
        r["name"]: (r["required"], r["complete"], r["share"]) for r in _csv(client, "coverage_account")
    }
    assert coverage == {
        "facebook:visitkirkkonummi": ("2", "1", "50.0"),
        "facebook:KirkkonummiLib": ("1", "0", "0.0"),
    }
    findings = {r["rule"]: r for r in _csv(client, "findings")}
    assert (
        findings["kirk-bilingual-facebook"]["findings"],
        findings["kirk-bilingual-facebook"]["per_100"],
    ) == ("2", "66.7")
    # the page names each rule by what it asks, in the reader's language, beside its id
    from django.utils.html import escape

    from somevahti.web.policy import documents

    rule = next(r for r in documents.current_pack().rules if r.id == "kirk-bilingual-facebook")
    assert f"{escape(rule.message.get('fi'))} <code>kirk-bilingual-facebook</code>" in html
    one = _csv(client, "posts", account="facebook:KirkkonummiLib")
    assert one == [{"week": week, "lang": "fi", "posts": "1"}]

    editor = login(org.users[Role.UNIT_EDITOR])  # unit A: visitkirkkonummi only
    assert _csv(editor, "posts") == [
        {"week": week, "lang": "fi", "posts": "2"},
        {"week": week, "lang": "sv", "posts": "1"},
    ]
    assert _csv(editor, "posts", account="facebook:KirkkonummiLib") == []
    assert login(org.users[Role.AUTHOR]).get("/policy/results/").status_code == 403


@pytest.mark.django_db
def test_audit_findings_opened_and_closed_per_week(org, login, kirkkonummi):
    from somevahti.policy.results import week_of
    from somevahti.web.audits.models import Finding
    from somevahti.web.audits.service import run_and_store

    run_and_store(notify=False)
    opened = Finding.objects.count()
    assert opened >= 1
    Finding.objects.filter(rule="leaver-access").update(status="resolved", closed_at=timezone.now())
    rows = _csv(login(org.users[Role.AUDITOR]), "audits")
    assert rows == [{"week": week_of(timezone.localdate()), "opened": str(opened), "closed": "1"}]


@pytest.mark.django_db
def test_the_monthly_summary_goes_to_communications_in_each_readers_language(
    org, login, kirkkonummi, mailoutbox
):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from somevahti.web.core.models import Membership
    from somevahti.web.policy.models import Reader
    from somevahti.web.policy.summary import previous_month
    from somevahti.web.policy.tasks import until_next_month

    swede = get_user_model().objects.create_user("kommunikation", "kommunikation@kirkkonummi.fi", "pw")
    Membership.objects.create(user=swede, role=Role.COMMUNICATIONS_ADMIN)
    Reader.objects.create(user=swede, language="sv")
    reader = login(org.users[Role.COMMUNICATIONS_ADMIN])
    reader.cookies.load({"django_language": "fi"})
    reader.get("/policy/")  # reading the policy in Finnish records the reader's language
    call_command("results_summary")
    subjects = {m.to[0]: (m.subject, m.body) for m in mailoutbox}
    month = previous_month(timezone.localdate()).start.strftime("%Y-%m")
    fi_subject, fi_body = subjects["communications_admin@kirkkonummi.fi"]
    sv_subject, sv_body = subjects["kommunikation@kirkkonummi.fi"]
    # (the archive is one file for the whole test session: other tests' posts may fall in last month)
    assert fi_subject == f"Somevahti: tulokset {month}" and "Julkaisuja: " in fi_body
    assert sv_subject == f"Somevahti: resultat för {month}" and "Granskningsanmärkningar öppnade" in sv_body
    assert len(mailoutbox) == 2
    wait = until_next_month()
    assert timedelta(0) < wait <= timedelta(days=32)
