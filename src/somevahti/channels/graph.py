"""What Facebook Pages and Instagram share: the Graph API version, its error codes, long-lived
tokens, and signed media URLs (Instagram fetches every image from a public URL).

Graph errors come as ``{"error": {"message", "type", "code", "error_subcode", "error_user_msg",
"is_transient"}}``; the codes are mapped to an :class:`ErrorKind` below. Rate limits are told by
the codes 4, 17, 32, 613, 80001… and the ``X-Business-Use-Case-Usage`` header, whose
``estimated_time_to_regain_access`` (minutes) becomes ``retry_after``.

Tokens: the connect flow gives a short-lived *user* token (about two hours). :func:`long_lived_user_token`
trades it for a long-lived one (about 60 days), and :func:`page_tokens` lists the pages that user
manages with a *page* token each. A page token made from a long-lived user token has no expiry
(``debug_token`` shows ``expires_at: 0``) but stops working when the person loses the page role,
changes the password or the app's data access expires (90 days without use:
``data_access_expires_at``); such a failure is ``REAUTHORIZE``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from somevahti.channels.oauth import OAuthApp, Provider
from somevahti.channels.publishing import ErrorKind, MediaFile, PublishError
from somevahti.channels.webapi import ApiClient, failure, json_or_none
from somevahti.i18n import _

GRAPH_VERSION = "v21.0"  # one pinned version for every Graph call; move it in one place
GRAPH_URL = f"https://graph.facebook.com/{GRAPH_VERSION}"
GRAPH_VIDEO_URL = f"https://graph-video.facebook.com/{GRAPH_VERSION}"  # where video files are uploaded
DIALOG_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"

REAUTH_CODES = frozenset({102, 190, 458, 459, 460, 463, 464, 467, 10}) | frozenset(range(200, 300))
RATE_CODES = frozenset({4, 17, 32, 341, 368, 613, 80001, 80002, 80005, 80006, 80008})
TRANSIENT_CODES = frozenset({1, 2})
# Instagram: "the account has reached its publishing limit" is a subcode of code 9 / 4
RATE_SUBCODES = frozenset({2207042, 2207051})

FACEBOOK_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
)
INSTAGRAM_SCOPES = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "pages_show_list",
    "pages_read_engagement",
    "business_management",
)


def facebook_provider(platform: str, scopes: tuple[str, ...], label: str) -> Provider:
    # Facebook Login takes PKCE; the scopes are comma separated.
    return Provider(
        platform=platform,
        authorize_url=DIALOG_URL,
        token_url=f"{GRAPH_URL}/oauth/access_token",
        scopes=scopes,
        scope_separator=",",
        label=label,
    )


def _regain_minutes(response: httpx.Response) -> float | None:
    header = response.headers.get("x-business-use-case-usage")
    if not header:
        return None
    try:
        usage = json.loads(header)
    except ValueError:
        return None
    waits = [
        entry.get("estimated_time_to_regain_access") or 0
        for entries in usage.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    return max(waits) * 60.0 if waits and max(waits) else None


def classify(response: httpx.Response, client: ApiClient) -> PublishError | None:
    """A Graph error answer as a PublishError (None: not a Graph error, the common rules decide)."""
    body = json_or_none(response)
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return None
    error = body["error"]
    code, sub = int(error.get("code") or 0), int(error.get("error_subcode") or 0)
    reason = error.get("error_user_msg") or error.get("message") or ""
    status = response.status_code
    if code in RATE_CODES or sub in RATE_SUBCODES or code == 9:
        return failure(
            ErrorKind.RETRY_LATER,
            client.platform,
            reason,
            status=status,
            raw=body,
            retry_after=_regain_minutes(response) or 3600.0,
        )
    if code in REAUTH_CODES:
        return failure(ErrorKind.REAUTHORIZE, client.platform, reason, status=status, raw=body)
    if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500:
        return failure(ErrorKind.PLATFORM_DOWN, client.platform, reason, status=status, raw=body)
    return failure(ErrorKind.FIX_CONTENT, client.platform, reason, status=status, raw=body)


def appsecret_proof(token: str, app_secret: str) -> str:
    """HMAC-SHA256 of the token with the app secret: with "Require App Secret" on in the app's
    settings, Graph accepts a token only with this proof, so a leaked token alone is not enough."""
    return hmac.new(app_secret.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def app_secret(platform: str, credentials: dict, environ=None) -> str:
    env = os.environ if environ is None else environ
    return (
        credentials.get("app_secret")
        or env.get(f"SOMEVAHTI_{platform.upper()}_CLIENT_SECRET")
        or env.get("SOMEVAHTI_FACEBOOK_CLIENT_SECRET")
        or ""
    )


def client(platform: str, token: str, *, transport=None, app_secret: str = "", **options) -> ApiClient:
    """A Graph client for one token; the token goes in the Authorization header, never in the URL
    (the app secret proof does, where the app has a secret)."""
    params = {"appsecret_proof": appsecret_proof(token, app_secret)} if app_secret else None
    return ApiClient(
        platform,
        GRAPH_URL,
        classify=classify,
        transport=transport,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        **options,
    )


def long_lived_user_token(
    app: OAuthApp, user_token: str, *, transport=None, now: datetime | None = None
) -> dict:
    """Trade a short-lived user token for a long-lived one: ``{"access_token", "expires_at"}``."""
    now = now or datetime.now(UTC)
    api = ApiClient("Facebook", GRAPH_URL, classify=classify, transport=transport)
    body = api.read(
        "GET",
        "/oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "fb_exchange_token": user_token,
        },
    ).json()
    out = {"access_token": body["access_token"]}
    if body.get("expires_in"):
        out["expires_at"] = (now + timedelta(seconds=int(body["expires_in"]))).isoformat()
    return out


def paged(api: ApiClient, path: str, params: dict):
    """Every row of a Graph edge, following its ``after`` cursors until there is no next page."""
    after = None
    while True:
        body = api.read("GET", path, params={**params, **({"after": after} if after else {})}).json()
        yield from body.get("data", [])
        paging = body.get("paging") or {}
        after = (paging.get("cursors") or {}).get("after")
        if not after or not paging.get("next"):
            return


def page_tokens(user_token: str, *, transport=None) -> list[dict]:
    """The pages the user manages: ``[{"id", "name", "access_token", "instagram_business_account"?}]``."""
    api = client("Facebook", user_token, transport=transport)
    return list(
        paged(
            api,
            "/me/accounts",
            {"fields": "id,name,access_token,tasks,instagram_business_account{id,username}", "limit": 100},
        )
    )


def debug_token(app: OAuthApp, token: str, *, transport=None) -> dict:
    """What Graph knows of a token (``GET /debug_token`` with the app's own token): ``is_valid``,
    ``scopes``, ``expires_at`` and ``data_access_expires_at`` as aware datetimes (None: never)."""
    api = ApiClient("Facebook", GRAPH_URL, classify=classify, transport=transport)
    data = (
        api.read(
            "GET",
            "/debug_token",
            params={"input_token": token, "access_token": f"{app.client_id}|{app.client_secret}"},
        )
        .json()
        .get("data", {})
    )

    def stamp(value):
        return datetime.fromtimestamp(int(value), UTC) if value else None

    return {
        **data,
        "expires_at": stamp(data.get("expires_at")),
        "data_access_expires_at": stamp(data.get("data_access_expires_at")),
    }


def connect_page(
    app: OAuthApp,
    user_token: str,
    page_id: str,
    *,
    instagram: bool = False,
    transport=None,
    now: datetime | None = None,
) -> dict:
    """The whole Facebook chain in one call: short-lived user token → long-lived → the page's token;
    the credentials to store for the Facebook page (or, with ``instagram``, its Instagram account)."""
    long = long_lived_user_token(app, user_token, transport=transport, now=now)
    page = next(
        (p for p in page_tokens(long["access_token"], transport=transport) if str(p["id"]) == str(page_id)),
        None,
    )
    if page is None:
        raise failure(
            ErrorKind.REAUTHORIZE,
            "Facebook",
            _("the person who connected does not manage page %(page)s") % {"page": page_id},
        )
    info = debug_token(app, page["access_token"], transport=transport)
    out = {"access_token": page["access_token"], "page_id": str(page["id"]), "name": page.get("name", "")}
    if info.get("expires_at"):  # a page token from a long-lived user token has none
        out["expires_at"] = info["expires_at"].isoformat()
    if info.get("data_access_expires_at"):
        out["data_access_expires_at"] = info["data_access_expires_at"].isoformat()
    if instagram:
        account = page.get("instagram_business_account") or {}
        if not account.get("id"):
            raise failure(
                ErrorKind.REAUTHORIZE,
                "Instagram",
                _("page %(page)s has no Instagram professional account") % {"page": page_id},
            )
        out.update(ig_user_id=str(account["id"]), username=account.get("username", ""))
    return out


def insight_totals(body: dict) -> dict[str, int | None]:
    """An ``/insights`` answer as one number per metric: the day values summed (``values``), or the
    metric's ``total_value`` (Instagram's ``metric_type=total_value``)."""
    from somevahti.channels.metrics import as_int, total

    out: dict[str, int | None] = {}
    for metric in body.get("data") or []:
        if not isinstance(metric, dict) or not metric.get("name"):
            continue
        if isinstance(metric.get("total_value"), dict):
            out[metric["name"]] = as_int(metric["total_value"].get("value"))
        else:
            out[metric["name"]] = total(
                v.get("value") for v in metric.get("values") or [] if isinstance(v, dict)
            )
    return out


def insights(api: ApiClient, path: str, params: dict) -> dict[str, int | None]:
    """Read an ``/insights`` edge; a metric Graph no longer serves or this page cannot have (an
    invalid-metric error, fewer than 100 likes) gives no figures rather than a failure."""
    try:
        return insight_totals(api.read("GET", path, params=params).json())
    except PublishError as e:
        if e.kind is ErrorKind.FIX_CONTENT:
            return {}
        raise


def when(value: str | None) -> datetime | None:
    """Graph's times (``2026-11-16T12:00:00+0000``) as aware datetimes."""
    if not value:
        return None
    value = value.replace("Z", "+00:00")
    if len(value) > 5 and value[-5] in "+-" and value[-3] != ":":
        value = value[:-2] + ":" + value[-2:]
    return datetime.fromisoformat(value)


