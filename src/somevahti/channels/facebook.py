"""Facebook Pages over the Graph API (version pinned in ``graph.GRAPH_VERSION``).

Publishing: a text or link post is ``POST /{page-id}/feed`` (``message``, ``link``); one photo is
``POST /{page-id}/photos`` (the file as ``source``, the text as ``caption``); several photos are
uploaded unpublished first (``published=false``) and attached to one feed post
(``attached_media[i]={"media_fbid": …}``); a video is ``POST /{page-id}/videos``. All language
versions go into one update (KIRK-5.3: the Swedish under the Finnish). Edits are ``POST /{post-id}``
with a new ``message``; ``DELETE /{post-id}`` deletes.

Comments: ``GET /{post-id}/comments`` for each post given in ``posts``; a person can answer
(``POST /{comment-id}/comments``), hide (``POST /{comment-id}`` with ``is_hidden=true``: the writer
and their friends still see it) or delete (``DELETE /{comment-id}``) a comment on the page's posts.

Graph takes no idempotency key. ``find_published`` looks for a post with the same text among the
page's own posts of the last ``lookback`` hours (48): it can tell that a post went out, but two
posts of identical text in that window cannot be told apart (the newest is taken).
Facebook refuses a post identical to a very recent one (error 506); that is ``FIX_CONTENT``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from somevahti.channels import graph
from somevahti.channels.base import Capabilities, Connector, IncomingItem, register
from somevahti.channels.metrics import AccountMetrics, as_int
from somevahti.channels.oauth import register_provider, renew
from somevahti.channels.publishing import (
    CredentialField,
    Limits,
    Part,
    PublishCapabilities,
    Published,
    PublishingConnector,
)

PROVIDER = register_provider(graph.facebook_provider("facebook", graph.FACEBOOK_SCOPES, "Facebook"))
COMMENT_FIELDS = "id,message,from{id,name},created_time,parent{id},permalink_url"


@register
class FacebookConnector(Connector, PublishingConnector):
    name = "facebook"
    capabilities = Capabilities(
        can_fetch_comments=True,
        can_reply=True,
        can_hide=True,
        can_delete=True,
        can_retract=True,
        metrics=True,
    )
    publish_capabilities = PublishCapabilities(
        can_edit=True, can_delete_post=True, languages_in_one=True, oauth=True
    )
    limits = Limits(
        max_text=63206,
        max_images=10,
        max_image_bytes=10 * 1024 * 1024,
        max_alt_text=1000,
        video=True,
        max_video_bytes=1024 * 1024 * 1024,
        video_types=("video/mp4", "video/quicktime"),
    )
    credential_fields = (
        CredentialField("page_id", "Page id"),
        CredentialField("access_token", "Page access token", secret=True),
    )

    def __init__(
        self,
        page_id: str,
        access_token: str,
        *,
        posts=(),
        statuses=(),
        since_id: str | None = None,
        lookback_hours: float = 48,
        transport=None,
        credentials: dict | None = None,
        now=lambda: datetime.now(UTC),
        **options,
    ):
        self.page_id = str(page_id)
        # ``statuses``/``since_id``: the names the inbox passes for every connector
        # (our posts; the newest seen)
        self.posts = list(dict.fromkeys(str(p) for p in (*posts, *statuses)))
        self.since_id = since_id
        self.lookback = timedelta(hours=lookback_hours)
        self.now = now
        self.transport = transport
        self.credentials = dict(credentials or {"page_id": page_id, "access_token": access_token})
        self.api = graph.client(
            "Facebook",
            access_token,
            transport=transport,
            app_secret=graph.app_secret("facebook", self.credentials),
            now=now,
            **options,
        )

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> FacebookConnector:
        return cls(
            credentials["page_id"],
            credentials["access_token"],
            transport=transport,
            credentials=credentials,
            **options,
        )

    # -- publishing -------------------------------------------------------------------------------

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        images = [m for m in part.media if m.type == "image"]
        videos = [m for m in part.media if m.type == "video"]
        if videos:
            video = videos[0]
            with video.path.open("rb") as f:
                body = self.api.write(
                    "POST",
                    f"{graph.GRAPH_VIDEO_URL}/{self.page_id}/videos",
                    data={"description": part.text},
                    files={"source": (video.path.name, f, video.mime)},
                ).json()
            return Published(
                str(body["id"]), f"https://www.facebook.com/{self.page_id}/videos/{body['id']}", body
            )
        if len(images) == 1:
            image = images[0]
            data = {"caption": part.text, "published": "true"}
            if image.alt:
                data["alt_text_custom"] = image.alt
            with image.path.open("rb") as f:
                body = self.api.write(
                    "POST",
                    f"/{self.page_id}/photos",
                    data=data,
                    files={"source": (image.path.name, f, image.mime)},
                ).json()
            post_id = str(body.get("post_id") or body["id"])
            return Published(post_id, f"https://www.facebook.com/{post_id}", body)
        data = {"message": part.text}
        if part.link and not images:
            data["link"] = part.link
        for i, image in enumerate(images):
            data[f"attached_media[{i}]"] = json.dumps({"media_fbid": self._unpublished_photo(image)})
        body = self.api.write("POST", f"/{self.page_id}/feed", data=data).json()
        return Published(str(body["id"]), f"https://www.facebook.com/{body['id']}", body)

    def _unpublished_photo(self, image) -> str:
        data = {"published": "false"}
        if image.alt:
            data["alt_text_custom"] = image.alt
        with image.path.open("rb") as f:
            body = self.api.upload(
                "POST",
                f"/{self.page_id}/photos",
                data=data,
                files={"source": (image.path.name, f, image.mime)},
            ).json()
        return str(body["id"])

    def find_published(self, part: Part) -> Published | None:
        since = int((self.now() - self.lookback).timestamp())
        body = self.api.read(
            "GET",
            f"/{self.page_id}/published_posts",
            params={"fields": "id,message,created_time,permalink_url", "since": since, "limit": 50},
        ).json()
        for post in body.get("data", []):  # newest first
            if graph.same_text(post.get("message", ""), part.text):
                return Published(
                    str(post["id"]),
                    post.get("permalink_url") or f"https://www.facebook.com/{post['id']}",
                    post,
                )
        return None

    def edit_part(self, published: Published, part: Part) -> Published:
        body = self.api.write("POST", f"/{published.external_id}", data={"message": part.text}).json()
        return Published(published.external_id, published.url, body)

    def delete_part(self, published: Published) -> None:
        self.api.write("DELETE", f"/{published.external_id}")

    def refresh_credentials(self) -> dict | None:
        # Page tokens made from a long-lived user token do not expire; one that does cannot be
        # refreshed without the person (Graph has no refresh tokens): renew says REAUTHORIZE in time.
        return renew("facebook", self.credentials, transport=self.transport, now=self.now())

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers from the page (``followers_count``, else ``fan_count``), reach and engagement from
        Page Insights (``page_impressions_unique``, ``page_post_engagements``, day values summed)."""
        page = self.api.read("GET", f"/{self.page_id}", params={"fields": "followers_count,fan_count"}).json()
        figures = graph.insights(
            self.api,
            f"/{self.page_id}/insights",
            {
                "metric": "page_impressions_unique,page_post_engagements",
                "period": "day",
                "since": int(since.timestamp()),
                "until": int(until.timestamp()),
            },
        )
        followers = as_int(page.get("followers_count"))
        return AccountMetrics(
            followers=followers if followers is not None else as_int(page.get("fan_count")),
            reach=figures.get("page_impressions_unique"),
            engagement=figures.get("page_post_engagements"),
            raw={"page": page, "insights": figures},
        )

    def check_connection(self) -> str:
        body = self.api.read("GET", f"/{self.page_id}", params={"fields": "id,name,username"}).json()
        return body.get("username") or body.get("name") or self.page_id

    # -- comments ---------------------------------------------------------------------------------

    def fetch(self) -> list[IncomingItem]:
        items: dict[str, IncomingItem] = {}
        for post_id in self.posts:
            params = {"fields": COMMENT_FIELDS, "filter": "stream", "order": "chronological", "limit": 100}
            for c in graph.paged(self.api, f"/{post_id}/comments", params):
                author = c.get("from") or {}
                if str(author.get("id", "")) == self.page_id:
                    continue  # the page's own answers
                parent = (c.get("parent") or {}).get("id")
                items[str(c["id"])] = IncomingItem(
                    external_id=str(c["id"]),
                    text=c.get("message", ""),
                    kind="reply" if parent else "comment",
                    occurred=graph.when(c.get("created_time")),
                    author_name=author.get("name", ""),
                    author_handle=str(author.get("id", "")),
                    parent_id=str(parent or post_id),
                    url=c.get("permalink_url", ""),
                    channel="facebook",
                    raw=c,
                )
        return sorted(
            items.values(), key=lambda i: (i.occurred or datetime.min.replace(tzinfo=UTC), i.external_id)
        )

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        return str(self.api.write("POST", f"/{target}/comments", data={"message": text}).json()["id"])

    def hide(self, external_id: str) -> None:
        self.api.write("POST", f"/{external_id}", data={"is_hidden": "true"})

    def delete(self, external_id: str) -> None:
        self.api.write("DELETE", f"/{external_id}")

    def retract(self, external_id: str) -> None:
        self.api.write("DELETE", f"/{external_id}")
