"""YouTube channels over the YouTube Data API v3 with Google OAuth 2.0 (offline access, refresh tokens).

Publishing a part is a video upload with the resumable protocol: ``POST /upload/youtube/v3/videos
?uploadType=resumable&part=snippet,status`` with the video resource (title, description, language,
``privacyStatus``) opens a session whose address comes back in ``Location``; the file then goes in
chunks (``PUT`` with ``Content-Range: bytes a-b/total``, 308 "Resume Incomplete" after each but the
last, whose answer is the new video). When a chunk is interrupted (a dropped connection, a timeout,
a 5xx) the connector *asks* the session how much arrived (``PUT`` with ``Content-Range: bytes
*/total`` and no body: 308 with ``Range: bytes=0-n``) and goes on from byte n+1; if the answer is the
video, the upload had completed. Only a lost final chunk that cannot be asked about either is
``UNKNOWN_OUTCOME``. The language versions go into the description (the title is the part's title,
else its first line). A captions file (WebVTT/SRT) beside the video is added with
``captions.insert``; a captions failure after the video exists does not fail the part (that could
make the engine upload the video twice): it is in ``Published.raw["captions_error"]``.

YouTube does not refuse duplicate uploads at once; it marks them ``uploadStatus: rejected``,
``rejectionReason: duplicate``. Such an answer is ``FIX_CONTENT`` with the reason. ``find_published``
first asks an upload session this connector opened for the part, then looks for a video with the
same title and description among the channel's latest uploads.

Quota: a video upload costs 1,600 of the default 10,000 daily units; ``quotaExceeded`` waits until
the quota resets at midnight Pacific time. Comments: ``commentThreads.list`` per video in
``posts``; hide is ``comments.setModerationStatus`` with ``heldForReview``, delete with ``rejected``
(both need the ``youtube.force-ssl`` scope).
"""

from __future__ import annotations

import json
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from somevahti.channels.base import Capabilities, Connector, IncomingItem, register
from somevahti.channels.metrics import AccountMetrics, as_int
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
from somevahti.channels.webapi import NOT_SENT, ApiClient, failure, json_or_none
from somevahti.i18n import _

API_URL = "https://www.googleapis.com"
UPLOAD_PATH = "/upload/youtube/v3/videos"
CHUNK = 8 * 1024 * 1024  # a multiple of 256 KiB, as the protocol requires
MAX_RESUMES = 5
PROVIDER = register_provider(
    Provider(
        platform="youtube",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",  # noqa: S106 (an address, not a secret)
        scopes=(
            "https://www.googleapis.com/auth/youtube.upload",
            "https://www.googleapis.com/auth/youtube.force-ssl",
            "https://www.googleapis.com/auth/youtube.readonly",
        ),
        authorize_params=(
            ("access_type", "offline"),
            ("prompt", "consent"),
            ("include_granted_scopes", "true"),
        ),
        label="YouTube",
    )
)
REAUTH_REASONS = {
    "authError",
    "forbidden",
    "insufficientPermissions",
    "youtubeSignupRequired",
    "accountDisabled",
}
WAIT_REASONS = {
    "quotaExceeded",
    "rateLimitExceeded",
    "userRateLimitExceeded",
    "uploadLimitExceeded",
    "dailyLimitExceeded",
}
PACIFIC = ZoneInfo("America/Los_Angeles")
_SESSIONS: dict[str, str] = {}


def _until_pacific_midnight(now: datetime) -> float:
    local = now.astimezone(PACIFIC)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - local).total_seconds()