def same_text(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


# -- media served to the platform -------------------------------------------------------------------

MediaURL = Callable[[MediaFile], str]


class SignedMediaURLs:
    """Public, expiring, unguessable URLs for the files a platform must fetch itself (Instagram).

    ``url_for(media)`` gives ``{base_url}/{token}``; the web app serves the file at that address
    after ``verify(token)`` returns its path (a bad or expired token gives None). The token is the
    file's path and an expiry signed with HMAC-SHA256; nothing else is readable at that address.
    """

    def __init__(
        self,
        base_url: str,
        secret: str | bytes,
        *,
        ttl: timedelta = timedelta(hours=2),
        now: Callable[[], float] = time.time,
    ):
        self.base_url = base_url.rstrip("/")
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        self.key = hashlib.sha256(b"somevahti-media-url\n" + raw).digest()
        self.ttl, self.now = ttl, now

    def _mac(self, body: bytes) -> str:
        return (
            base64.urlsafe_b64encode(hmac.new(self.key, body, hashlib.sha256).digest()[:20])
            .rstrip(b"=")
            .decode()
        )

    def url_for(self, media: MediaFile) -> str:
        expiry = int(self.now() + self.ttl.total_seconds())
        body = base64.urlsafe_b64encode(json.dumps([str(media.path), expiry]).encode()).rstrip(b"=")
        return f"{self.base_url}/{body.decode()}.{self._mac(body)}"

    __call__ = url_for

    def verify(self, token: str) -> Path | None:
        body, _sep, mac = token.partition(".")
        if not hmac.compare_digest(self._mac(body.encode()), mac):
            return None
        try:
            path, expiry = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except ValueError:
            return None
        return Path(path) if expiry > self.now() else None


def no_media_url(media: MediaFile) -> str:
    raise failure(
        ErrorKind.FIX_CONTENT,
        "Instagram",
        _("Instagram fetches images from a public address and none is configured for this installation"),
    )
