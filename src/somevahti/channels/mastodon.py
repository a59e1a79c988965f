"""Mastodon over its REST API: replies to our statuses (``/api/v1/statuses/:id/context``) and
mentions (``/api/v1/notifications?types[]=mention``), answering (``POST /api/v1/statuses``) and
deleting our own answers (``DELETE /api/v1/statuses/:id``). Mastodon has no "hide", and an
account can delete only its own statuses, so ``can_hide`` and ``can_delete`` (someone else's
comment) are off; ``can_retract`` (our answer) is on. Report abuse on the server instead.
A token needs the scopes ``read:statuses read:notifications write:statuses write:media``.

Publishing (``publish_part``): media first (``POST /api/v2/media`` with the description, then
``GET /api/v1/media/:id`` until the server has processed it), then ``POST /api/v1/statuses`` with
``in_reply_to_id`` for a thread, the part's language and the visibility, and the part's key as
the ``Idempotency-Key`` header. Mastodon remembers that key per account for an hour and answers
a repeated POST with the status it created the first time, so a re-send after an unknown outcome
within the hour cannot create a second status; ``find_published`` looks first among the
account's recent statuses for one with the part's text (answering the same status), which also
covers a re-send after the hour. The publish call itself is sent once: no automatic retry on
429 or 5xx (the engine decides, from the error kind, when to try again). Edits are
``PUT /api/v1/statuses/:id``, deletion ``DELETE /api/v1/statuses/:id``."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime
from html.parser import HTMLParser

import httpx

from somevahti.channels.base import Capabilities, ChannelError, Connector, IncomingItem, register
from somevahti.channels.http import RetryingClient, _header_delay
from somevahti.channels.metrics import AccountMetrics, as_int, total
from somevahti.channels.publishing import (
    CredentialField,
    ErrorKind,
    Limits,
    Part,
    PublishCapabilities,
    Published,
    PublishError,
    PublishingConnector,
)
from somevahti.i18n import _

PAGE = 40


class _Text(HTMLParser):
    """Status HTML to plain text: paragraphs and <br> become line breaks, links keep their text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts).strip()


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def N_(message: str) -> str:  # noqa: N802 - the gettext marker makemessages collects
    return message


