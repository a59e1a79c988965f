"""X (Twitter) over the X API v2 with OAuth 2.0 user tokens (authorization code with PKCE).

Publishing: ``POST /2/tweets`` with ``text``, ``media.media_ids`` and, for the parts of a thread
after the first, ``reply.in_reply_to_tweet_id``. Images go up first with the v2 media upload
(``POST /2/media/upload``, ``media_category=tweet_image``), videos in chunks
(``/2/media/upload/initialize``, ``/{id}/append``, ``/{id}/finalize``, then the processing status);
alt text is set with ``POST /2/media/metadata``. Uploads are invisible until a post uses them, so
only ``POST /2/tweets`` is the publish call. The text is measured as X does (URLs 23, CJK and emoji
2, ``text.length.x_units``) and a part over 280 is refused before anything is sent.

Rate limits: a 429 carries ``x-rate-limit-reset`` (epoch seconds) and ``x-rate-limit-remaining``,
and the daily post cap ``x-user-limit-24hour-reset``; the latest reset that is due becomes
``retry_after``.

Duplicates: X refuses a post whose text equals a recent one of the account (403, "duplicate
content"). Somevahti treats that as ``FIX_CONTENT``, not as "already published": the earlier post
may be one a person wrote by hand days ago, and claiming it would put the wrong post in the
archive and silently drop the new one. An unknown outcome is settled by ``find_published`` instead,
which reads the account's posts of the last ``lookback`` hours (48) and compares the text with
URLs masked (X shortens them to t.co) — this needs read access (the Basic tier or above); on the
free tier X refuses the read and the outcome stays unknown for a person to check.

Access tokens live two hours; ``offline.access`` gives a refresh token, which X rotates on each
refresh (``refresh_credentials`` returns the new one; the old one is spent).
"""

from __future__ import annotations

import html
import math
import re
import time
from datetime import UTC, datetime, timedelta

import httpx

from somevahti.channels.base import Capabilities, Connector, IncomingItem, register
from somevahti.channels.metrics import AccountMetrics, as_int, total
from somevahti.channels.oauth import Provider, register_provider, renew
from somevahti.channels.publishing import (
    CredentialField,
    ErrorKind,
    Limits,
    MediaFile,
    Part,
    PublishCapabilities,
    Published,
    PublishError,
    PublishingConnector,
)
from somevahti.channels.webapi import ApiClient, failure, json_or_none, seconds_until
from somevahti.i18n import _
from somevahti.text.length import measure, x_units

