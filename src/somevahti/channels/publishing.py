"""What a connector must offer to publish: the contract between the publish engine and one platform.

The engine (``somevahti.publishing``) turns a checked post document into a :class:`Publication`:
an ordered list of :class:`Part` (one platform post each: a status, a tweet, a record, a page
update) and sends the parts one at a time through :meth:`PublishingConnector.publish_part`,
persisting each outcome before the next. Parts after the first answer the previous part (a
thread) unless the channel says the versions go out as separate posts.

Never twice: every part carries an idempotency ``key`` (``<publication key>:<index>``) that a
connector passes to the platform where the protocol takes one (a Mastodon ``Idempotency-Key``
header, a deterministic AT Protocol record key) and can look up again through
:meth:`PublishingConnector.find_published` after an unknown outcome (a timeout, a dropped
connection, a killed worker). A connector never retries the publish call itself.

Every failure is a :class:`PublishError` of one :class:`ErrorKind`; the engine decides what
happens next from the kind alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from somevahti.channels.base import ChannelError, NotSupported
from somevahti.i18n import _


class ErrorKind(StrEnum):
    """What to do about a failed publication; each has a message for people in fi/sv/en."""

    RETRY_LATER = "retry_later"  # rate limit, temporary failure: the engine tries again at ``retry_after``
    REAUTHORIZE = "reauthorize"  # token expired or revoked, password changed: a person must reconnect
    FIX_CONTENT = "fix_content"  # the platform refused the content (with its reason): a person must edit
    PLATFORM_DOWN = "platform_down"  # 5xx, HTML instead of JSON, unreachable after the retries
    UNKNOWN_OUTCOME = "unknown_outcome"  # sent, but no answer: the engine must ask before trying again


def N_(message: str) -> str:  # noqa: N802 - marks a msgid translated later, in the reader's language
    return message


# msgids, translated when shown (``advice(kind)``), not at import
ADVICE = {
    ErrorKind.RETRY_LATER: N_("The platform asked us to wait; somevahti tries again by itself."),
    ErrorKind.REAUTHORIZE: N_("The connection to the platform is no longer valid: reconnect the account."),
    ErrorKind.FIX_CONTENT: N_("The platform refused the content: edit the post and send it again."),
    ErrorKind.PLATFORM_DOWN: N_("The platform cannot be reached or is failing; somevahti tries again later."),
    ErrorKind.UNKNOWN_OUTCOME: N_(
        "The platform did not answer; somevahti checks whether the post went out before it tries again."
    ),
}


def advice(kind: ErrorKind | str) -> str:
    """What to do about an error of this kind, in the reader's language (fi/sv/en)."""
    return _(ADVICE[ErrorKind(kind)])


