"""Instagram professional accounts over the Graph API (Instagram API with Facebook Login).

Publishing is two steps: a *container* (``POST /{ig-user-id}/media`` with ``image_url`` or
``video_url``, ``caption``, ``alt_text``), then ``POST /{ig-user-id}/media_publish`` with its id.
Only the second makes anything public, so only it is the "publish call" (sent once; a lost answer
is ``UNKNOWN_OUTCOME``); containers nobody publishes expire after 24 hours. A carousel is one
container per image (``is_carousel_item=true``) and a ``CAROUSEL`` container listing them. Video
goes out as a reel; its container is polled (``status_code``) until Instagram has fetched and
processed it.

Instagram fetches every file itself from a public URL: the connector takes a ``media_url``
resolver, a function from a :class:`MediaFile` to an address. The built-in
:class:`~somevahti.channels.graph.SignedMediaURLs` makes expiring HMAC-signed addresses that the
web app serves (and nothing else); without one configured, a post with media is refused with a
clear reason before anything is sent.

Every post needs an image or a video (``needs_media``). The account's publishing limit
(``GET /{ig-user-id}/content_publishing_limit``: 50 API posts in a moving 24 hours, a carousel is
one) is read before each post; when it is used up the part is ``RETRY_LATER`` in an hour.

Looking up a part after an unknown outcome: the container of a part sent from this process (or
kept in the ``state`` mapping given) shows ``status_code=PUBLISHED`` once it went out, so the
worker can tell for certain, and a retry publishes that same container rather than a new one
(Instagram publishes a container only once); after a restart the connector looks for a post with
the same caption among the account's media of the last ``lookback`` hours (two identical captions
in that window cannot be told apart).

Comments on the account's media: fetched (``GET /{media-id}/comments`` with their replies),
answered (``POST /{comment-id}/replies``), hidden (``POST /{comment-id}`` with ``hide=true``) or
deleted (``DELETE /{comment-id}``).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from datetime import UTC, datetime, timedelta

from somevahti.channels import graph
from somevahti.channels.base import Capabilities, Connector, IncomingItem, register
from somevahti.channels.metrics import AccountMetrics, as_int
from somevahti.channels.oauth import register_provider, renew
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
from somevahti.channels.webapi import failure
from somevahti.i18n import _

PROVIDER = register_provider(graph.facebook_provider("instagram", graph.INSTAGRAM_SCOPES, "Instagram"))
_CONTAINERS: dict[str, str] = {}
COMMENT_FIELDS = (
    "id,text,username,timestamp,from{id,username},replies{id,text,username,timestamp,from{id,username}}"
)


@register
class InstagramConnector(Connector, PublishingConnector):
    name = "instagram"
    capabilities = Capabilities(
        can_fetch_comments=True,
        can_reply=True,
        can_hide=True,
        can_delete=True,
        can_retract=True,
        metrics=True,
    )
    publish_capabilities = PublishCapabilities(
        can_delete_post=False, languages_in_one=True, needs_media=True, oauth=True
    )
    limits = Limits(
        max_text=2200,
        max_images=10,
        max_image_bytes=8 * 1024 * 1024,
        image_types=("image/jpeg",),
        max_alt_text=1000,
        video=True,
        max_video_bytes=300 * 1024 * 1024,
        video_types=("video/mp4", "video/quicktime"),
    )
    credential_fields = (
        CredentialField("ig_user_id", "Instagram account id"),
        CredentialField("access_token", "Page access token", secret=True),
    )

    def __init__(
        self,
        ig_user_id: str,
        access_token: str,
        *,
        media_url: graph.MediaURL = graph.no_media_url,
        posts=(),
        statuses=(),
        since_id: str | None = None,
        lookback_hours: float = 48,
        poll_seconds: float = 3.0,
        max_polls: int = 40,
        transport=None,
        credentials: dict | None = None,
        now=lambda: datetime.now(UTC),
        sleep=time.sleep,
        state: MutableMapping[str, str] | None = None,
        **options,
    ):
        self.ig_user_id = str(ig_user_id)
        self.media_url = media_url
        # ``statuses``/``since_id``: the names the inbox passes for every connector
        # (our posts; the newest seen)
        self.posts = list(dict.fromkeys(str(p) for p in (*posts, *statuses)))
        self.since_id = since_id
        self.lookback = timedelta(hours=lookback_hours)
        self.poll_seconds, self.max_polls = poll_seconds, max_polls
        self.now, self.sleep, self.transport = now, sleep, transport
        self.credentials = dict(credentials or {"ig_user_id": ig_user_id, "access_token": access_token})
        self.api = graph.client(
            "Instagram",
            access_token,
            transport=transport,
            app_secret=graph.app_secret("instagram", self.credentials),
            now=now,
            sleep=sleep,
            **options,
        )
        # part key -> container id, for find_published: shared by the connectors of this process (a
        # worker builds a new one per publication); give ``state`` a persistent mapping to outlive it
        self.containers: MutableMapping[str, str] = _CONTAINERS if state is None else state

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> InstagramConnector:
        return cls(
            credentials["ig_user_id"],
            credentials["access_token"],
            transport=transport,
            credentials=credentials,
            **options,
        )

    # -- publishing -------------------------------------------------------------------------------

    def publishing_quota(self) -> tuple[int, int]:
        """(used, total) API posts in the moving 24-hour window."""
        body = self.api.read(
            "GET", f"/{self.ig_user_id}/content_publishing_limit", params={"fields": "quota_usage,config"}
        ).json()
        entry = (body.get("data") or [{}])[0]
        return int(entry.get("quota_usage") or 0), int((entry.get("config") or {}).get("quota_total") or 50)

    def _container(self, data: dict) -> str:
        return str(self.api.upload("POST", f"/{self.ig_user_id}/media", data=data).json()["id"])

    def _media_fields(self, media: MediaFile, *, carousel_item: bool = False) -> dict:
        url = self.media_url(media)
        if media.type == "video":
            data = {"media_type": "VIDEO" if carousel_item else "REELS", "video_url": url}
        else:
            data = {"image_url": url}
            if media.alt:
                data["alt_text"] = media.alt
        if carousel_item:
            data["is_carousel_item"] = "true"
        return data

    def _wait_until_ready(self, container: str) -> None:
        for _attempt in range(self.max_polls):
            body = self.api.read("GET", f"/{container}", params={"fields": "status_code,status"}).json()
            code = body.get("status_code")
            if code in ("FINISHED", "PUBLISHED"):
                return
            if code == "ERROR":
                raise failure(ErrorKind.FIX_CONTENT, "Instagram", body.get("status") or code, raw=body)
            if code == "EXPIRED":
                raise failure(ErrorKind.PLATFORM_DOWN, "Instagram", code, raw=body)
            self.sleep(self.poll_seconds)
        raise failure(ErrorKind.PLATFORM_DOWN, "Instagram", _("the media was still being processed"))

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        if not part.media:
            raise failure(
                ErrorKind.FIX_CONTENT, "Instagram", _("every Instagram post needs an image or a video")
            )
        media = [self._media_fields(m, carousel_item=len(part.media) > 1) for m in part.media]  # URLs first
        used, total = self.publishing_quota()
        if used >= total:
            raise failure(
                ErrorKind.RETRY_LATER,
                "Instagram",
                _("the account has published %(used)d of %(total)d posts allowed in 24 hours")
                % {"used": used, "total": total},
                retry_after=3600.0,
            )
        container = self._earlier_container(part)
        if container is None:
            if len(media) == 1:
                container = self._container({**media[0], "caption": part.text})
            else:
                children = [self._container(m) for m in media]
                for child in children:
                    self._wait_until_ready(child)
                container = self._container(
                    {"media_type": "CAROUSEL", "children": ",".join(children), "caption": part.text}
                )
            self._wait_until_ready(container)
            self.containers[part.key] = container  # before the publish call: a lost answer can be asked
        body = self.api.write(
            "POST", f"/{self.ig_user_id}/media_publish", data={"creation_id": container}
        ).json()
        media_id = str(body["id"])
        return Published(media_id, self._permalink(media_id), body)

    def _earlier_container(self, part: Part) -> str | None:
        """The container an earlier attempt sent to ``media_publish``, when it can be published now.
        Publishing that same container again is safe: Instagram publishes a container once."""
        container = self.containers.get(part.key)
        if not container:
            return None
        status = (
            self.api.read("GET", f"/{container}", params={"fields": "status_code"}).json().get("status_code")
        )
        if status == "FINISHED":
            return container
        if status == "PUBLISHED":  # the earlier attempt went out after all
            raise failure(ErrorKind.UNKNOWN_OUTCOME, "Instagram", _("the post went out but cannot be found"))
        return None  # expired or failed: a new container

    def _permalink(self, media_id: str) -> str:
        try:
            return (
                self.api.read("GET", f"/{media_id}", params={"fields": "permalink"})
                .json()
                .get("permalink", "")
            )
        except PublishError:
            return ""  # published all the same; the address can be looked up later

    def find_published(self, part: Part) -> Published | None:
        container = self.containers.get(part.key)
        if container:
            body = self.api.read("GET", f"/{container}", params={"fields": "status_code,id"}).json()
            if body.get("status_code") != "PUBLISHED":
                return None  # not out; publish_part publishes this same container if it still can
        since = self.now() - self.lookback
        body = self.api.read(
            "GET",
            f"/{self.ig_user_id}/media",
            params={"fields": "id,caption,timestamp,permalink", "limit": 25},
        ).json()
        for post in body.get("data", []):  # newest first
            posted = graph.when(post.get("timestamp"))
            if posted and posted < since:
                break
            if graph.same_text(post.get("caption", ""), part.text):
                return Published(str(post["id"]), post.get("permalink", ""), post)
        if container:  # PUBLISHED, but not among the recent media (deleted since?)
            raise failure(ErrorKind.UNKNOWN_OUTCOME, "Instagram", _("the post went out but cannot be found"))
        return None

    def refresh_credentials(self) -> dict | None:
        return renew("instagram", self.credentials, transport=self.transport, now=self.now())

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers from the account (``followers_count``); reach and engagement from its insights
        (``reach`` and ``total_interactions`` as the period's ``total_value``)."""
        account = self.api.read("GET", f"/{self.ig_user_id}", params={"fields": "followers_count"}).json()
        figures = graph.insights(
            self.api,
            f"/{self.ig_user_id}/insights",
            {
                "metric": "reach,total_interactions",
                "period": "day",
                "metric_type": "total_value",
                "since": int(since.timestamp()),
                "until": int(until.timestamp()),
            },
        )
        return AccountMetrics(
            followers=as_int(account.get("followers_count")),
            reach=figures.get("reach"),
            engagement=figures.get("total_interactions"),
            raw={"account": account, "insights": figures},
        )

    def check_connection(self) -> str:
        body = self.api.read("GET", f"/{self.ig_user_id}", params={"fields": "id,username"}).json()
        return body.get("username") or self.ig_user_id

    # -- comments ---------------------------------------------------------------------------------

    def _item(self, c: dict, kind: str, parent: str) -> IncomingItem:
        return IncomingItem(
            external_id=str(c["id"]),
            text=c.get("text", ""),
            kind=kind,
            occurred=graph.when(c.get("timestamp")),
            author_name=c.get("username", ""),
            author_handle=c.get("username", ""),
            parent_id=parent,
            channel="instagram",
            raw=c,
        )

    def fetch(self) -> list[IncomingItem]:
        me = self.credentials.get("username", "")
        items: dict[str, IncomingItem] = {}
        for media_id in self.posts:
            for c in graph.paged(self.api, f"/{media_id}/comments", {"fields": COMMENT_FIELDS, "limit": 50}):
                if str((c.get("from") or {}).get("id", "")) != self.ig_user_id and c.get("username") != me:
                    items[str(c["id"])] = self._item(c, "comment", media_id)
                for r in (c.get("replies") or {}).get("data", []):
                    if (
                        str((r.get("from") or {}).get("id", "")) != self.ig_user_id
                        and r.get("username") != me
                    ):
                        items[str(r["id"])] = self._item(r, "reply", str(c["id"]))
        return sorted(
            items.values(), key=lambda i: (i.occurred or datetime.min.replace(tzinfo=UTC), i.external_id)
        )

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        return str(self.api.write("POST", f"/{target}/replies", data={"message": text}).json()["id"])

    def hide(self, external_id: str) -> None:
        self.api.write("POST", f"/{external_id}", data={"hide": "true"})

    def delete(self, external_id: str) -> None:
        self.api.write("DELETE", f"/{external_id}")

    def retract(self, external_id: str) -> None:
        self.api.write("DELETE", f"/{external_id}")