def classify(response: httpx.Response, client: ApiClient) -> PublishError | None:
    status = response.status_code
    if status < 400:
        return None
    body = json_or_none(response)
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    details = [e for e in error.get("errors", []) if isinstance(e, dict)]
    reasons = {e.get("reason") for e in details}
    # the first detail's message is plain text; the top-level one may carry HTML links
    reason = (
        (details[0].get("message") if details else "")
        or error.get("message")
        or ", ".join(sorted(r for r in reasons if r))
        or f"HTTP {status}"
    )
    if reasons & WAIT_REASONS or status == 429:
        wait = (
            _until_pacific_midnight(client.now())
            if reasons & {"quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"}
            else 60.0
        )
        return failure(ErrorKind.RETRY_LATER, "YouTube", reason, status=status, retry_after=wait, raw=body)
    if status == 401 or reasons & REAUTH_REASONS:
        return failure(ErrorKind.REAUTHORIZE, "YouTube", reason, status=status, raw=body)
    if status >= 500:
        return failure(ErrorKind.PLATFORM_DOWN, "YouTube", reason, status=status, raw=body)
    return failure(ErrorKind.FIX_CONTENT, "YouTube", reason, status=status, raw=body)


def title_of(part: Part) -> str:
    title = (part.title or part.text.strip().split("\n", 1)[0]).replace("<", "‹").replace(">", "›")
    return title if len(title) <= 100 else title[:99].rstrip() + "…"


