"""OAuth connect flows: signed single-use state bound to the session and the account, PKCE S256
(the RFC 7636 test vector), the code exchange and refreshing ahead of expiry (recorded token
endpoint answers, fixtures/x/responses.json)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from somevahti.channels import oauth
from somevahti.channels.oauth import MemoryStateStore, OAuthApp, OAuthFlow, StateError
from somevahti.channels.publishing import ErrorKind, PublishError
from somevahti.channels.x import PROVIDER as X
from somevahti.channels.x import XConnector
from tests.channels.recorded import NOW, fixtures, form

R = fixtures("x")
APP = OAuthApp("x-client-id", "x-client-secret", "https://somevahti.example/oauth/x/callback")
TOKEN_URL = "https://api.x.com/2/oauth2/token"


def flow(now=NOW, store=None, secret="django-secret-key") -> OAuthFlow:
    return OAuthFlow(
        X, APP, secret=secret, store=store if store is not None else MemoryStateStore(), now=lambda: now
    )


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_pkce_challenge_matches_the_rfc_7636_test_vector():
    assert (
        oauth.pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_pkce_verifier_is_long_random_and_url_safe():
    a, b = oauth.pkce_verifier(), oauth.pkce_verifier()
    assert a != b and 43 <= len(a) <= 128
    assert set(a) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def test_authorize_url_carries_client_scopes_state_and_the_challenge():
    store = MemoryStateStore()
    request = flow(store=store).start(session_id="sess-1", account="x:kirkkonummi")
    assert request.url.startswith("https://x.com/i/oauth2/authorize?")
    q = query(request.url)
    assert q["response_type"] == "code" and q["client_id"] == "x-client-id"
    assert q["redirect_uri"] == APP.redirect_uri
    assert q["scope"].split() == ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"]
    assert q["state"] == request.state and q["code_challenge_method"] == "S256"
    nonce = oauth.read_state(request.state, "django-secret-key")["n"]
    stored = store.pop(nonce)
    assert oauth.pkce_challenge(stored["verifier"]) == q["code_challenge"]
    assert stored["verifier"] not in request.url  # the verifier never travels through the browser
    assert request.expires_at == NOW + timedelta(minutes=10)


def test_finish_exchanges_the_code_with_the_verifier_and_basic_auth():
    f = flow()
    request = f.start(session_id="sess-1", account="x:kirkkonummi")
    challenge = query(request.url)["code_challenge"]
    with respx.mock() as api:
        token = api.post(TOKEN_URL).respond(200, json=R["token"])
        tokens = f.finish(
            code="auth-code-1", state=request.state, session_id="sess-1", account="x:kirkkonummi"
        )
    sent = token.calls.last.request
    body = form(sent)
    assert body["grant_type"] == "authorization_code" and body["code"] == "auth-code-1"
    assert body["redirect_uri"] == APP.redirect_uri
    assert oauth.pkce_challenge(body["code_verifier"]) == challenge
    assert "client_secret" not in body  # confidential X clients authenticate with HTTP Basic
    assert (
        sent.headers["Authorization"] == "Basic " + base64.b64encode(b"x-client-id:x-client-secret").decode()
    )
    creds = tokens.credentials()
    assert creds["access_token"] == R["token"]["access_token"]
    assert creds["refresh_token"] == R["token"]["refresh_token"]
    assert creds["expires_at"] == (NOW + timedelta(hours=2)).isoformat()
    assert tokens.raw["account"] == "x:kirkkonummi"


def test_a_state_is_used_once():
    f = flow()
    request = f.start(session_id="sess-1", account="x:kirkkonummi")
    f.check_state(request.state, session_id="sess-1")
    with pytest.raises(StateError, match="already used"):
        f.check_state(request.state, session_id="sess-1")


def test_a_tampered_or_forged_state_is_refused():
    f = flow()
    request = f.start(session_id="sess-1", account="x:kirkkonummi")
    body, mac = request.state.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["a"] = "x:someone-else"
    forged_body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    for bad in (
        f"{forged_body}.{mac}",
        f"{body}.{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",
        body,
        "",
        "a.b.c",
    ):
        with pytest.raises(StateError, match="tampered or forged"):
            f.check_state(bad, session_id="sess-1")
    with pytest.raises(StateError, match="tampered or forged"):  # signed with another installation's secret
        flow(secret="another-secret").check_state(request.state, session_id="sess-1")
    f.check_state(request.state, session_id="sess-1")  # the real one still works


def test_a_state_from_another_session_or_for_another_account_is_refused():
    f = flow()
    request = f.start(session_id="sess-1", account="x:kirkkonummi")
    with pytest.raises(StateError, match="another session"):
        f.check_state(request.state, session_id="sess-2")
    with pytest.raises(StateError, match="another account"):
        f.check_state(request.state, session_id="sess-1", account="x:ranua")
    with pytest.raises(StateError):
        f.start(session_id="", account="x:kirkkonummi")


def test_an_expired_state_is_refused_and_spent():
    store = MemoryStateStore()
    request = flow(store=store).start(session_id="sess-1", account="x:kirkkonummi")
    late = flow(now=NOW + timedelta(minutes=11), store=store)
    with pytest.raises(StateError, match="expired"):
        late.check_state(request.state, session_id="sess-1")
    with pytest.raises(StateError, match="already used"):
        flow(store=store).check_state(request.state, session_id="sess-1")


def test_a_state_for_another_platform_is_refused():
    from somevahti.channels.linkedin import PROVIDER as LINKEDIN

    store = MemoryStateStore()
    request = flow(store=store).start(session_id="sess-1", account="x:kirkkonummi")
    other = OAuthFlow(LINKEDIN, APP, secret="django-secret-key", store=store, now=lambda: NOW)
    with pytest.raises(StateError, match="another platform"):
        other.check_state(request.state, session_id="sess-1")


def test_a_refused_code_asks_to_connect_again():
    f = flow()
    request = f.start(session_id="sess-1", account="x:kirkkonummi")
    with respx.mock() as api:
        api.post(TOKEN_URL).respond(
            400, json={"error": "invalid_grant", "error_description": "Authorization code expired"}
        )
        with pytest.raises(PublishError) as e:
            f.finish(code="old", state=request.state, session_id="sess-1")
    assert e.value.kind is ErrorKind.REAUTHORIZE and "expired" in e.value.platform_reason


def credentials(expires_in: timedelta) -> dict:
    return {
        "access_token": "old-access",
        "refresh_token": "old-refresh",
        "client_id": "x-client-id",
        "client_secret": "x-client-secret",
        "expires_at": (NOW + expires_in).isoformat(),
        "username": "kirkkonummi",
    }


def test_refresh_ahead_of_expiry_stores_the_rotated_refresh_token():
    c = XConnector.from_credentials(credentials(timedelta(minutes=20)), now=lambda: NOW)
    with respx.mock() as api:
        token = api.post(TOKEN_URL).respond(200, json=R["token"])
        new = c.refresh_credentials()
    body = form(token.calls.last.request)
    assert body == {"grant_type": "refresh_token", "refresh_token": "old-refresh"}
    assert new["access_token"] == R["token"]["access_token"]
    assert new["refresh_token"] == R["token"]["refresh_token"]  # X rotates them; the old one is spent
    assert new["expires_at"] == (NOW + timedelta(hours=2)).isoformat()


def test_no_refresh_while_the_token_has_time_left():
    c = XConnector.from_credentials(credentials(timedelta(hours=1)), now=lambda: NOW)
    with respx.mock() as api:
        assert c.refresh_credentials() is None
        assert not api.calls


def test_a_spent_refresh_token_asks_to_connect_again():
    c = XConnector.from_credentials(credentials(timedelta(minutes=5)), now=lambda: NOW)
    with respx.mock() as api:
        api.post(TOKEN_URL).respond(400, json=R["token_invalid_grant"])
        with pytest.raises(PublishError) as e:
            c.refresh_credentials()
    assert e.value.kind is ErrorKind.REAUTHORIZE and "invalid" in e.value.platform_reason


def test_a_refresh_is_never_sent_twice():
    """X rotates refresh tokens: a blind second attempt could spend the only valid one."""
    c = XConnector.from_credentials(credentials(timedelta(minutes=5)), now=lambda: NOW)
    with respx.mock() as api:
        route = api.post(TOKEN_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
        with pytest.raises(PublishError):
            c.refresh_credentials()
    assert route.call_count == 1


def test_expiring_without_a_refresh_token_asks_to_connect_again():
    creds = credentials(timedelta(minutes=5))
    del creds["refresh_token"]
    with pytest.raises(PublishError) as e:
        XConnector.from_credentials(creds, now=lambda: NOW).refresh_credentials()
    assert e.value.kind is ErrorKind.REAUTHORIZE


def test_app_from_the_environment():
    env = {
        "SOMEVAHTI_X_CLIENT_ID": "cid",
        "SOMEVAHTI_X_CLIENT_SECRET": "sec",
        "SOMEVAHTI_OAUTH_REDIRECT_URI": "https://h/cb",
    }
    assert OAuthApp.from_env("x", env) == OAuthApp("cid", "sec", "https://h/cb")
    with pytest.raises(Exception, match="SOMEVAHTI_LINKEDIN_CLIENT_ID"):
        OAuthApp.from_env("linkedin", env)


def test_every_oauth_platform_has_a_provider():
    assert {"facebook", "instagram", "x", "linkedin", "youtube"} <= set(oauth.providers())
    google = oauth.provider("youtube")
    assert dict(google.authorize_params)["access_type"] == "offline"


def test_the_memory_store_forgets_flows_nobody_finished():
    store = MemoryStateStore()
    old = flow(store=store).start(session_id="s", account="x:a")
    flow(now=NOW + timedelta(days=2), store=store).start(session_id="s", account="x:a")
    assert len(store._items) == 1
    with pytest.raises(StateError, match="expired|already used"):
        flow(store=store).check_state(old.state, session_id="s")