class PublishError(ChannelError):
    """A part was not published (or may have been: ``UNKNOWN_OUTCOME``)."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        platform_reason: str = "",
        retry_after: float | None = None,
        status: int | None = None,
        raw: object = None,
    ):
        super().__init__(message)
        self.kind = ErrorKind(kind)
        self.platform_reason = platform_reason  # the platform's own words, shown to the person
        self.retry_after = retry_after  # seconds, from the platform's rate-limit headers
        self.status = status
        self.raw = raw


@dataclass(frozen=True)
class Limits:
    """What one platform post may hold. ``counting`` names how text length is counted:
    ``chars`` (code points), ``graphemes`` (Bluesky) or ``x-weighted`` (X: URLs 23, CJK 2)."""

    max_text: int
    counting: str = "chars"
    max_images: int = 4
    max_image_bytes: int = 5 * 1024 * 1024
    image_types: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/webp")
    max_alt_text: int = 1500
    video: bool = False
    max_video_bytes: int = 0
    video_types: tuple[str, ...] = ("video/mp4",)


@dataclass(frozen=True)
class PublishCapabilities:
    can_publish: bool = True
    can_edit: bool = False  # edit a published post in place
    can_delete_post: bool = False  # delete our own published post
    threads: bool = False  # a part can answer the previous one (X, Bluesky, Mastodon)
    languages_in_one: bool = False  # the platform's convention is all language versions in one update
    needs_media: bool = False  # Instagram: every post has an image or a video; YouTube: a video
    oauth: bool = False  # connected through an OAuth flow (else a password or token given by hand)


@dataclass
class MediaFile:
    type: str  # image | video
    path: Path
    mime: str
    alt: str = ""  # description in the part's language
    captions_path: Path | None = None  # a WebVTT/SRT file for a video
    size: int = 0


@dataclass
class Part:
    """One platform post: the text as it will stand, in one or several languages."""

    key: str  # idempotency key of this part: <publication key>:<index>
    text: str
    languages: tuple[str, ...] = ()  # e.g. ("fi",) or ("fi", "sv") for one bilingual update
    media: list[MediaFile] = field(default_factory=list)
    link: str | None = None  # a link preview target where the platform takes one separately
    title: str | None = None  # YouTube, LinkedIn articles
    sent_at: datetime | None = (
        None  # when the engine first sent it (set for find_published): older posts are not it
    )


@dataclass
class Published:
    """A part that exists on the platform."""

    external_id: str  # the platform's id (a status id, a tweet id, an at:// URI, a page-post id)
    url: str
    raw: object = None  # the platform's answer, archived as it came
    cid: str = ""  # AT Protocol: the record's content id, needed to reply to it


class PublishingConnector:
    """Mixed into a :class:`~somevahti.channels.base.Connector` that can publish.

    ``publish_part`` sends exactly once; ``reply_to`` is the part it answers (a thread), ``root``
    the thread's first part (AT Protocol needs both). ``find_published`` answers whether a part
    with that key exists already (None: it does not; raise ``PublishError(UNKNOWN_OUTCOME)`` when
    the platform cannot tell either).
    """

    publish_capabilities = PublishCapabilities()
    limits = Limits(max_text=500)

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        raise NotSupported(_("%(channel)s: publishing is not supported") % {"channel": self.name})

    def find_published(self, part: Part) -> Published | None:
        raise NotSupported(_("%(channel)s: cannot look up a published post") % {"channel": self.name})

    def edit_part(self, published: Published, part: Part) -> Published:
        raise NotSupported(
            _("%(channel)s: editing a published post is not supported") % {"channel": self.name}
        )

    def delete_part(self, published: Published) -> None:
        raise NotSupported(
            _("%(channel)s: deleting a published post is not supported") % {"channel": self.name}
        )

    def refresh_credentials(self) -> dict | None:
        """Renew the token ahead of its expiry; return the new credential fields to store (or None)."""
        return None

    def check_connection(self) -> str:
        """Who the connection publishes as (a handle); raise PublishError(REAUTHORIZE) if it cannot."""
        raise NotSupported(_("%(channel)s: cannot test the connection") % {"channel": self.name})


@dataclass(frozen=True)
class CredentialField:
    """One field of a platform's connection (what the connect form and ``channel connect`` ask for).
    Secret fields are stored encrypted (``channels.secrets``) and never shown back."""

    name: str  # key in the credentials mapping, e.g. "server", "identifier", "app_password", "access_token"
    label: str  # an English msgid; the web form and the CLI translate it
    secret: bool = False
    required: bool = True


# A connector that publishes also declares, as class attributes:
#   credential_fields: tuple[CredentialField, ...]
# and builds itself from stored credentials (secrets already decrypted):
#   @classmethod
#   def from_credentials(cls, credentials: dict, *, transport=None, **options) -> "Connector"
# ``transport`` is an httpx transport for recorded exchanges in tests (respx) and is None in use.
# Credentials that expire carry "expires_at" (ISO 8601, UTC); the engine calls
# ``refresh_credentials`` ahead of that time and stores what it returns. A connector whose class says
# ``stores_session = True`` is also asked for its first session when none is stored yet.
