"""Bluesky (AT Protocol) with the ``atproto`` SDK: publishing, threads, images, replies to our posts.

Connection: the PDS address (``server``, e.g. https://bsky.social), the handle or DID
(``identifier``) and an app password (``app_password``, Settings → Privacy and security → App
passwords). The login uses ``fetch_bsky_profile=False`` (a PDS need not serve ``app.bsky``), so the
SDK's ``send_*`` helpers are not used: records are written with ``com.atproto.repo.createRecord``.

Never twice: a part's record key is a TID derived from its idempotency key (:func:`record_key`),
so a retry after an unknown outcome either finds the record (``getRecord``) or creates it; a
second create of the same key is refused by the PDS and answered with the existing record.

Text: links, @mentions (resolved to DIDs) and #hashtags become facets with UTF-8 byte offsets
(the SDK's port of the TypeScript detector); ``langs`` carries the part's languages; 300 graphemes.
Images: up to 4 per post, 1,000,000 bytes each (the lexicon's limit), alt text from the document;
larger or missing files are refused before anything is sent.

No edit: Bluesky has none in its apps. ``putRecord`` would change the record under the replies,
quotes and likes that point at its old content id, other clients and the AppView may keep
showing the old text, and nobody sees that it changed; the engine publishes a correction reply
instead (``can_edit`` is False). Deleting our own post (``deleteRecord``) is supported.

Replies and mentions come from the AppView through the PDS (``app.bsky.feed.getPostThread`` for
the posts given, ``app.bsky.notification.listNotifications`` for replies to any of our posts and
mentions of us): the PDS alone does not know who answered. Hiding a reply (a threadgate) is left
to the Bluesky app for now.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

import httpx
import regex
from atproto import Client
from atproto_client import exceptions as atexc
from atproto_client.request import Request
from atproto_client.utils import facet_detection

from somevahti.channels.base import Capabilities, Connector, IncomingItem, register
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

POST = "app.bsky.feed.post"
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images#image: blob maxSize
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# The derived TIDs' timestamps lie in 2000-01-01 .. 2023-01-01: never in the future, never in the
# range the PDS itself hands out now, and still 2^59 keys (people see createdAt, not the key).
_TID_FROM = 946_684_800_000_000
_TID_SPAN = 1_672_531_200_000_000 - _TID_FROM
_AUTH_ERRORS = {
    "ExpiredToken",
    "InvalidToken",
    "AuthenticationRequired",
    "AuthFactorTokenRequired",
    "AccountTakedown",
    "AccountDeactivated",
    "InvalidPassword",
}


def record_key(key: str) -> str:
    """A valid TID (13 base32-sortable characters) derived from an idempotency key: the same key
    always gives the same record key, different keys practically never do."""
    digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    timestamp = _TID_FROM + (digest >> 10) % _TID_SPAN
    value = (timestamp << 10) | (digest & 0x3FF)
    chars = []
    for _i in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _ref(published: Published) -> dict:
    return {"$type": "com.atproto.repo.strongRef", "uri": published.external_id, "cid": published.cid}


def _as_dict(model) -> dict:
    if model is None or isinstance(model, dict):
        return model or {}
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _error_name(exc: atexc.RequestErrorBase) -> tuple[str, str]:
    content = exc.response.content if exc.response is not None else None
    name = getattr(content, "error", None) or ""
    message = getattr(content, "message", None) or ""
    return str(name), str(message)


def _retry_after(headers: dict) -> float | None:
    reset = headers.get("ratelimit-reset")
    if reset:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            pass
    after = headers.get("retry-after")
    if after:
        try:
            return max(0.0, float(after))
        except ValueError:
            pass
    return None


def map_error(exc: Exception, *, writing: bool = False) -> PublishError:
    """The SDK's exception as one :class:`ErrorKind`. ``writing``: a transport failure (timeout,
    dropped connection) may have left the record created: UNKNOWN_OUTCOME instead of PLATFORM_DOWN."""
    if isinstance(exc, PublishError):
        return exc
    if isinstance(exc, atexc.LoginRequiredError):
        return PublishError(
            ErrorKind.REAUTHORIZE, _("Bluesky did not accept the login: %(reason)s") % {"reason": exc}
        )
    if isinstance(exc, atexc.RequestErrorBase) and exc.response is not None:
        status = exc.response.status_code
        name, message = _error_name(exc)
        reason = f"{name}: {message}" if name and message else (name or message)
        raw = exc.response.content if not isinstance(exc.response.content, bytes) else None
        if status in (401, 403) or name in _AUTH_ERRORS:
            return PublishError(
                ErrorKind.REAUTHORIZE,
                _("Bluesky did not accept the login: %(reason)s") % {"reason": reason or status},
                platform_reason=reason,
                status=status,
                raw=raw,
            )
        if status == 429 or name == "RateLimitExceeded":
            return PublishError(
                ErrorKind.RETRY_LATER,
                _("Bluesky asked us to wait (rate limit)."),
                platform_reason=reason,
                status=status,
                raw=raw,
                retry_after=_retry_after(exc.response.headers),
            )
        if status in (400, 413) and name:
            return PublishError(
                ErrorKind.FIX_CONTENT,
                _("Bluesky refused the post: %(reason)s") % {"reason": reason},
                platform_reason=reason,
                status=status,
                raw=raw,
            )
        return PublishError(
            ErrorKind.PLATFORM_DOWN,
            _("Bluesky answered %(status)s: %(reason)s")
            % {"status": status, "reason": reason or _("not an AT Protocol answer")},
            platform_reason=reason,
            status=status,
        )
    if isinstance(exc, atexc.InvokeTimeoutError | atexc.NetworkError | httpx.TransportError):
        if writing:
            return PublishError(
                ErrorKind.UNKNOWN_OUTCOME, _("Bluesky did not answer; the post may or may not exist.")
            )
        return PublishError(
            ErrorKind.PLATFORM_DOWN,
            _("Bluesky cannot be reached: %(reason)s") % {"reason": exc.__cause__ or exc},
        )
    if isinstance(exc, atexc.ModelError | ValueError):
        # A 200 that is not the JSON the lexicon promises (an HTML page from a proxy, say).
        return PublishError(
            ErrorKind.PLATFORM_DOWN,
            _("Bluesky answered %(status)s: %(reason)s")
            % {"status": 200, "reason": _("not an AT Protocol answer")},
        )
    raise exc


@register
class BlueskyConnector(PublishingConnector, Connector):
    name = "bluesky"
    capabilities = Capabilities(can_fetch_comments=True, can_reply=True, can_retract=True, metrics=True)
    publish_capabilities = PublishCapabilities(can_edit=False, can_delete_post=True, threads=True)
    limits = Limits(
        max_text=300, counting="graphemes", max_images=4, max_image_bytes=MAX_IMAGE_BYTES, max_alt_text=2000
    )
    credential_fields = (
        CredentialField("server", "Server address (PDS)"),
        CredentialField("identifier", "Handle or DID"),
        CredentialField("app_password", "App password", secret=True),
    )
    # A session is kept between runs (``refresh_credentials`` gives it): a login with the app password
    # is rate-limited per account (createSession: 30 per 5 minutes, 300 a day).
    stores_session = True

    def __init__(
        self,
        server: str,
        identifier: str,
        app_password: str,
        *,
        session: str | None = None,
        posts: list[str] | tuple = (),
        since: datetime | None = None,
        web_url: str = "https://bsky.app",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ):
        self.server = server.rstrip("/")
        self.identifier = identifier
        self._password = app_password
        self.posts = list(posts)
        self.since = since
        self.web_url = web_url.rstrip("/")
        kwargs = {"timeout": timeout}
        if transport is not None:
            kwargs["transport"] = transport
        self.client = Client(base_url=self.server, request=Request(**kwargs))
        self._session_string = session
        self._logged_in = False
        self._session_changed = False
        self.client.on_session_change(self._on_session_change)

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> BlueskyConnector:
        return cls(
            credentials.get("server") or "https://bsky.social",
            credentials["identifier"],
            credentials["app_password"],
            session=credentials.get("session") or None,
            transport=transport,
            **options,
        )

    # -- session -----------------------------------------------------------------------------------
    def _on_session_change(self, event, session) -> None:
        self._session_string = session.export()
        self._session_changed = True

    def _login(self) -> None:
        if self._session_string:
            try:
                self.client.login(session_string=self._session_string, fetch_bsky_profile=False)
                self._logged_in = True
                return
            except (atexc.RequestErrorBase, ValueError):
                pass  # the stored session is no longer good: log in with the app password
        try:
            self.client.login(self.identifier, self._password, fetch_bsky_profile=False)
        except Exception as exc:
            raise map_error(exc) from exc
        self._logged_in = True

    def _ensure(self) -> None:
        if not self._logged_in:
            self._login()

    @property
    def did(self) -> str:
        self._ensure()
        return self.client._session.did

    @property
    def handle(self) -> str:
        self._ensure()
        return self.client._session.handle

    def _call(self, fn, *args, writing: bool = False, **kwargs):
        """One XRPC call; a refused login is retried once after a fresh one (nothing was done then)."""
        self._ensure()
        for attempt in (1, 2):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                error = map_error(exc, writing=writing)
                if error.kind is ErrorKind.REAUTHORIZE and attempt == 1:
                    self._session_string = None
                    self._logged_in = False
                    self._login()
                    continue
                raise error from exc
        raise AssertionError("unreachable")

    def refresh_credentials(self) -> dict | None:
        """Refresh the session (refreshJwt); when that fails, log in again with the app password.
        Returns the session to store (``session``, ``expires_at``: the access token's expiry)."""
        self._ensure()
        try:
            self.client._refresh_and_set_session()
        except Exception:
            self._session_string = None
            self._logged_in = False
            self._login()  # raises REAUTHORIZE when the app password is refused too
        session = self.client._session
        expires = datetime.fromtimestamp(session.access_jwt_payload.exp, UTC)
        self._session_changed = False
        return {"session": self._session_string or session.export(), "expires_at": expires.isoformat()}

    def check_connection(self) -> str:
        self._call(self.client.com.atproto.server.get_session)
        return self.handle

    # -- building records --------------------------------------------------------------------------
    def facets(self, text: str) -> list[dict]:
        found = [_as_dict(f) for f in facet_detection.detect_facets(text)]
        for mention in facet_detection.detect_mentions(text):
            try:
                did = self._call(
                    self.client.com.atproto.identity.resolve_handle, {"handle": mention.handle.lower()}
                ).did
            except PublishError as exc:
                if exc.kind is ErrorKind.FIX_CONTENT:
                    continue  # a handle that does not resolve stays plain text
                raise
            found.append(
                {
                    "$type": "app.bsky.richtext.facet",
                    "index": {"byteStart": mention.byte_start, "byteEnd": mention.byte_end},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
        return sorted(found, key=lambda f: f["index"]["byteStart"])

    def check_part(self, part: Part) -> None:
        """Refuse what Bluesky would refuse, before anything is sent (FIX_CONTENT)."""
        if graphemes(part.text) > self.limits.max_text:
            raise PublishError(
                ErrorKind.FIX_CONTENT,
                _("The text is %(count)d characters; Bluesky takes %(max)d.")
                % {"count": graphemes(part.text), "max": self.limits.max_text},
            )
        images = [m for m in part.media if m.type == "image"]
        if len(images) != len(part.media):
            raise PublishError(
                ErrorKind.FIX_CONTENT, _("Bluesky: this connector publishes images, not videos.")
            )
        if len(images) > self.limits.max_images:
            raise PublishError(
                ErrorKind.FIX_CONTENT,
                _("Bluesky takes at most %(max)d images in one post.") % {"max": self.limits.max_images},
            )
        for media in images:
            try:
                size = media.path.stat().st_size
            except OSError:
                raise PublishError(
                    ErrorKind.FIX_CONTENT, _("The image file %(path)s cannot be read.") % {"path": media.path}
                ) from None
            if size > self.limits.max_image_bytes:
                raise PublishError(
                    ErrorKind.FIX_CONTENT,
                    _("The image %(path)s is %(size)d bytes; Bluesky takes %(max)d.")
                    % {"path": media.path.name, "size": size, "max": self.limits.max_image_bytes},
                )
            if media.mime not in self.limits.image_types:
                raise PublishError(
                    ErrorKind.FIX_CONTENT,
                    _("Bluesky does not take images of type %(mime)s.") % {"mime": media.mime},
                )

    def build_record(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> dict:
        self.check_part(part)
        record: dict = {"$type": POST, "text": part.text, "createdAt": _now()}
        facets = self.facets(part.text)
        if facets:
            record["facets"] = facets
        if part.languages:
            record["langs"] = list(part.languages)[:3]
        if reply_to is not None:
            first = root or reply_to
            record["reply"] = {"root": _ref(first), "parent": _ref(reply_to)}
        if part.media:
            images = []
            for media in part.media:
                blob = self._call(self.client.upload_blob, media.path.read_bytes()).blob
                images.append(
                    {"$type": "app.bsky.embed.images#image", "alt": media.alt or "", "image": _as_dict(blob)}
                )
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        elif part.link:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": part.link, "title": part.title or part.link, "description": ""},
            }
        return record

    # -- publishing --------------------------------------------------------------------------------
    def url_for(self, uri: str) -> str:
        rkey = uri.rsplit("/", 1)[-1]
        return f"{self.web_url}/profile/{self.handle}/post/{rkey}"

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        record = self.build_record(part, reply_to=reply_to, root=root)
        rkey = record_key(part.key)
        try:
            created = self._call(
                self.client.com.atproto.repo.create_record,
                {"repo": self.did, "collection": POST, "rkey": rkey, "record": record},
                writing=True,
            )
        except PublishError as exc:
            # A record under this key exists already (an earlier attempt whose answer was lost): the
            # PDS refuses the second create (a 500 from its unique index, or a 400), so look it up.
            if exc.kind in (ErrorKind.FIX_CONTENT, ErrorKind.PLATFORM_DOWN) and exc.status:
                try:
                    found = self.find_published(part)
                except PublishError:
                    found = None
                if found is not None:
                    return found
            raise
        return Published(
            external_id=created.uri,
            url=self.url_for(created.uri),
            cid=created.cid,
            raw={"uri": created.uri, "cid": created.cid, "record": record},
        )

    def _get(self, uri_or_rkey: str, repo: str | None = None) -> Published | None:
        rkey = uri_or_rkey.rsplit("/", 1)[-1]
        repo = repo or (uri_or_rkey.split("/")[2] if uri_or_rkey.startswith("at://") else self.did)
        try:
            found = self._call(
                self.client.com.atproto.repo.get_record, {"repo": repo, "collection": POST, "rkey": rkey}
            )
        except PublishError as exc:
            if exc.kind is ErrorKind.FIX_CONTENT and "RecordNotFound" in (exc.platform_reason or ""):
                return None
            raise
        return Published(
            external_id=found.uri,
            url=self.url_for(found.uri),
            cid=found.cid or "",
            raw={"uri": found.uri, "cid": found.cid, "record": _as_dict(found.value)},
        )

    def find_published(self, part: Part) -> Published | None:
        return self._get(record_key(part.key))

    def delete_part(self, published: Published) -> None:
        rkey = published.external_id.rsplit("/", 1)[-1]
        self._call(
            self.client.com.atproto.repo.delete_record, {"repo": self.did, "collection": POST, "rkey": rkey}
        )

    def retract(self, external_id: str) -> None:
        self.delete_part(Published(external_id=external_id, url=""))

    def reply(self, item: IncomingItem | str, text: str, language: str | None = None) -> str:
        uri = item.external_id if isinstance(item, IncomingItem) else item
        parent = self._get(uri)
        if parent is None:
            raise PublishError(
                ErrorKind.FIX_CONTENT, _("The Bluesky post %(uri)s no longer exists.") % {"uri": uri}
            )
        root_ref = (parent.raw["record"].get("reply") or {}).get("root")
        root = Published(external_id=root_ref["uri"], url="", cid=root_ref["cid"]) if root_ref else parent
        key = "reply:" + hashlib.sha256(f"{uri}\n{text}".encode()).hexdigest()
        part = Part(key=key, text=text, languages=(language,) if language else ())
        return self.publish_part(part, reply_to=parent, root=root).external_id

    # -- replies and mentions ----------------------------------------------------------------------
    def _item(self, post: dict, kind: str, parent_text: str = "") -> IncomingItem:
        record = post.get("record") or {}
        author = post.get("author") or {}
        reply = record.get("reply") or {}
        langs = record.get("langs") or []
        return IncomingItem(
            external_id=post["uri"],
            text=record.get("text", ""),
            kind=kind,
            occurred=_when(record.get("createdAt")) or _when(post.get("indexedAt")),
            author_name=author.get("displayName") or author.get("handle", ""),
            author_handle=author.get("handle", ""),
            parent_id=(reply.get("parent") or {}).get("uri", ""),
            post_text=parent_text,
            url=f"{self.web_url}/profile/{author.get('handle', '')}/post/{post['uri'].rsplit('/', 1)[-1]}",
            language=langs[0] if langs else None,
            channel=self.name,
            raw=post,
            extra={"cid": post.get("cid", ""), "root": reply.get("root")},
        )

    def _walk(self, node: dict, items: dict, root_text: str) -> None:
        for child in node.get("replies") or []:
            post = child.get("post")
            if not post:
                continue
            if (post.get("author") or {}).get("did") != self.did and post["uri"] not in items:
                items[post["uri"]] = self._item(
                    post, "reply", node.get("post", {}).get("record", {}).get("text", root_text)
                )
            self._walk(child, items, root_text)

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers (``app.bsky.actor.getProfile``) and engagement (likes + reposts + replies + quotes
        of our posts created in the period, ``app.bsky.feed.getAuthorFeed``): both are the AppView's
        counts, asked through the PDS like ``fetch``. A PDS without an AppView cannot say them (its
        own ``listRecords`` has no counts): that is an error on the connection. Bluesky counts no reach."""
        profile = _as_dict(self._call(self.client.app.bsky.actor.get_profile, {"actor": self.did}))
        counts, posts, cursor = [], 0, None
        for _page in range(10):
            params = {"actor": self.did, "limit": 100, "filter": "posts_no_replies"}
            if cursor:
                params["cursor"] = cursor
            page = self._call(self.client.app.bsky.feed.get_author_feed, params)
            done = False
            for entry in page.feed:
                post = _as_dict(entry.post)
                if (post.get("author") or {}).get("did") != self.did:
                    continue  # a repost of someone else's post
                created = _when((post.get("record") or {}).get("createdAt") or post.get("indexedAt"))
                if created is None or created >= until:
                    continue
                if created < since:
                    done = True
                    break
                posts += 1
                counts += [post.get(k) for k in ("likeCount", "repostCount", "replyCount", "quoteCount")]
            cursor = page.cursor
            if done or not cursor:
                break
        return AccountMetrics(
            followers=as_int(profile.get("followersCount")),
            engagement=total(counts) if posts else 0,
            posts=posts,
        )

    def _parent_text(self, uri: str, known: dict[str, str]) -> str:
        """The text of the post a notified reply answers, from the PDS (the AppView may not have indexed
        its thread yet); "" when it cannot be read — the reply itself is never lost for it."""
        if uri not in known:
            try:
                found = self._get(uri)
            except PublishError:
                found = None
            known[uri] = found.raw["record"].get("text", "") if found else ""
        return known[uri]

    def fetch(self) -> list[IncomingItem]:
        items: dict[str, IncomingItem] = {}
        for uri in self.posts:
            try:
                thread = self._call(self.client.app.bsky.feed.get_post_thread, {"uri": uri, "depth": 10})
            except PublishError as error:
                # deleted, or not yet indexed by the AppView (it lags the PDS by seconds): skip this post,
                # not the whole fetch; a reply to it still comes with the notifications below
                if (error.platform_reason or "").split(":", 1)[0] == "NotFound":
                    continue
                raise
            node = _as_dict(thread.thread)
            if node.get("post"):
                self._walk(node, items, node["post"].get("record", {}).get("text", ""))
        cursor, parents = None, {}
        for _page in range(20):
            params = {"limit": 50, "reasons": ["reply", "mention"]}
            if cursor:
                params["cursor"] = cursor
            page = self._call(self.client.app.bsky.notification.list_notifications, params)
            done = False
            for note in page.notifications:
                note = _as_dict(note)
                indexed = _when(note.get("indexedAt"))
                if self.since and indexed and indexed <= self.since:
                    done = True
                    break
                if note["uri"] in items or note.get("reason") not in ("reply", "mention"):
                    continue
                post = {k: note.get(k) for k in ("uri", "cid", "author", "record", "indexedAt")}
                parent = (((post.get("record") or {}).get("reply") or {}).get("parent") or {}).get("uri")
                text = self._parent_text(parent, parents) if parent else ""
                items[note["uri"]] = self._item(post, note["reason"], text)
            cursor = page.cursor
            if done or not cursor:
                break
        return sorted(items.values(), key=lambda i: i.occurred or datetime.min.replace(tzinfo=UTC))
