"""OAuth 2.0 connect flows for the platforms that have one (Facebook, Instagram, X, LinkedIn, YouTube).

The web app (or any other front end) calls three things; there are no web views here:

1. ``OAuthFlow(provider("x"), app, secret=..., store=...).start(session_id=..., account=...)`` →
   an :class:`AuthorizationRequest` whose ``url`` the browser is sent to.
2. The platform sends the browser back with ``code`` and ``state``;
   ``flow.finish(code=..., state=..., session_id=...)`` checks the state and trades the code for a
   :class:`TokenSet` (``credentials()`` gives the fields to store, secrets to encrypt with
   ``channels.secrets``).
3. Ahead of ``expires_at`` the connector's ``refresh_credentials`` calls :func:`refresh`.

The state is signed (HMAC-SHA256 with the caller's secret), expires (10 minutes), is bound to a hash
of the user's session id and to the account being connected, and is single use: its nonce and the
PKCE verifier are kept server side in a :class:`StateStore` and popped on the way back, so a replay,
a state from another session or a forged one is refused (:class:`StateError`). PKCE uses S256
(RFC 7636) wherever the platform takes it.

The token endpoint is called once per code or refresh token, never retried blindly: codes are single
use and X rotates refresh tokens, so a retried refresh could throw away the only valid one.
Endpoints and scopes are data (:class:`Provider`), registered by each connector module.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode

import httpx

from somevahti.channels.base import ChannelError
from somevahti.channels.publishing import ErrorKind, PublishError
from somevahti.channels.webapi import ApiClient, failure, json_or_none
from somevahti.i18n import _

STATE_TTL = timedelta(minutes=10)
REFRESH_MARGIN = timedelta(minutes=30)  # refresh when the token has less than this left


class StateError(ChannelError):
    """The ``state`` that came back is forged, expired, reused or belongs to another session or account."""


@dataclass(frozen=True)
class Provider:
    """One platform's OAuth endpoints and the scopes somevahti asks for."""

    platform: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    pkce: bool = True
    scope_separator: str = " "
    client_auth: str = (
        "body"  # "body": client_id/secret in the form; "basic": HTTP Basic (X confidential clients)
    )
    authorize_params: tuple[tuple[str, str], ...] = ()  # e.g. Google's access_type=offline, prompt=consent
    label: str = ""
    needs_client_secret: bool = True  # False: a public client (PKCE alone), as X allows


@dataclass(frozen=True)
class OAuthApp:
    """The organisation's registered app on the platform (one per installation, not per account)."""

    client_id: str
    client_secret: str = ""
    redirect_uri: str = ""

    @classmethod
    def from_env(cls, platform: str, environ: dict | None = None) -> OAuthApp:
        """``SOMEVAHTI_<PLATFORM>_CLIENT_ID``, ``…_CLIENT_SECRET`` and ``…_REDIRECT_URI``
        (else ``SOMEVAHTI_OAUTH_REDIRECT_URI``)."""
        env = os.environ if environ is None else environ
        prefix = f"SOMEVAHTI_{platform.upper()}_"
        client_id = env.get(prefix + "CLIENT_ID", "")
        if not client_id:
            raise ChannelError(
                _("set %(var)s to connect %(platform)s accounts")
                % {"var": prefix + "CLIENT_ID", "platform": platform}
            )
        return cls(
            client_id,
            env.get(prefix + "CLIENT_SECRET", ""),
            env.get(prefix + "REDIRECT_URI", env.get("SOMEVAHTI_OAUTH_REDIRECT_URI", "")),
        )


_PROVIDERS: dict[str, Provider] = {}


def register_provider(p: Provider) -> Provider:
    _PROVIDERS[p.platform] = p
    return p


def provider(platform: str) -> Provider:
    from somevahti.channels.base import _load

    _load()  # the connector modules register their providers
    try:
        return _PROVIDERS[platform]
    except KeyError:
        raise ChannelError(_("%(platform)s has no OAuth connect flow") % {"platform": platform}) from None


def providers() -> list[str]:
    from somevahti.channels.base import _load

    _load()
    return sorted(_PROVIDERS)


# -- PKCE (RFC 7636) ---------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_verifier(nbytes: int = 48) -> str:
    """A code verifier: 64 characters of base64url from 48 random bytes (RFC 7636 wants 43-128)."""
    return _b64(secrets.token_bytes(nbytes))


def pkce_challenge(verifier: str) -> str:
    """The S256 challenge: BASE64URL(SHA256(ASCII(verifier))) without padding."""
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


# -- state -------------------------------------------------------------------------------------------


class StateStore(Protocol):
    """Where a started flow waits for its return: ``put`` once, ``pop`` at most once."""

    def put(self, nonce: str, data: dict, expires_at: datetime) -> None: ...

    def pop(self, nonce: str) -> dict | None: ...


