"""Platform figures on the results page: the daily read stores a snapshot per account and survives a
failing one; the page and the CSV show followers at the end, their change, reach and engagement
summed, per account and per unit, against hand counts on fixture snapshots."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import respx

from somevahti.channels.mastodon import MastodonConnector
from somevahti.web.core.models import Role

GOOD, BAD = "https://good.example", "https://bad.example"


def _csv(client, section, **params):
    response = client.get("/policy/results.csv", {"section": section, **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_the_daily_read_stores_snapshots_and_survives_a_failing_account(org):
    from somevahti.web.inbox.models import Connection
    from somevahti.web.policy.metrics import read_all
    from somevahti.web.policy.models import MetricSnapshot

    good = Connection.objects.create(account=org.account_a, connector="mastodon")
    bad = Connection.objects.create(account=org.account_b, connector="mastodon")
    servers = {good.pk: GOOD, bad.pk: BAD}
    day = date(2026, 11, 15)
    with respx.mock(assert_all_called=False) as api:
        api.get(f"{BAD}/api/v1/accounts/verify_credentials").respond(
            401, json={"error": "The access token is invalid"}
        )
        api.get(f"{GOOD}/api/v1/accounts/verify_credentials").respond(
            200, json={"id": "1", "followers_count": 812}
        )
        api.get(f"{GOOD}/api/v1/accounts/1/statuses").respond(
            200,
            json=[
                {
                    "id": "9",
                    "created_at": "2026-11-15T10:00:00Z",
                    "favourites_count": 5,
                    "replies_count": 1,
                    "reblogs_count": 2,
                }
            ],
        )
        report = read_all(day, connector_for=lambda c: MastodonConnector(servers[c.pk], "t"))
    assert report == {"read": 1, "failed": 1, "skipped": 0}
    snap = MetricSnapshot.objects.get(account=org.account_a, day=day)
    assert (snap.followers, snap.reach, snap.engagement, snap.demo) == (812, None, 8, False)
    assert not MetricSnapshot.objects.filter(account=org.account_b).exists()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert "401" in bad.last_error and good.last_error == ""


@pytest.mark.django_db
def test_a_connector_without_figures_is_skipped_and_the_task_reschedules_itself(org):
    from django_tasks_db.models import DBTaskResult

    from somevahti.web.inbox.models import Connection
    from somevahti.web.policy import tasks

    Connection.objects.create(account=org.account_a, connector="file", settings={"directory": "/nonexistent"})
    assert tasks.daily_metrics.call() == {"read": 0, "failed": 0, "skipped": 1}
    waiting = DBTaskResult.objects.filter(task_path=tasks.daily_metrics.module_path, status="READY")
    assert waiting.count() == 1
    assert timedelta(0) < tasks.until_next_morning() <= timedelta(days=1, hours=5)


@pytest.fixture
def snapshots(org):
    """visitkirkkonummi: 1,000 followers the day before the period, 1,010 and 1,025 in it; reach 200 +
    300; engagement 10 + (not given). KirkkonummiLib: nothing."""
    from somevahti.web.policy.models import MetricSnapshot

    start, end = date(2026, 11, 2), date(2026, 11, 29)
    MetricSnapshot.objects.create(
        account=org.account_a, day=start - timedelta(days=1), followers=1000, reach=999, engagement=99
    )
    MetricSnapshot.objects.create(
        account=org.account_a, day=start + timedelta(days=3), followers=1010, reach=200, engagement=10
    )
    MetricSnapshot.objects.create(account=org.account_a, day=end, followers=1025, reach=300)
    MetricSnapshot.objects.create(
        account=org.account_a, day=end + timedelta(days=1), followers=5000, reach=999
    )
    return {"start": start.isoformat(), "end": end.isoformat()}


@pytest.mark.django_db
def test_figures_on_the_page_and_in_the_csv_match_hand_counts(org, login, snapshots):
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    rows = {r["account"]: r for r in _csv(client, "metrics_accounts", **snapshots)}
    assert rows["facebook:visitkirkkonummi"] == {
        "account": "facebook:visitkirkkonummi",
        "unit": "Matkailu",
        "followers": "1025",
        "change": "25",
        "reach": "500",
        "engagement": "10",
    }
    assert (
        rows["facebook:KirkkonummiLib"]["followers"] == "" and rows["facebook:KirkkonummiLib"]["reach"] == ""
    )
    assert _csv(client, "metrics_units", **snapshots) == [
        {"unit": "Matkailu", "followers": "1025", "change": "25", "reach": "500", "engagement": "10"}
    ]

    client.cookies.load({"django_language": "en"})
    html = client.get("/policy/results/", snapshots).content.decode()
    assert "Platform figures" in html and "+25" in html and "1025" in html
    assert html.count("figures are not available for this account.") == 1  # KirkkonummiLib
    assert 'aria-label="Followers at the end of the period"' in html
    client.cookies.load({"django_language": "fi"})
    html = client.get("/policy/results/", snapshots).content.decode()
    assert "Alustojen luvut" in html and "Alusta ei anna tämän tilin lukuja." in html


@pytest.mark.django_db
def test_a_unit_editor_sees_the_figures_of_the_units_accounts_only(org, login, snapshots):
    editor = login(org.users[Role.UNIT_EDITOR])  # unit A: visitkirkkonummi only
    assert [r["account"] for r in _csv(editor, "metrics_accounts", **snapshots)] == [
        "facebook:visitkirkkonummi"
    ]
    assert (
        login(org.users[Role.AUTHOR]).get("/policy/results.csv", {"section": "metrics_accounts"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_without_a_snapshot_before_the_period_the_change_counts_from_its_first_day(org, login):
    from somevahti.web.policy.metrics import rows
    from somevahti.web.policy.models import MetricSnapshot
    from somevahti.web.policy.results import Period

    for day, followers in ((3, 40), (9, None), (20, 52)):
        MetricSnapshot.objects.create(account=org.account_b, day=date(2026, 10, day), followers=followers)
    got = rows(Period(date(2026, 10, 1), date(2026, 10, 31)), ["facebook:KirkkonummiLib"])
    assert got["accounts"][0]["followers"] == 52 and got["accounts"][0]["change"] == 12
    assert got["accounts"][0]["reach"] is None and got["units"][0]["unit"] == "Kirjasto"


@pytest.mark.django_db
def test_demo_figures_are_deterministic_marked_and_only_for_organisation_accounts(org, login):
    from somevahti.web.policy.metrics import demo_snapshots
    from somevahti.web.policy.models import MetricSnapshot
    from somevahti.web.registry.models import Account

    linkedin = Account.objects.create(
        platform="linkedin",
        handle="mikko-nieminen",
        kind=Account.Kind.EXPERT,
        unit=org.unit_b,
        owner=org.other,
    )
    today = date(2026, 12, 3)
    assert demo_snapshots(today, days=28) == 2 * 28  # the two Facebook pages, not the expert's own profile
    first = list(MetricSnapshot.objects.values_list("account_id", "day", "followers", "reach", "engagement"))
    MetricSnapshot.objects.all().delete()
    demo_snapshots(today, days=28)
    assert (
        list(MetricSnapshot.objects.values_list("account_id", "day", "followers", "reach", "engagement"))
        == first
    )
    assert MetricSnapshot.objects.filter(demo=False).count() == 0
    assert not MetricSnapshot.objects.filter(account=linkedin).exists()
    client = login(org.users[Role.COMMUNICATIONS_ADMIN])
    client.cookies.load({"django_language": "en"})
    html = client.get("/policy/results/", {"start": "2026-11-05", "end": "2026-12-02"}).content.decode()
    assert "These figures are demo data" in html and html.count("<svg") >= 2


@pytest.mark.django_db
def test_the_daily_read_renews_an_expiring_token_first_and_keeps_the_new_one(org, monkeypatch):
    """An X token running out in five minutes: the read renews it, asks with the new token, and the
    connection keeps the new token for the next call."""
    from datetime import UTC, datetime

    from cryptography.fernet import Fernet

    from somevahti.channels import secrets
    from somevahti.web.inbox.models import Connection
    from somevahti.web.policy.metrics import read_all
    from somevahti.web.policy.models import MetricSnapshot

    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())
    monkeypatch.setenv("SOMEVAHTI_X_CLIENT_ID", "x-client")
    monkeypatch.setenv("SOMEVAHTI_X_CLIENT_SECRET", "x-app-secret")
    conn = Connection(account=org.account_a, connector="x")
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    conn.set_credentials({"access_token": "old-token", "refresh_token": "refresh-1", "expires_at": soon})
    conn.save()
    with respx.mock(assert_all_called=True) as api:
        api.post("https://api.x.com/2/oauth2/token").respond(
            200,
            json={"access_token": "new-token", "refresh_token": "refresh-2", "expires_in": 7200},
        )
        me = api.get("https://api.x.com/2/users/me").respond(
            200, json={"data": {"id": "42", "public_metrics": {"followers_count": 77}}}
        )
        api.get("https://api.x.com/2/users/42/tweets").respond(200, json={"data": []})
        report = read_all(date(2026, 11, 15))
    assert report == {"read": 1, "failed": 0, "skipped": 0}
    assert me.calls.last.request.headers["Authorization"] == "Bearer new-token"
    assert MetricSnapshot.objects.get(account=org.account_a).followers == 77
    conn.refresh_from_db()
    assert conn.credentials()["access_token"] == "new-token" and conn.expires_at > datetime.now(UTC)