@register
class MastodonConnector(Connector, PublishingConnector):
    name = "mastodon"
    capabilities = Capabilities(can_fetch_comments=True, can_reply=True, can_retract=True, metrics=True)
    publish_capabilities = PublishCapabilities(can_edit=True, can_delete_post=True, threads=True)
    # Mastodon's defaults (a server may set others): 500 characters with every URL counted as 23,
    # 4 images of 16 MB, a video of 99 MB, descriptions of 1,500 characters.
    limits = Limits(
        max_text=500,
        counting="mastodon",
        max_images=4,
        max_image_bytes=16 * 1024 * 1024,
        image_types=("image/jpeg", "image/png", "image/gif", "image/webp"),
        max_alt_text=1500,
        video=True,
        max_video_bytes=99 * 1024 * 1024,
        video_types=("video/mp4", "video/webm", "video/quicktime"),
    )
    credential_fields = (
        CredentialField("server", N_("Server address")),
        CredentialField("access_token", N_("Access token"), secret=True),
    )
    visibility = "public"
    media_wait = 60.0  # seconds to wait for the server to process an uploaded video
    lookup_pages = 3  # pages of 40 own statuses searched by find_published

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        statuses: list[str] | tuple = (),
        since_id: str | None = None,
        transport: httpx.BaseTransport | None = None,
        visibility: str | None = None,
        **retry,
    ):
        self.base_url = base_url.rstrip("/")
        self.statuses = [str(s) for s in statuses]
        self.since_id = since_id
        if visibility:
            self.visibility = visibility
        client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=30.0,
            headers={"Authorization": f"Bearer {token}", "User-Agent": "somevahti"},
        )
        self.http = RetryingClient(client, **retry)
        self.client = client  # publishing calls go out once, without the retrying wrapper
        self._me: str | None = None

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> MastodonConnector:
        server, token = credentials.get("server") or "", credentials.get("access_token") or ""
        if not server or not token:
            raise PublishError(
                ErrorKind.REAUTHORIZE, _("the Mastodon connection needs a server address and a token")
            )
        return cls(server, token, transport=transport, visibility=credentials.get("visibility"), **options)

    # -- publishing ---------------------------------------------------------------------
    def _send(self, method: str, path: str, *, sent: bool = True, **kwargs):
        """One request, errors as PublishError; ``sent``: a broken connection may have reached the server."""
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.ConnectError as e:
            raise PublishError(ErrorKind.PLATFORM_DOWN, _("Mastodon cannot be reached: %s") % e) from e
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
            kind = ErrorKind.UNKNOWN_OUTCOME if sent else ErrorKind.PLATFORM_DOWN
            raise PublishError(
                kind,
                _("Mastodon did not answer %(method)s %(path)s: %(error)s")
                % {"method": method, "path": path, "error": str(e) or type(e).__name__},
            ) from e
        return self._answer(response, method, path)

    def _answer(self, response: httpx.Response, method: str, path: str):
        status = response.status_code
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
            if status < 400 or status >= 500:
                raise PublishError(
                    ErrorKind.PLATFORM_DOWN,
                    _(
                        "Mastodon answered %(status)d to %(method)s %(path)s with a web page instead of "
                        "JSON (a proxy or maintenance page?)"
                    )
                    % {"status": status, "method": method, "path": path},
                    status=status,
                    raw=response.text[:2000],
                ) from None
        if status < 400:
            return body
        reason = body.get("error", "") if isinstance(body, dict) else ""
        reason = reason or response.reason_phrase
        params = {"status": status, "method": method, "path": path, "detail": reason}
        message = _("Mastodon answered %(status)d to %(method)s %(path)s: %(detail)s") % params
        if status in (401, 403):
            raise PublishError(
                ErrorKind.REAUTHORIZE, message, platform_reason=reason, status=status, raw=body
            )
        if status == 429:
            wait = _header_delay(response, lambda: datetime.now(UTC))
            raise PublishError(
                ErrorKind.RETRY_LATER,
                message,
                platform_reason=reason,
                status=status,
                raw=body,
                retry_after=wait if wait is not None else 300.0,
            )
        if status >= 500:
            raise PublishError(
                ErrorKind.PLATFORM_DOWN, message, platform_reason=reason, status=status, raw=body
            )
        raise PublishError(ErrorKind.FIX_CONTENT, message, platform_reason=reason, status=status, raw=body)

    def _upload(self, media) -> str:
        with media.path.open("rb") as f:
            attachment = self._send(
                "POST",
                "/api/v2/media",
                sent=False,
                files={"file": (media.path.name, f, media.mime or "application/octet-stream")},
                data={"description": media.alt[: self.limits.max_alt_text]} if media.alt else {},
            )
        deadline = time.monotonic() + self.media_wait
        while not attachment.get("url"):  # 202: the server is still processing it
            if time.monotonic() > deadline:
                raise PublishError(
                    ErrorKind.PLATFORM_DOWN,
                    _("Mastodon did not finish processing %s in time") % media.path.name,
                )
            time.sleep(1.0)
            attachment = self._send("GET", f"/api/v1/media/{attachment['id']}", sent=False)
        return str(attachment["id"])

    def _published(self, status: dict) -> Published:
        return Published(str(status["id"]), status.get("url") or status.get("uri") or "", raw=status)

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        media_ids = [self._upload(m) for m in part.media]
        body: dict = {"status": part.text, "visibility": self.visibility}
        if media_ids:
            body["media_ids"] = media_ids
        if reply_to is not None:
            body["in_reply_to_id"] = reply_to.external_id
        if part.languages:
            body["language"] = part.languages[0]
        status = self._send("POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": part.key})
        return self._published(status)

    def find_published(self, part: Part) -> Published | None:
        """Our recent status with this part's text (Mastodon keeps no client key on a status)."""
        me = self._send("GET", "/api/v1/accounts/verify_credentials", sent=False)["id"]
        wanted = _norm(part.text)
        # a status older than the first attempt (less a minute for clocks) is an earlier post of the same text
        oldest = part.sent_at.timestamp() - 60 if part.sent_at else None
        params: dict = {"limit": 40}
        for _page in range(self.lookup_pages):
            statuses = self._send("GET", f"/api/v1/accounts/{me}/statuses", sent=False, params=params)
            if not statuses:
                return None
            for status in statuses:
                created = _when(status.get("created_at"))
                if oldest is not None and created is not None and created.timestamp() < oldest:
                    return None  # newest first: everything after this is older still
                if _norm(plain_text(status.get("content", ""))) == wanted:
                    return self._published(status)
            params = {"limit": 40, "max_id": statuses[-1]["id"]}
        return None

    def edit_part(self, published: Published, part: Part) -> Published:
        body: dict = {"status": part.text}
        old = published.raw if isinstance(published.raw, dict) else {}
        if part.media:
            body["media_ids"] = [str(m["id"]) for m in old.get("media_attachments", [])] or [
                self._upload(m) for m in part.media
            ]
        if part.languages:
            body["language"] = part.languages[0]
        status = self._send("PUT", f"/api/v1/statuses/{published.external_id}", json=body)
        return self._published(status)

    def delete_part(self, published: Published) -> None:
        try:
            self._send("DELETE", f"/api/v1/statuses/{published.external_id}")
        except PublishError as e:
            if e.status != 404:  # already gone
                raise

    def check_connection(self) -> str:
        account = self._send("GET", "/api/v1/accounts/verify_credentials", sent=False)
        return str(account.get("acct") or account.get("username") or account["id"])

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers from ``verify_credentials``; engagement as favourites + replies + reblogs of our
        statuses created in [since, until) (as counted now). Mastodon counts no reach."""
        me = self._send("GET", "/api/v1/accounts/verify_credentials", sent=False)
        counts, posts = [], 0
        params: dict = {"limit": 40}
        for _page in range(self.lookup_pages * 5):
            statuses = self._send("GET", f"/api/v1/accounts/{me['id']}/statuses", sent=False, params=params)
            if not statuses:
                break
            for status in statuses:
                created = _when(status.get("created_at"))
                if created is None or created >= until:
                    continue
                if created < since:
                    statuses = []  # newest first: the rest is older still
                    break
                posts += 1
                counts += [
                    status.get("favourites_count"),
                    status.get("replies_count"),
                    status.get("reblogs_count"),
                ]
            if len(statuses) < 40:  # empty (older than the period) or the last page
                break
            params = {"limit": 40, "max_id": statuses[-1]["id"]}
        return AccountMetrics(
            followers=as_int(me.get("followers_count")), engagement=total(counts) if posts else 0, posts=posts
        )

    def _call(self, method: str, path: str, **kwargs):
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            try:
                detail = response.json().get("error", "")
            except ValueError:
                detail = ""
            raise ChannelError(
                _("Mastodon answered %(status)d to %(method)s %(path)s: %(detail)s")
                % {
                    "status": response.status_code,
                    "method": method,
                    "path": path,
                    "detail": detail or response.reason_phrase,
                }
            )
        return response.json() if response.content else None

    def me(self) -> str:
        if self._me is None:
            self._me = str(self._call("GET", "/api/v1/accounts/verify_credentials")["id"])
        return self._me

    def _item(self, status: dict, kind: str, post: dict | None = None) -> IncomingItem:
        account = status.get("account") or {}
        return IncomingItem(
            external_id=str(status["id"]),
            text=plain_text(status.get("content", "")),
            kind=kind,
            occurred=_when(status.get("created_at")),
            author_name=account.get("display_name") or "",
            author_handle=account.get("acct") or "",
            parent_id=str(status.get("in_reply_to_id") or ""),
            post_text=plain_text(post.get("content", "")) if post else "",
            url=status.get("url") or status.get("uri") or "",
            language=status.get("language") or None,
            channel="mastodon",
            raw=status,
        )

    def fetch(self) -> list[IncomingItem]:
        """Replies below our statuses and mentions since the last fetch, oldest first, each once."""
        me = self.me()
        found: dict[str, IncomingItem] = {}
        for sid in self.statuses:
            post = self._call("GET", f"/api/v1/statuses/{sid}")
            context = self._call("GET", f"/api/v1/statuses/{sid}/context")
            for status in context.get("descendants", []):
                if str((status.get("account") or {}).get("id")) == me:
                    continue  # our own answers
                kind = "comment" if str(status.get("in_reply_to_id")) == sid else "reply"
                found[str(status["id"])] = self._item(status, kind, post)
        for status in self._mentions():
            found.setdefault(str(status["id"]), self._item(status, "mention"))
        return sorted(
            found.values(),
            key=lambda i: (int(i.external_id) if i.external_id.isdigit() else 0, i.external_id),
        )

    def _mentions(self) -> list[dict]:
        statuses, newest = [], self.since_id
        params = {"types[]": "mention", "limit": PAGE}
        cursor = self.since_id
        while True:
            page = self._call(
                "GET", "/api/v1/notifications", params={**params, **({"min_id": cursor} if cursor else {})}
            )
            if not page:
                break
            for n in page:
                if n.get("type") == "mention" and n.get("status"):
                    statuses.append(n["status"])
            ids = [str(n["id"]) for n in page]
            cursor = max(ids, key=lambda i: (len(i), i))
            newest = cursor if newest is None else max(newest, cursor, key=lambda i: (len(i), i))
            if len(page) < PAGE:
                break
        self.since_id = newest
        return statuses

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        key = hashlib.sha256(f"{target}\n{text}".encode()).hexdigest()
        body = {"status": text, "in_reply_to_id": target, "visibility": "public"}
        if language:
            body["language"] = language
        status = self._call("POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": key})
        return str(status["id"])

    def retract(self, external_id: str) -> None:
        self._call("DELETE", f"/api/v1/statuses/{external_id}")