class MemoryStateStore:
    """A store for one process (the command line, tests); the web app keeps its own (database, cache)."""

    def __init__(self):
        self._items: dict[str, tuple[dict, datetime]] = {}
        self._lock = threading.Lock()

    def put(self, nonce: str, data: dict, expires_at: datetime) -> None:
        with self._lock:
            # flows nobody finished are dropped a day after their expiry (no unbounded growth)
            stale = [n for n, (_d, when) in self._items.items() if when < expires_at - timedelta(days=1)]
            for n in stale:
                del self._items[n]
            self._items[nonce] = (dict(data), expires_at)

    def pop(self, nonce: str) -> dict | None:
        with self._lock:
            item = self._items.pop(nonce, None)
        return item[0] if item else None


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(f"somevahti-oauth-session\n{session_id}".encode()).hexdigest()


def _key(secret: str | bytes) -> bytes:
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not raw:
        raise ChannelError(_("an OAuth flow needs a signing secret"))
    return hashlib.sha256(b"somevahti-oauth-state\n" + raw).digest()


def sign_state(payload: dict, secret: str | bytes) -> str:
    body = _b64(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    mac = _b64(hmac.new(_key(secret), body.encode("ascii"), hashlib.sha256).digest())
    return f"{body}.{mac}"


def read_state(state: str, secret: str | bytes) -> dict:
    """The payload of a state this installation signed; StateError for anything else."""
    body, _sep, mac = (state or "").partition(".")
    expected = _b64(hmac.new(_key(secret), body.encode("ascii", "replace"), hashlib.sha256).digest())
    if not body or not hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")):
        raise StateError(_("the OAuth state was not issued here (tampered or forged)"))
    try:
        return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        raise StateError(_("the OAuth state was not issued here (tampered or forged)")) from None


# -- tokens ------------------------------------------------------------------------------------------


@dataclass
class TokenSet:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scope: str = ""
    raw: dict = field(default_factory=dict)

    @classmethod
    def from_response(cls, body: dict, now: datetime, *, previous_refresh: str = "") -> TokenSet:
        def after(seconds):
            return now + timedelta(seconds=int(seconds)) if seconds else None

        return cls(
            access_token=body["access_token"],
            # a platform that does not rotate refresh tokens leaves the old one valid
            refresh_token=body.get("refresh_token") or previous_refresh,
            expires_at=after(body.get("expires_in")),
            refresh_expires_at=after(body.get("refresh_token_expires_in")),
            scope=body.get("scope", "")
            if isinstance(body.get("scope", ""), str)
            else " ".join(body["scope"]),
            raw={k: v for k, v in body.items() if k not in ("access_token", "refresh_token", "id_token")},
        )

    def credentials(self) -> dict:
        """The fields to store beside the account's own (``access_token`` and ``refresh_token`` are
        secret)."""
        out = {"access_token": self.access_token}
        if self.refresh_token:
            out["refresh_token"] = self.refresh_token
        if self.expires_at:
            out["expires_at"] = self.expires_at.astimezone(UTC).isoformat()
        if self.refresh_expires_at:
            out["refresh_expires_at"] = self.refresh_expires_at.astimezone(UTC).isoformat()
        if self.scope:
            out["scope"] = self.scope
        return out


def expires_at(credentials: dict) -> datetime | None:
    value = credentials.get("expires_at")
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def needs_refresh(credentials: dict, now: datetime, margin: timedelta = REFRESH_MARGIN) -> bool:
    """True when the stored token runs out within ``margin`` (tokens without an expiry never do)."""
    when = expires_at(credentials)
    return when is not None and when - margin <= now


def _token_errors(response: httpx.Response, client: ApiClient) -> PublishError | None:
    """Any refusal of the token endpoint (invalid_grant, X's invalid_request for a spent refresh
    token, a revoked app) means a person must connect again."""
    body = json_or_none(response)
    if 400 <= response.status_code < 500 and response.status_code != 429 and isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # Facebook: {"error": {"message", "code", "type"}}
            reason = error.get("message", "")
        else:
            reason = body.get("error_description") or str(error or "") or f"HTTP {response.status_code}"
        return failure(ErrorKind.REAUTHORIZE, client.platform, reason, status=response.status_code, raw=body)
    return None


def _token_call(p: Provider, app: OAuthApp, form: dict, *, transport=None, now: datetime) -> dict:
    headers = {"Accept": "application/json"}
    form = dict(form)
    if p.client_auth == "basic" and app.client_secret:
        token = base64.b64encode(f"{app.client_id}:{app.client_secret}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    else:
        form["client_id"] = app.client_id
        if app.client_secret:
            form["client_secret"] = app.client_secret
    client = ApiClient(
        p.label or p.platform, p.token_url, classify=_token_errors, transport=transport, now=lambda: now
    )
    body = client.write("POST", p.token_url, data=form, headers=headers).json()
    if not isinstance(body, dict) or not body.get("access_token"):
        raise failure(ErrorKind.PLATFORM_DOWN, client.platform, _("the token answer had no access token"))
    return body


def exchange_code(
    p: Provider, app: OAuthApp, code: str, *, verifier: str = "", transport=None, now: datetime | None = None
) -> TokenSet:
    now = now or datetime.now(UTC)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": app.redirect_uri}
    if p.pkce and verifier:
        form["code_verifier"] = verifier
    return TokenSet.from_response(_token_call(p, app, form, transport=transport, now=now), now)


def refresh(
    p: Provider, app: OAuthApp, refresh_token: str, *, transport=None, now: datetime | None = None
) -> TokenSet:
    """A new access token (and, where the platform rotates them, a new refresh token)."""
    now = now or datetime.now(UTC)
    if not refresh_token:
        raise failure(ErrorKind.REAUTHORIZE, p.label or p.platform, _("no refresh token was granted"))
    body = _token_call(
        p, app, {"grant_type": "refresh_token", "refresh_token": refresh_token}, transport=transport, now=now
    )
    return TokenSet.from_response(body, now, previous_refresh=refresh_token)


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    expires_at: datetime


class OAuthFlow:
    """Start and finish one platform's connect flow (see the module's text)."""

    def __init__(
        self,
        p: Provider,
        app: OAuthApp,
        *,
        secret: str | bytes,
        store: StateStore,
        now=lambda: datetime.now(UTC),
        ttl: timedelta = STATE_TTL,
    ):
        self.provider, self.app, self.secret, self.store, self.now, self.ttl = p, app, secret, store, now, ttl

    def start(
        self, *, session_id: str, account: str, scopes: tuple[str, ...] | None = None
    ) -> AuthorizationRequest:
        if not session_id:
            raise StateError(_("an OAuth flow must be bound to a signed-in session"))
        nonce = secrets.token_urlsafe(24)
        when = self.now() + self.ttl
        verifier = pkce_verifier() if self.provider.pkce else ""
        state = sign_state(
            {
                "n": nonce,
                "p": self.provider.platform,
                "a": account,
                "s": _session_hash(session_id),
                "e": int(when.timestamp()),
            },
            self.secret,
        )
        self.store.put(nonce, {"verifier": verifier, "account": account}, when)
        params = {
            "response_type": "code",
            "client_id": self.app.client_id,
            "redirect_uri": self.app.redirect_uri,
            "scope": self.provider.scope_separator.join(scopes or self.provider.scopes),
            "state": state,
        }
        if verifier:
            params.update(code_challenge=pkce_challenge(verifier), code_challenge_method="S256")
        params.update(dict(self.provider.authorize_params))
        return AuthorizationRequest(f"{self.provider.authorize_url}?{urlencode(params)}", state, when)

    def check_state(self, state: str, *, session_id: str, account: str | None = None) -> dict:
        """The stored data of a valid state, consumed; StateError when it is not valid."""
        payload = read_state(state, self.secret)
        if payload.get("p") != self.provider.platform:
            raise StateError(_("the OAuth state was issued for another platform"))
        if not hmac.compare_digest(str(payload.get("s", "")), _session_hash(session_id or "")):
            raise StateError(_("the OAuth state belongs to another session"))
        if account is not None and payload.get("a") != account:
            raise StateError(_("the OAuth state was issued for another account"))
        stored = self.store.pop(str(payload.get("n", "")))  # consumed now, whatever follows
        if int(payload.get("e", 0)) <= self.now().timestamp():
            raise StateError(_("the OAuth state has expired: start connecting again"))
        if stored is None:
            raise StateError(_("the OAuth state was already used"))
        return {**stored, "account": payload.get("a")}

    def finish(
        self, *, code: str, state: str, session_id: str, account: str | None = None, transport=None
    ) -> TokenSet:
        stored = self.check_state(state, session_id=session_id, account=account)
        tokens = exchange_code(
            self.provider,
            self.app,
            code,
            verifier=stored.get("verifier", ""),
            transport=transport,
            now=self.now(),
        )
        tokens.raw["account"] = stored["account"]
        return tokens


def renew(
    platform: str,
    credentials: dict,
    *,
    transport=None,
    now: datetime | None = None,
    margin: timedelta = REFRESH_MARGIN,
    environ: dict | None = None,
) -> dict | None:
    """A connector's ``refresh_credentials``: new fields when the token runs out within ``margin``,
    None when it does not (or never expires); REAUTHORIZE when it does and cannot be refreshed.
    The app comes from the credentials (``client_id``, ``client_secret``) or the environment."""
    now = now or datetime.now(UTC)
    if not needs_refresh(credentials, now, margin):
        return None
    p = provider(platform)
    if not credentials.get("refresh_token"):
        raise failure(
            ErrorKind.REAUTHORIZE,
            p.label or platform,
            _("the token expires at %(when)s and the platform gave no refresh token")
            % {"when": credentials.get("expires_at")},
        )
    if credentials.get("client_id"):
        app = OAuthApp(credentials["client_id"], credentials.get("client_secret", ""))
    else:
        app = OAuthApp.from_env(platform, environ)
    return refresh(p, app, credentials["refresh_token"], transport=transport, now=now).credentials()
