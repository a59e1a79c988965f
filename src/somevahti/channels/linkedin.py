"""LinkedIn organisation pages over the versioned Posts and Images APIs (``/rest``, with the
``LinkedIn-Version`` header pinned in ``LINKEDIN_VERSION`` and ``X-Restli-Protocol-Version: 2.0.0``).

Publishing: each image is registered (``POST /rest/images?action=initializeUpload`` with the
organisation as owner), its bytes PUT to the ``uploadUrl`` that answers, and its ``urn:li:image``
used in ``POST /rest/posts`` (``author: urn:li:organization:…``, ``commentary``, one image as
``content.media``, several as ``content.multiImage``, a link as ``content.article``). The post's
URN comes back in the ``x-restli-id`` header. The commentary is in LinkedIn's "little text"
format: its reserved characters are escaped, and ``#word`` becomes a hashtag template.
Edits are a ``PARTIAL_UPDATE`` of the commentary; ``DELETE /rest/posts/{urn}`` deletes.

LinkedIn takes no idempotency key; ``find_published`` reads the organisation's latest posts
(``q=author``, needs ``r_organization_social``) and compares the commentary. LinkedIn refuses
a post that repeats a recent one (422 "Content is a duplicate of urn:li:share:…"): ``FIX_CONTENT``,
with LinkedIn's words (they name the earlier post).

Tokens: 3-legged OAuth 2.0 without PKCE (LinkedIn offers PKCE to native apps only); access tokens
last 60 days, and a refresh token (a year) is granted only to apps LinkedIn has approved for it —
without one, ``refresh_credentials`` says REAUTHORIZE 30 minutes before the end, and the
registry's expiry tracking should warn weeks earlier. Daily limits reset at midnight UTC: a 429
without ``Retry-After`` waits until then. Comments are not handled here (the Community Management
API needs its own approval); they are moderated by hand on LinkedIn.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx

from somevahti.channels.base import Capabilities, Connector, register
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
from somevahti.channels.webapi import ApiClient, failure, json_or_none
from somevahti.i18n import _

LINKEDIN_VERSION = "202605"  # versions are supported for a year: move it before May 2027
API_URL = "https://api.linkedin.com/rest"
PROVIDER = register_provider(
    Provider(
        platform="linkedin",
        authorize_url="https://www.linkedin.com/oauth/v2/authorization",
        token_url="https://www.linkedin.com/oauth/v2/accessToken",  # noqa: S106 (an address, not a secret)
        scopes=("r_organization_social", "w_organization_social", "rw_organization_admin"),
        pkce=False,
        label="LinkedIn",
    )
)
REAUTH_CODES = {"EXPIRED_ACCESS_TOKEN", "REVOKED_ACCESS_TOKEN", "INVALID_ACCESS_TOKEN", "ACCESS_DENIED"}
RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")


def little_text(text: str) -> str:
    """Plain text as LinkedIn's little text: reserved characters escaped, hashtags as templates."""
    escaped = RESERVED.sub(r"\\\1", text)
    out, pos = [], 0
    for m in HASHTAG.finditer(escaped):
        out.append(escaped[pos : m.start()].replace("#", "\\#"))
        out.append("{hashtag|\\#|" + m.group(1) + "}")
        pos = m.end()
    out.append(escaped[pos:].replace("#", "\\#"))
    return "".join(out)


def plain(text: str) -> str:
    """Little text back to plain text (for comparing what LinkedIn stored with what was sent)."""
    text = re.sub(r"\{hashtag\|\\?#\|([^}]*)\}", r"#\1", text or "")
    return re.sub(r"\\(.)", r"\1", text)