@register
class YouTubeConnector(Connector, PublishingConnector):
    name = "youtube"
    capabilities = Capabilities(
        can_fetch_comments=True,
        can_reply=True,
        can_hide=True,
        can_delete=True,
        can_retract=True,
        metrics=True,
    )
    publish_capabilities = PublishCapabilities(
        can_edit=True, can_delete_post=True, languages_in_one=True, needs_media=True, oauth=True
    )
    limits = Limits(
        max_text=5000,
        max_images=0,
        video=True,
        max_video_bytes=256 * 1024**3,
        video_types=("video/mp4", "video/quicktime", "video/webm", "video/x-msvideo", "video/mpeg"),
    )
    credential_fields = (
        CredentialField("access_token", "Access token", secret=True),
        CredentialField("refresh_token", "Refresh token", secret=True, required=False),
        CredentialField("channel_id", "Channel id", required=False),
    )

    def __init__(
        self,
        access_token: str,
        *,
        credentials: dict | None = None,
        posts=(),
        statuses=(),
        since_id: str | None = None,
        privacy: str = "public",
        category: str = "22",
        chunk_size: int = CHUNK,
        transport=None,
        now=lambda: datetime.now(UTC),
        sleep=time.sleep,
        state: MutableMapping[str, str] | None = None,
        **options,
    ):
        if chunk_size % (256 * 1024):
            raise ValueError("chunk_size must be a multiple of 256 KiB")
        self.credentials = dict(credentials or {"access_token": access_token})
        # ``statuses``/``since_id``: the names the inbox passes for every connector
        # (our posts; the newest seen)
        self.posts = list(dict.fromkeys(str(p) for p in (*posts, *statuses)))
        self.since_id = since_id
        self.privacy, self.category, self.chunk_size = privacy, category, chunk_size
        self.now, self.sleep, self.transport = now, sleep, transport
        self.api = ApiClient(
            "YouTube",
            API_URL,
            classify=classify,
            transport=transport,
            now=now,
            sleep=sleep,
            headers={"Authorization": f"Bearer {access_token}"},
            **options,
        )
        # part key -> "size address" of its upload session (valid for a week), shared by the
        # connectors of this process; give ``state`` a persistent mapping to outlive a restart
        self.sessions: MutableMapping[str, str] = _SESSIONS if state is None else state
        self.resumes: list[int] = []  # byte offsets the uploads went on from after an interruption

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> YouTubeConnector:
        return cls(credentials["access_token"], credentials=credentials, transport=transport, **options)

    # -- the resumable upload ---------------------------------------------------------------------

    def _resource(self, part: Part) -> dict:
        snippet = {"title": title_of(part), "description": part.text, "categoryId": self.category}
        if part.languages:
            snippet["defaultLanguage"] = snippet["defaultAudioLanguage"] = part.languages[0]
        return {
            "snippet": snippet,
            "status": {"privacyStatus": self.privacy, "selfDeclaredMadeForKids": False},
        }

    def _open_session(self, part: Part, video: MediaFile, size: int) -> str:
        response = self.api.upload(
            "POST",
            UPLOAD_PATH,
            expect_json=False,
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=self._resource(part),
            headers={
                "X-Upload-Content-Length": str(size),
                "X-Upload-Content-Type": video.mime or "application/octet-stream",
            },
        )
        location = response.headers.get("Location", "")
        host = httpx.URL(location).host if location else ""
        if not location.startswith("https://") or not (
            host == "googleapis.com" or host.endswith(".googleapis.com")
        ):
            raise failure(ErrorKind.PLATFORM_DOWN, "YouTube", _("the upload session has no valid address"))
        return location

    def _put(self, url: str, **kwargs) -> httpx.Response:
        return self.api.client.request("PUT", url, **kwargs)

    def _done(self, response: httpx.Response) -> dict:
        """The video resource of a finished upload (its status checked)."""
        video = self.api.check(response).json()
        status = video.get("status") or {}
        if status.get("uploadStatus") in ("rejected", "failed"):
            reason = status.get("rejectionReason") or status.get("failureReason") or status["uploadStatus"]
            raise failure(ErrorKind.FIX_CONTENT, "YouTube", reason, status=response.status_code, raw=video)
        return video

    def upload_status(self, url: str, size: int) -> int | dict | None:
        """Ask a session how far it got: the next byte to send, the video when it is complete, or
        None when the session no longer exists (404/410: expired, never completed)."""
        response = self._put(url, headers={"Content-Range": f"bytes */{size}", "Content-Length": "0"})
        if response.status_code in (404, 410):
            return None
        if response.status_code == 308:
            received = response.headers.get("Range", "")
            return int(received.rsplit("-", 1)[1]) + 1 if received else 0
        if response.status_code in (200, 201):
            return self._done(response)
        self.api.check(response)
        raise failure(ErrorKind.PLATFORM_DOWN, "YouTube", f"HTTP {response.status_code}")

    def _upload(self, url: str, video: MediaFile, size: int, offset: int = 0) -> dict:
        resumes = 0
        with video.path.open("rb") as f:
            while True:
                f.seek(offset)
                chunk = f.read(self.chunk_size)
                end = offset + len(chunk) - 1
                final = end + 1 >= size
                interrupted = ""
                try:
                    response = self._put(
                        url,
                        content=chunk,
                        headers={
                            "Content-Length": str(len(chunk)),
                            "Content-Range": f"bytes {offset}-{end}/{size}",
                            "Content-Type": video.mime or "application/octet-stream",
                        },
                    )
                except NOT_SENT as e:
                    interrupted = str(e) or type(e).__name__
                except httpx.TransportError as e:
                    interrupted = str(e) or type(e).__name__
                else:
                    if response.status_code in (200, 201):
                        return self._done(response)
                    if response.status_code == 308:
                        received = response.headers.get("Range", "")
                        offset = int(received.rsplit("-", 1)[1]) + 1 if received else 0
                        continue
                    if response.status_code < 500:
                        self.api.check(response)  # 4xx: the platform's reason
                    interrupted = f"HTTP {response.status_code}"
                # Interrupted: ask the session what it has, then go on from there.
                resumes += 1
                if resumes > MAX_RESUMES:
                    kind = ErrorKind.UNKNOWN_OUTCOME if final else ErrorKind.PLATFORM_DOWN
                    raise failure(kind, "YouTube", interrupted)
                self.sleep(min(60.0, 2.0**resumes))
                try:
                    state = self.upload_status(url, size)
                except PublishError as e:
                    if e.kind is not ErrorKind.PLATFORM_DOWN:
                        raise
                    if final:
                        raise failure(ErrorKind.UNKNOWN_OUTCOME, "YouTube", interrupted) from None
                    raise
                except httpx.TransportError:
                    kind = ErrorKind.UNKNOWN_OUTCOME if final else ErrorKind.PLATFORM_DOWN
                    raise failure(kind, "YouTube", interrupted) from None
                if isinstance(state, dict):
                    return state
                if state is None:
                    raise failure(ErrorKind.PLATFORM_DOWN, "YouTube", _("the upload session expired"))
                offset = state
                self.resumes.append(offset)

    def _captions(self, video_id: str, media: MediaFile, language: str) -> dict:
        metadata = {"snippet": {"videoId": video_id, "language": language, "name": "", "isDraft": False}}
        boundary = "somevahti-captions-boundary"
        body = (
            f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{json.dumps(metadata)}\r\n"
            f"--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body += media.captions_path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        return self.api.upload(
            "POST",
            "/upload/youtube/v3/captions",
            params={"uploadType": "multipart", "part": "snippet"},
            content=body,
            headers={"Content-Type": f"multipart/related; boundary={boundary}"},
        ).json()

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        videos = [m for m in part.media if m.type == "video"]
        if not videos:
            raise failure(ErrorKind.FIX_CONTENT, "YouTube", _("a YouTube post is a video: none was given"))
        if len(part.text.encode("utf-8")) > 5000:
            raise failure(ErrorKind.FIX_CONTENT, "YouTube", _("the description is over 5,000 bytes"))
        video = videos[0]
        size = video.path.stat().st_size
        resource = None
        known = self._session(part.key)
        if known and known[1] == size:  # an earlier attempt's session: finish it instead of a second video
            url = known[0]
            try:
                state = self.upload_status(url, size)
            except httpx.TransportError as e:
                raise failure(ErrorKind.UNKNOWN_OUTCOME, "YouTube", str(e) or type(e).__name__) from None
            if isinstance(state, dict):
                resource = state
            elif isinstance(state, int):
                self.resumes.append(state)
                resource = self._upload(url, video, size, offset=state)
        if resource is None:
            url = self._open_session(part, video, size)
            self.sessions[part.key] = f"{size} {url}"
            resource = self._upload(url, video, size)
        video_id = str(resource["id"])
        raw = {"video": resource}
        if video.captions_path:
            try:
                raw["captions"] = self._captions(video_id, video, (part.languages or ("fi",))[0])
            except PublishError as e:  # the video is out: never fail the part now
                raw["captions_error"] = {"kind": str(e.kind), "reason": e.platform_reason}
        return Published(video_id, f"https://www.youtube.com/watch?v={video_id}", raw)

    def _session(self, key: str) -> tuple[str, int] | None:
        value = self.sessions.get(key)
        if not value:
            return None
        size, _sep, url = value.partition(" ")
        return url, int(size)

    def find_published(self, part: Part) -> Published | None:
        session = self._session(part.key)
        if session:
            try:
                state = self.upload_status(*session)
            except PublishError as e:
                if e.kind is ErrorKind.FIX_CONTENT:
                    raise
                state = None  # the session is gone: look among the uploads
            except httpx.TransportError:
                state = None
            if isinstance(state, dict):
                return Published(
                    str(state["id"]), f"https://www.youtube.com/watch?v={state['id']}", {"video": state}
                )
            if isinstance(state, int):
                return None  # incomplete: the video does not exist
        channel = self.api.read(
            "GET", "/youtube/v3/channels", params={"part": "contentDetails", "mine": "true"}
        ).json()
        items = channel.get("items") or []
        if not items:
            return None
        uploads = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        body = self.api.read(
            "GET",
            "/youtube/v3/playlistItems",
            params={"part": "snippet", "playlistId": uploads, "maxResults": 25},
        ).json()
        title = title_of(part)
        for item in body.get("items", []):
            snippet = item.get("snippet") or {}
            if snippet.get("title") == title and " ".join(snippet.get("description", "").split()) == " ".join(
                part.text.split()
            ):
                video_id = (snippet.get("resourceId") or {}).get("videoId")
                return Published(video_id, f"https://www.youtube.com/watch?v={video_id}", item)
        return None

    def edit_part(self, published: Published, part: Part) -> Published:
        snippet = self._resource(part)["snippet"]
        body = self.api.write(
            "PUT",
            "/youtube/v3/videos",
            params={"part": "snippet"},
            json={"id": published.external_id, "snippet": snippet},
        ).json()
        return Published(published.external_id, published.url, body)

    def delete_part(self, published: Published) -> None:
        self.api.write(
            "DELETE", "/youtube/v3/videos", params={"id": published.external_id}, expect_json=False
        )

    def refresh_credentials(self) -> dict | None:
        return renew("youtube", self.credentials, transport=self.transport, now=self.now())

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Subscribers from ``channels?part=statistics&mine=true`` (None when the channel hides the
        count). Reach and engagement are in the separate YouTube Analytics API, not read: None."""
        body = self.api.read(
            "GET", "/youtube/v3/channels", params={"part": "statistics", "mine": "true"}
        ).json()
        items = body.get("items") or []
        if not items:
            raise failure(ErrorKind.REAUTHORIZE, "YouTube", _("the account has no YouTube channel"))
        stats = items[0].get("statistics") or {}
        followers = None if stats.get("hiddenSubscriberCount") else as_int(stats.get("subscriberCount"))
        return AccountMetrics(followers=followers, raw=stats)

    def check_connection(self) -> str:
        body = self.api.read("GET", "/youtube/v3/channels", params={"part": "snippet", "mine": "true"}).json()
        items = body.get("items") or []
        if not items:
            raise failure(ErrorKind.REAUTHORIZE, "YouTube", _("the account has no YouTube channel"))
        snippet = items[0].get("snippet") or {}
        return snippet.get("customUrl") or snippet.get("title") or items[0]["id"]

    # -- comments ---------------------------------------------------------------------------------

    def _item(self, c: dict, kind: str, parent: str, video: str) -> IncomingItem:
        s = c.get("snippet") or {}
        occurred = s.get("publishedAt")
        return IncomingItem(
            external_id=str(c["id"]),
            text=s.get("textOriginal") or s.get("textDisplay", ""),
            kind=kind,
            occurred=datetime.fromisoformat(occurred.replace("Z", "+00:00")) if occurred else None,
            author_name=s.get("authorDisplayName", ""),
            author_handle=(s.get("authorChannelId") or {}).get("value", ""),
            parent_id=parent,
            url=f"https://www.youtube.com/watch?v={video}&lc={c['id']}",
            channel="youtube",
            raw=c,
        )

    def fetch(self) -> list[IncomingItem]:
        me = self.credentials.get("channel_id", "")
        items = []
        for video in self.posts:
            token = None
            while True:
                params = {
                    "part": "snippet,replies",
                    "videoId": video,
                    "maxResults": 100,
                    "textFormat": "plainText",
                }
                if token:
                    params["pageToken"] = token
                body = self.api.read("GET", "/youtube/v3/commentThreads", params=params).json()
                for thread in body.get("items", []):
                    top = thread["snippet"]["topLevelComment"]
                    if (top["snippet"].get("authorChannelId") or {}).get("value") != me:
                        items.append(self._item(top, "comment", video, video))
                    for r in (thread.get("replies") or {}).get("comments", []):
                        if (r["snippet"].get("authorChannelId") or {}).get("value") != me:
                            items.append(self._item(r, "reply", top["id"], video))
                token = body.get("nextPageToken")
                if not token:
                    break
        return sorted(items, key=lambda i: (i.occurred or datetime.min.replace(tzinfo=UTC), i.external_id))

    def reply(self, item, text: str, language: str | None = None) -> str:
        target = item.external_id if isinstance(item, IncomingItem) else str(item)
        if isinstance(item, IncomingItem) and item.kind == "reply":
            target = item.parent_id  # YouTube threads are one level deep: answer in the thread
        body = self.api.write(
            "POST",
            "/youtube/v3/comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": target, "textOriginal": text}},
        ).json()
        return str(body["id"])

    def _moderate(self, external_id: str, status: str) -> None:
        self.api.write(
            "POST",
            "/youtube/v3/comments/setModerationStatus",
            expect_json=False,
            params={"id": external_id, "moderationStatus": status},
        )

    def hide(self, external_id: str) -> None:
        self._moderate(external_id, "heldForReview")

    def delete(self, external_id: str) -> None:
        self._moderate(external_id, "rejected")

    def retract(self, external_id: str) -> None:
        self.api.write("DELETE", "/youtube/v3/comments", params={"id": external_id}, expect_json=False)