API_URL = "https://api.x.com"
MAX_WEIGHT = 280
CHUNK = 4 * 1024 * 1024
PROVIDER = register_provider(
    Provider(
        platform="x",
        authorize_url="https://x.com/i/oauth2/authorize",
        token_url=f"{API_URL}/2/oauth2/token",
        scopes=("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
        client_auth="basic",
        label="X",
        needs_client_secret=False,  # X lets a public client (PKCE, no secret) sign in
    )
)
URL = re.compile(r"https?://\S+")


def _reason(body) -> str:
    if not isinstance(body, dict):
        return ""
    errors = body.get("errors") or []
    parts = [body.get("detail") or body.get("title") or ""]
    parts += [e.get("message") or e.get("detail") or "" for e in errors if isinstance(e, dict)]
    return "; ".join(p for p in parts if p)


def classify(response: httpx.Response, client: ApiClient) -> PublishError | None:
    status = response.status_code
    if status < 400:
        return None
    body = json_or_none(response)
    reason = _reason(body) or f"HTTP {status}"
    if status == 429:
        now = client.now()
        resets = []
        for name, remaining in (
            ("x-rate-limit-reset", "x-rate-limit-remaining"),
            ("x-user-limit-24hour-reset", "x-user-limit-24hour-remaining"),
            ("x-app-limit-24hour-reset", "x-app-limit-24hour-remaining"),
        ):
            value, left = response.headers.get(name), response.headers.get(remaining)
            if value and value.isdigit() and (left is None or left == "0"):
                resets.append(seconds_until(int(value), now))
        return failure(
            ErrorKind.RETRY_LATER,
            "X",
            reason,
            status=status,
            raw=body,
            retry_after=max(resets) if resets else 900.0,
        )
    if body is None:
        return None  # HTML or nothing: the common rules (PLATFORM_DOWN)
    kind = str(body.get("type", ""))
    if status == 401 or kind.endswith(("/client-forbidden", "/unsupported-authentication")):
        return failure(ErrorKind.REAUTHORIZE, "X", reason, status=status, raw=body)
    if status >= 500:
        return failure(ErrorKind.PLATFORM_DOWN, "X", reason, status=status, raw=body)
    return failure(ErrorKind.FIX_CONTENT, "X", reason, status=status, raw=body)


def comparable(text: str) -> str:
    return " ".join(URL.sub("<url>", html.unescape(text or "")).split())


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@register
class XConnector(Connector, PublishingConnector):
    name = "x"
    capabilities = Capabilities(
        can_fetch_comments=True, can_reply=True, can_hide=True, can_retract=True, metrics=True
    )
    publish_capabilities = PublishCapabilities(can_delete_post=True, threads=True, oauth=True)
    limits = Limits(
        max_text=MAX_WEIGHT,
        counting="x-weighted",
        max_images=4,
        max_image_bytes=5 * 1024 * 1024,
        max_alt_text=1000,
        video=True,
        max_video_bytes=512 * 1024 * 1024,
    )
    credential_fields = (
        CredentialField("access_token", "Access token", secret=True),
        CredentialField("refresh_token", "Refresh token", secret=True, required=False),
        CredentialField("username", "Handle", required=False),
    )

    def __init__(
        self,
        access_token: str,
        *,
        credentials: dict | None = None,
        posts=(),
        statuses=(),
        since_id: str | None = None,
        lookback_hours: float = 48,
        transport=None,
        now=lambda: datetime.now(UTC),
        sleep=time.sleep,
        max_polls: int = 60,
        **options,
    ):
        self.credentials = dict(credentials or {"access_token": access_token})
        self.user_id = str(self.credentials.get("user_id") or "")
        self.username = self.credentials.get("username", "")
        # ``statuses``/``since_id``: the names the inbox passes for every connector
        # (our posts; the newest seen)
        self.posts = list(dict.fromkeys(str(p) for p in (*posts, *statuses)))
        self.since_id = since_id
        self.lookback = timedelta(hours=lookback_hours)
        self.now, self.sleep, self.transport, self.max_polls = now, sleep, transport, max_polls
        self.api = ApiClient(
            "X",
            API_URL,
            classify=classify,
            transport=transport,
            now=now,
            sleep=sleep,
            headers={"Authorization": f"Bearer {access_token}"},
            **options,
        )

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> XConnector:
        return cls(credentials["access_token"], credentials=credentials, transport=transport, **options)

    def _url(self, tweet_id: str) -> str:
        return (
            f"https://x.com/{self.username}/status/{tweet_id}"
            if self.username
            else f"https://x.com/i/web/status/{tweet_id}"
        )

    # -- media ------------------------------------------------------------------------------------

    def _upload_image(self, media: MediaFile) -> str:
        with media.path.open("rb") as f:
            body = self.api.upload(
                "POST",
                "/2/media/upload",
                data={"media_category": "tweet_image", "media_type": media.mime},
                files={"media": (media.path.name, f, media.mime)},
            ).json()
        return str(body["data"]["id"])

    def _upload_chunked(self, media: MediaFile, category: str) -> str:
        """Video and animated GIF: initialize, append in chunks, finalize, wait for processing."""
        size = media.path.stat().st_size
        body = self.api.upload(
            "POST",
            "/2/media/upload/initialize",
            json={"media_type": media.mime, "total_bytes": size, "media_category": category},
        ).json()
        media_id = str(body["data"]["id"])
        with media.path.open("rb") as f:
            for index in range(max(1, math.ceil(size / CHUNK))):
                self.api.upload(
                    "POST",
                    f"/2/media/upload/{media_id}/append",
                    expect_json=False,
                    data={"segment_index": str(index)},
                    files={"media": ("chunk", f.read(CHUNK), "application/octet-stream")},
                )
        info = self.api.upload("POST", f"/2/media/upload/{media_id}/finalize").json()["data"]
        for _attempt in range(self.max_polls):
            processing = info.get("processing_info") or {}
            state = processing.get("state")
            if state in (None, "succeeded"):
                return media_id
            if state == "failed":
                raise failure(
                    ErrorKind.FIX_CONTENT,
                    "X",
                    (processing.get("error") or {}).get("message") or state,
                    raw=info,
                )
            self.sleep(float(processing.get("check_after_secs") or 1))
            info = self.api.read(
                "GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}
            ).json()["data"]
        raise failure(ErrorKind.PLATFORM_DOWN, "X", _("the media was still being processed"))

    def _media_ids(self, part: Part) -> list[str]:
        ids = []
        for media in part.media:
            if media.type == "video":
                media_id = self._upload_chunked(media, "tweet_video")
            elif media.mime == "image/gif":  # X animates a GIF only when it comes through the chunked upload
                media_id = self._upload_chunked(media, "tweet_gif")
            else:
                media_id = self._upload_image(media)
            if media.alt:
                self.api.upload(
                    "POST",
                    "/2/media/metadata",
                    json={"id": media_id, "metadata": {"alt_text": {"text": media.alt}}},
                )
            ids.append(media_id)
        return ids

    # -- publishing -------------------------------------------------------------------------------

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        weight = measure(x_units(part.text))
        if weight > MAX_WEIGHT:
            raise failure(
                ErrorKind.FIX_CONTENT,
                "X",
                _("the text is %(n)d characters as X counts them (at most %(max)d)")
                % {"n": weight, "max": MAX_WEIGHT},
            )
        payload: dict = {"text": part.text}
        media_ids = self._media_ids(part)
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        if reply_to is not None:
            payload["reply"] = {"in_reply_to_tweet_id": reply_to.external_id}
        body = self.api.write("POST", "/2/tweets", json=payload).json()
        tweet_id = str(body["data"]["id"])
        return Published(tweet_id, self._url(tweet_id), body)

    def me(self) -> str:
        if not self.user_id:
            data = self.api.read("GET", "/2/users/me").json()["data"]
            self.user_id, self.username = str(data["id"]), data.get("username", self.username)
        return self.user_id

    def find_published(self, part: Part) -> Published | None:
        try:
            user = self.me()
            since = (self.now() - self.lookback).strftime("%Y-%m-%dT%H:%M:%SZ")
            body = self.api.read(
                "GET",
                f"/2/users/{user}/tweets",
                params={"max_results": 100, "start_time": since, "tweet.fields": "created_at,text"},
            ).json()
        except PublishError as e:
            if e.kind is ErrorKind.FIX_CONTENT:  # e.g. 403: this access tier may not read posts
                raise failure(
                    ErrorKind.UNKNOWN_OUTCOME,
                    "X",
                    _("X does not let this connection read its posts: %(reason)s")
                    % {"reason": e.platform_reason},
                    status=e.status,
                ) from None
            raise
        wanted = comparable(part.text)
        for tweet in body.get("data", []):  # newest first
            if comparable(tweet.get("text", "")) == wanted:
                return Published(str(tweet["id"]), self._url(str(tweet["id"])), tweet)
        return None

    def delete_part(self, published: Published) -> None:
        self.api.write("DELETE", f"/2/tweets/{published.external_id}")

    def refresh_credentials(self) -> dict | None:
        return renew("x", self.credentials, transport=self.transport, now=self.now())

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers from ``/2/users/me`` (``public_metrics``); engagement as likes + replies + reposts +
        quotes of our posts created in the period (None where the access tier may not read posts).
        X gives no reach to the API's lower tiers."""
        data = self.api.read("GET", "/2/users/me", params={"user.fields": "public_metrics"}).json()["data"]
        self.user_id = str(data["id"])
        followers = as_int((data.get("public_metrics") or {}).get("followers_count"))
        try:
            body = self.api.read(
                "GET",
                f"/2/users/{self.user_id}/tweets",
                params={
                    "max_results": 100,
                    "tweet.fields": "public_metrics,created_at",
                    "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "end_time": until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                },
            ).json()
        except PublishError as e:
            if e.kind is not ErrorKind.FIX_CONTENT:
                raise
            return AccountMetrics(followers=followers, raw=data)
        tweets = body.get("data") or []
        counts = [
            (t.get("public_metrics") or {}).get(k)
            for t in tweets
            for k in ("like_count", "reply_count", "retweet_count", "quote_count")
        ]
        return AccountMetrics(
            followers=followers,
            engagement=total(counts) if tweets else 0,
            posts=len(tweets),
            raw={"user": data, "tweets": tweets},
        )

    def check_connection(self) -> str:
        self.user_id = ""
        self.me()
        return self.username or self.user_id

    # -- replies ----------------------------------------------------------------------------------

    def fetch(self) -> list[IncomingItem]:
        """Replies in the conversations of ``posts`` (the recent search: the last 7 days, Basic tier)."""
        me = self.me()
        items = []
        for post_id in self.posts:
            params = {
                "query": f"conversation_id:{post_id}",
                "max_results": 100,
                "tweet.fields": "created_at,author_id,in_reply_to_user_id,referenced_tweets,lang",
                "expansions": "author_id",
                "user.fields": "username,name",
            }
            if self.since_id:
                params["since_id"] = self.since_id
            body = self.api.read("GET", "/2/tweets/search/recent", params=params).json()
            users = {u["id"]: u for u in (body.get("includes") or {}).get("users", [])}
            for t in body.get("data", []):
                if str(t.get("author_id")) == me:
                    continue
                parent = next(
                    (r["id"] for r in t.get("referenced_tweets", []) if r.get("type") == "replied_to"),
                    post_id,
                )
                user = users.get(t.get("author_id"), {})
                items.append(
                    IncomingItem(
                        external_id=str(t["id"]),
                        text=html.unescape(t.get("text", "")),
                        kind="comment" if parent == post_id else "reply",
                        occurred=_when(t.get("created_at")),
                        author_name=user.get("name", ""),
                        author_handle=user.get("username", ""),
                        parent_id=str(parent),
                        url=f"https://x.com/{user.get('username', 'i/web')}/status/{t['id']}",
                        language=t.get("lang"),
                        channel="x",
                        raw=t,
                    )
                )
        items.sort(key=lambda i: (len(i.external_id), i.external_id))
        if items:
            newest = items[-1].external_id
            self.since_id = max(self.since_id or "0", newest, key=lambda i: (len(i), i))
        return items

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        body = self.api.write(
            "POST", "/2/tweets", json={"text": text, "reply": {"in_reply_to_tweet_id": target}}
        ).json()
        return str(body["data"]["id"])

    def hide(self, external_id: str) -> None:
        self.api.write("PUT", f"/2/tweets/{external_id}/hidden", json={"hidden": True})

    def retract(self, external_id: str) -> None:
        self.api.write("DELETE", f"/2/tweets/{external_id}")
