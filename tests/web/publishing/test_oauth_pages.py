"""Connecting an account with the platform's sign-in from its publishing page: the button sends the
browser to the platform with a signed state and a PKCE challenge, the callback stores the tokens
sealed on the account's connection, and a replayed, foreign or refused return stores nothing.
The token endpoints are recorded with respx."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest
import respx
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from somevahti.channels import graph, secrets
from somevahti.web.inbox.models import Connection
from tests.web.conftest import verified_login

X_TOKEN_URL = "https://api.x.com/2/oauth2/token"
LINKEDIN_TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
ACCESS, REFRESH = "x-access-token-SECRET-1", "x-refresh-token-SECRET-1"


@pytest.fixture(autouse=True)
def _channel_key_and_apps(monkeypatch):
    monkeypatch.setenv(secrets.KEY_ENV, Fernet.generate_key().decode())
    for var in (
        "SOMEVAHTI_OAUTH_REDIRECT_URI",
        "SOMEVAHTI_X_REDIRECT_URI",
        "SOMEVAHTI_FACEBOOK_REDIRECT_URI",
        "SOMEVAHTI_LINKEDIN_REDIRECT_URI",
        "SOMEVAHTI_INSTAGRAM_REDIRECT_URI",
    ):
        monkeypatch.delenv(var, raising=False)
    for platform in ("X", "LINKEDIN", "FACEBOOK", "INSTAGRAM"):
        monkeypatch.setenv(f"SOMEVAHTI_{platform}_CLIENT_ID", f"{platform.lower()}-client")
        monkeypatch.setenv(f"SOMEVAHTI_{platform}_CLIENT_SECRET", f"{platform.lower()}-app-secret")


@pytest.fixture
def admin(org, login):
    return login(org.users["communications_admin"])


@pytest.fixture
def x_account(org):
    return org._account("x", "kirkkonummi", org.unit_a, org.people["unit_editor"])


def _start(client, account, **data):
    response = client.post(reverse("publishing:oauth-start", args=[account.pk]), data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _callback(client, platform, **params):
    return client.get(reverse("publishing:oauth-callback", args=[platform]), params, follow=True)


def _page(client, account) -> str:
    return client.get(reverse("publishing:account", args=[account.pk])).content.decode()


def _token_route(router, url=X_TOKEN_URL, **body):
    answer = {
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "expires_in": 7200,
        "token_type": "bearer",
        "scope": "tweet.read tweet.write users.read media.write offline.access",
        **body,
    }
    return router.post(url).respond(json=answer)


def _me_route(router):
    """Who the X token publishes as: asked right after connecting."""
    return router.get("https://api.x.com/2/users/me").respond(
        json={"data": {"id": "7001", "username": "kirkkonummi", "name": "Kirkkonummi"}}
    )


def test_the_button_sends_the_browser_to_the_platform_with_a_state_and_a_pkce_challenge(
    org, admin, x_account
):
    page = _page(admin, x_account)
    assert 'id="oauth-connect-button"' in page and "Yhdistä palveluun X" in page
    location = _start(admin, x_account)
    assert location.startswith("https://x.com/i/oauth2/authorize?")
    query = _query(location)
    assert query["client_id"] == "x-client" and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/publishing/oauth/x/callback/"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["state"] and "offline.access" in query["scope"]
    assert not Connection.objects.filter(account=x_account).exists()  # nothing is stored before the return


def test_the_callback_stores_the_tokens_sealed_and_the_page_shows_the_expiry(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    with respx.mock(assert_all_called=True) as router:
        route = _token_route(router)
        _me_route(router)
        done = _callback(admin, "x", code="the-code", state=state)
    sent = parse_qs(route.calls[0].request.content.decode())
    assert sent["code"] == ["the-code"] and sent["code_verifier"][0]  # PKCE verifier sent back
    assert "kirkkonummi on yhdistetty palveluun X" in done.content.decode()
    conn = Connection.objects.get(account=x_account)
    assert (
        conn.connector == "x"
        and conn.connected_by == org.users["communications_admin"]
        and not conn.last_error
    )
    assert conn.secrets() == {"access_token": ACCESS, "refresh_token": REFRESH}
    in_the_clear = json.dumps(conn.settings) + conn.secrets_sealed
    assert ACCESS not in in_the_clear and REFRESH not in in_the_clear and conn.expires_at is not None
    page = _page(admin, x_account)
    assert ACCESS not in page and REFRESH not in page
    expires = page.split('id="token-expires">')[1].split("</dd>")[0]
    assert expires != "—" and str(conn.expires_at.astimezone().year) in expires
    assert "Yhdistä uudelleen palveluun X" in page  # connect again: the same button, one step
    assert conn.connected_as == "kirkkonummi"  # asked right after connecting


def test_connecting_again_keeps_the_organisation_id_and_the_history_shows_a_new_token(org, admin):
    account = org._account("linkedin", "kirkkonummen-kunta", org.unit_a, org.people["unit_editor"])
    conn = Connection(account=account, connector="linkedin")
    conn.set_credentials({"organization_id": "5550001", "access_token": "old-linkedin-token"})
    conn.save()
    page = _page(admin, account)
    assert 'value="5550001"' in page  # the stored organisation is offered, not asked again
    state = _query(_start(admin, account))["state"]
    with respx.mock() as router:
        _token_route(
            router,
            LINKEDIN_TOKEN_URL,
            access_token="new-linkedin-token",
            refresh_token="li-refresh",
            expires_in=5184000,
            refresh_token_expires_in=31536000,
        )
        who = router.get(url__regex=r"/organizations/5550001$").respond(
            json={"vanityName": "kirkkonummenkunta", "localizedName": "Kirkkonummen kunta"}
        )
        _callback(admin, "linkedin", code="c", state=state)
    conn.refresh_from_db()
    assert (
        conn.settings["organization_id"] == "5550001"
        and conn.secrets()["access_token"] == "new-linkedin-token"
    )
    # who it publishes as is asked at once with the new token, not only by "Test the connection"
    assert who.calls.last.request.headers["Authorization"] == "Bearer new-linkedin-token"
    assert conn.connected_as == "kirkkonummenkunta" and not conn.last_error
    assert conn.reconnect_by is not None  # the refresh token's year
    reconnect = _page(admin, account).split('id="reconnect-by">')[1].split("</dd>")[0]
    assert "<time" in reconnect
    history = admin.get(reverse("inbox:connections")).content.decode().split('id="connection-history"')[1]
    assert "tunniste" in history and "new-linkedin-token" not in history


def test_a_replayed_state_is_refused(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    with respx.mock() as router:
        route = _token_route(router)
        _me_route(router)
        _callback(admin, "x", code="c", state=state)
        Connection.objects.filter(account=x_account).delete()
        again = _callback(admin, "x", code="c", state=state)
    assert route.call_count == 1  # the replay never reached the token endpoint
    assert "Yhdistämislinkki ei kelvannut" in again.content.decode()
    assert not Connection.objects.filter(account=x_account).exists()


def test_a_state_from_another_session_is_refused(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    other = Client()
    verified_login(other, org.users["communications_admin"])  # the same person, another browser
    with respx.mock(assert_all_called=False) as router:
        route = _token_route(router)
        refused = _callback(other, "x", code="c", state=state)
    assert route.call_count == 0 and "Yhdistämislinkki ei kelvannut" in refused.content.decode()
    assert not Connection.objects.filter(account=x_account).exists()


def test_access_denied_on_the_platform_stores_nothing(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    denied = _callback(admin, "x", error="access_denied", state=state)
    assert denied.redirect_chain[-1][0] == reverse("publishing:account", args=[x_account.pk])
    assert "Palvelussa X ei annettu lupaa: mitään ei muutettu." in denied.content.decode()
    assert not Connection.objects.filter(account=x_account).exists()


def test_a_refusing_token_endpoint_stores_nothing(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    with respx.mock() as router:
        router.post(X_TOKEN_URL).respond(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "Value passed for the authorization code was invalid.",
            },
        )
        refused = _callback(admin, "x", code="c", state=state)
    text = refused.content.decode()
    assert "X torjui yhdistämisen" in text and "authorization code was invalid" in text
    assert not Connection.objects.filter(account=x_account).exists()


def test_a_facebook_page_is_connected_through_the_graph_chain(org, admin):
    account = org.account_a  # facebook:visitkirkkonummi
    assert 'id="oauth-page_id"' in _page(admin, account)  # which page: asked before starting
    location = _start(admin, account, page_id="104857600000001")
    assert location.startswith(graph.DIALOG_URL) and "pages_manage_posts" in _query(location)["scope"]
    G = graph.GRAPH_URL
    with respx.mock() as router:
        router.post(f"{G}/oauth/access_token").respond(
            json={"access_token": "short-user-token", "expires_in": 5000}
        )
        router.get(f"{G}/oauth/access_token").respond(
            json={"access_token": "long-user-token", "expires_in": 5183944}
        )
        router.get(f"{G}/me/accounts").respond(
            json={
                "data": [
                    {
                        "id": "104857600000001",
                        "name": "Visit Kirkkonummi",
                        "access_token": "page-token-SECRET",
                    }
                ]
            }
        )
        router.get(f"{G}/debug_token").respond(
            json={"data": {"is_valid": True, "expires_at": 0, "data_access_expires_at": 1798761600}}
        )
        _callback(admin, "facebook", code="c", state=_query(location)["state"])
    conn = Connection.objects.get(account=account)
    assert conn.connector == "facebook" and conn.settings["page_id"] == "104857600000001"
    assert conn.secrets()["access_token"] == "page-token-SECRET" and "page-token" not in json.dumps(
        conn.settings
    )
    assert conn.connected_as == "Visit Kirkkonummi"
    assert "Visit Kirkkonummi" in _page(admin, account)


def test_an_instagram_account_is_found_through_its_facebook_page(org, admin):
    account = org._account("instagram", "visitkyrkslatt", org.unit_a, org.people["unit_editor"])
    location = _start(admin, account, page_id="104857600000001")
    assert "instagram_content_publish" in _query(location)["scope"]
    G = graph.GRAPH_URL
    with respx.mock() as router:
        router.post(f"{G}/oauth/access_token").respond(json={"access_token": "short-user-token"})
        router.get(f"{G}/oauth/access_token").respond(json={"access_token": "long-user-token"})
        router.get(f"{G}/me/accounts").respond(
            json={
                "data": [
                    {
                        "id": "104857600000001",
                        "name": "Visit Kirkkonummi",
                        "access_token": "ig-page-token-SECRET",
                        "instagram_business_account": {
                            "id": "17841400000000001",
                            "username": "visitkyrkslatt",
                        },
                    }
                ]
            }
        )
        router.get(f"{G}/debug_token").respond(json={"data": {"is_valid": True, "expires_at": 0}})
        _callback(admin, "instagram", code="c", state=_query(location)["state"])
    conn = Connection.objects.get(account=account)
    assert conn.connector == "instagram" and conn.settings["ig_user_id"] == "17841400000000001"
    assert conn.connected_as == "@visitkyrkslatt" and conn.secrets()["access_token"] == "ig-page-token-SECRET"
    assert 'value="104857600000001"' in _page(admin, account)  # the page is remembered for connecting again


def test_a_facebook_flow_needs_the_page_id(org, admin):
    response = admin.post(
        reverse("publishing:oauth-start", args=[org.account_a.pk]), {"page_id": ""}, follow=True
    )
    assert "Anna Facebook-sivun tunnus" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("publishing:account", args=[org.account_a.pk])


def test_an_app_that_is_not_configured_is_explained_and_the_form_stays(org, admin, x_account, monkeypatch):
    monkeypatch.delenv("SOMEVAHTI_X_CLIENT_ID")
    page = _page(admin, x_account)
    explanation = page.split('id="oauth-not-configured">')[1].split("</p>")[0]
    assert (
        "SOMEVAHTI_X_CLIENT_ID" in explanation
        and "http://testserver/publishing/oauth/x/callback/" in explanation
    )
    assert 'id="oauth-connect-button"' not in page and 'id="connect-form"' in page
    refused = admin.post(reverse("publishing:oauth-start", args=[x_account.pk]), follow=True)
    assert "SOMEVAHTI_X_CLIENT_ID" in refused.content.decode()


def test_a_missing_app_secret_is_explained_where_the_platform_needs_one(org, admin, x_account, monkeypatch):
    linkedin = org._account("linkedin", "kirkkonummi", org.unit_a, org.people["unit_editor"])
    monkeypatch.delenv("SOMEVAHTI_LINKEDIN_CLIENT_SECRET")
    monkeypatch.delenv("SOMEVAHTI_X_CLIENT_SECRET")
    page = _page(admin, linkedin)
    assert "SOMEVAHTI_LINKEDIN_CLIENT_SECRET" in page and 'id="oauth-connect-button"' not in page
    page = _page(admin, x_account)  # X signs in a public client with PKCE alone
    assert 'id="oauth-not-configured"' not in page and 'id="oauth-connect-button"' in page


@pytest.mark.parametrize("role", ["unit_editor", "author", "supervisor", "it_security", "auditor"])
def test_only_communications_admins_connect(org, login, x_account, role):
    client = login(org.users[role])
    assert client.post(reverse("publishing:oauth-start", args=[x_account.pk])).status_code == 403
    assert (
        client.get(reverse("publishing:oauth-callback", args=["x"]), {"code": "c", "state": "s"}).status_code
        == 403
    )


def test_the_inbox_sends_sign_in_platforms_to_the_publishing_page(org, admin, x_account):
    state = _query(_start(admin, x_account))["state"]
    with respx.mock() as router:
        _token_route(router)
        _me_route(router)
        _callback(admin, "x", code="c", state=state)
    conn = Connection.objects.get(account=x_account)
    listing = admin.get(reverse("inbox:connections")).content.decode()
    choices = listing.split('name="connector"')[1].split("</select>")[0]
    assert 'value="mastodon"' in choices and 'value="x"' not in choices and 'value="facebook"' not in choices
    url = reverse("inbox:connection", args=[conn.pk])
    edit = admin.get(url).content.decode()
    assert 'name="token"' not in edit and reverse("publishing:account", args=[x_account.pk]) in edit
    assert admin.post(url, {"statuses": "1860000000000000001"}).status_code == 302  # the inbox's own setting
    conn.refresh_from_db()
    assert conn.statuses == ["1860000000000000001"] and conn.secrets()["access_token"] == ACCESS