def _until_midnight_utc(now: datetime) -> float:
    tomorrow = (now.astimezone(UTC) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()


def classify(response: httpx.Response, client: ApiClient) -> PublishError | None:
    status = response.status_code
    if status < 400:
        return None
    body = json_or_none(response)
    if status == 429:
        after = response.headers.get("Retry-After")
        wait = float(after) if after and after.isdigit() else _until_midnight_utc(client.now())
        return failure(
            ErrorKind.RETRY_LATER,
            "LinkedIn",
            (body or {}).get("message", "HTTP 429") if isinstance(body, dict) else "HTTP 429",
            status=status,
            retry_after=wait,
            raw=body,
        )
    if not isinstance(body, dict):
        return None
    reason = body.get("message") or f"HTTP {status}"
    if status == 401 or body.get("code") in REAUTH_CODES or status == 403:
        return failure(ErrorKind.REAUTHORIZE, "LinkedIn", reason, status=status, raw=body)
    if status >= 500:
        return failure(ErrorKind.PLATFORM_DOWN, "LinkedIn", reason, status=status, raw=body)
    return failure(ErrorKind.FIX_CONTENT, "LinkedIn", reason, status=status, raw=body)


@register
class LinkedInConnector(Connector, PublishingConnector):
    name = "linkedin"
    capabilities = Capabilities(metrics=True)
    publish_capabilities = PublishCapabilities(
        can_edit=True, can_delete_post=True, languages_in_one=True, oauth=True
    )
    limits = Limits(
        max_text=3000,
        max_images=20,
        max_image_bytes=10 * 1024 * 1024,
        image_types=("image/jpeg", "image/png", "image/gif"),
        max_alt_text=4086,
    )
    credential_fields = (
        CredentialField("organization_id", "Organisation id"),
        CredentialField("access_token", "Access token", secret=True),
        CredentialField("refresh_token", "Refresh token", secret=True, required=False),
    )

    def __init__(
        self,
        organization_id: str,
        access_token: str,
        *,
        credentials: dict | None = None,
        transport=None,
        now=lambda: datetime.now(UTC),
        statuses=(),
        since_id: str | None = None,
        **options,
    ):
        # ``statuses``/``since_id`` are what the inbox passes every connector; comments are not fetched here
        self.organization = f"urn:li:organization:{str(organization_id).rsplit(':', 1)[-1]}"
        self.token = access_token
        self.credentials = dict(
            credentials or {"organization_id": organization_id, "access_token": access_token}
        )
        self.now, self.transport = now, transport
        self.api = ApiClient(
            "LinkedIn",
            API_URL,
            classify=classify,
            transport=transport,
            now=now,
            headers={
                "Authorization": f"Bearer {access_token}",
                "LinkedIn-Version": LINKEDIN_VERSION,
                "X-Restli-Protocol-Version": "2.0.0",
            },
            **options,
        )

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> LinkedInConnector:
        return cls(
            credentials["organization_id"],
            credentials["access_token"],
            credentials=credentials,
            transport=transport,
            **options,
        )

    def _image(self, media: MediaFile) -> dict:
        body = self.api.upload(
            "POST",
            "/images",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.organization}},
        ).json()["value"]
        # The upload address is LinkedIn's own (www.linkedin.com/dms-uploads/…), outside /rest; the
        # token goes with it, so it must be LinkedIn's.
        host = httpx.URL(body["uploadUrl"]).host
        if body["uploadUrl"][:8] != "https://" or not (
            host == "linkedin.com" or host.endswith(".linkedin.com")
        ):
            raise failure(
                ErrorKind.PLATFORM_DOWN,
                "LinkedIn",
                _("an upload address outside LinkedIn: %(host)s") % {"host": host},
            )
        self.api.upload(
            "PUT",
            body["uploadUrl"],
            expect_json=False,
            content=media.path.read_bytes(),
            headers={"Content-Type": media.mime or "application/octet-stream"},
        )
        image = {"id": body["image"]}
        if media.alt:
            image["altText"] = media.alt
        return image

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        post: dict = {
            "author": self.organization,
            "commentary": little_text(part.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [self._image(m) for m in part.media if m.type == "image"]
        if len(images) == 1:
            post["content"] = {"media": images[0]}
        elif images:
            post["content"] = {"multiImage": {"images": images}}
        elif part.link:
            post["content"] = {"article": {"source": part.link, "title": part.title or part.link}}
        response = self.api.write("POST", "/posts", json=post, expect_json=False)
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
        if not urn:
            raise failure(
                ErrorKind.UNKNOWN_OUTCOME,
                "LinkedIn",
                _("the answer did not name the new post"),
                status=response.status_code,
            )
        return Published(
            urn,
            f"https://www.linkedin.com/feed/update/{urn}/",
            {"id": urn, "status": response.status_code, "request": post},
        )

    def find_published(self, part: Part) -> Published | None:
        body = self.api.read(
            "GET",
            "/posts",
            params={"author": self.organization, "q": "author", "count": 20, "sortBy": "LAST_MODIFIED"},
            headers={"X-RestLi-Method": "FINDER"},
        ).json()
        wanted = " ".join(part.text.split())
        for post in body.get("elements", []):
            if " ".join(plain(post.get("commentary", "")).split()) == wanted:
                return Published(post["id"], f"https://www.linkedin.com/feed/update/{post['id']}/", post)
        return None

    def edit_part(self, published: Published, part: Part) -> Published:
        self.api.write(
            "POST",
            f"/posts/{quote(published.external_id, safe='')}",
            expect_json=False,
            json={"patch": {"$set": {"commentary": little_text(part.text)}}},
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
        )
        return Published(published.external_id, published.url, published.raw)

    def delete_part(self, published: Published) -> None:
        self.api.write(
            "DELETE",
            f"/posts/{quote(published.external_id, safe='')}",
            expect_json=False,
            headers={"X-RestLi-Method": "DELETE"},
        )

    def refresh_credentials(self) -> dict | None:
        return renew("linkedin", self.credentials, transport=self.transport, now=self.now())

    def fetch_metrics(self, since: datetime, until: datetime) -> AccountMetrics:
        """Followers (``networkSizes`` with ``edgeType=COMPANY_FOLLOWED_BY_MEMBER``), reach and engagement
        from ``organizationalEntityShareStatistics`` by day: ``uniqueImpressionsCount`` summed, and
        likes + comments + shares (needs ``r_organization_social``; the page's admin role)."""
        urn = quote(self.organization, safe="")
        size = self.api.read(
            "GET", f"/networkSizes/{urn}", params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"}
        ).json()
        start, end = int(since.timestamp() * 1000), int(until.timestamp() * 1000)
        # Rest.li 2.0 syntax: the time interval goes in the query as it stands, not percent-encoded
        query = (
            f"q=organizationalEntity&organizationalEntity={urn}&timeIntervals=(timeRange:(start:{start},"
            f"end:{end}),timeGranularityType:DAY)"
        )
        body = self.api.read("GET", f"/organizationalEntityShareStatistics?{query}").json()
        days = [e.get("totalShareStatistics") or {} for e in body.get("elements") or []]
        return AccountMetrics(
            followers=as_int(size.get("firstDegreeSize")),
            reach=total(d.get("uniqueImpressionsCount") for d in days),
            impressions=total(d.get("impressionCount") for d in days),
            engagement=total(d.get(k) for d in days for k in ("likeCount", "commentCount", "shareCount")),
            raw={"size": size, "days": days},
        )

    def check_connection(self) -> str:
        org_id = self.organization.rsplit(":", 1)[1]
        body = self.api.read("GET", f"/organizations/{org_id}").json()
        return body.get("vanityName") or body.get("localizedName") or self.organization
