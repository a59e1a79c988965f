"""The connector interface, its capability flags and the registry of connectors (one per platform)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

KINDS = ("comment", "reply", "mention")


class ChannelError(SomevahtiError):
    """The platform refused or could not be reached (after the retries)."""


class NotSupported(ChannelError):
    """The platform (or this connector) cannot do that, e.g. hide a comment on Mastodon."""


@dataclass(frozen=True)
class Capabilities:
    can_fetch_comments: bool = False
    can_reply: bool = False
    can_hide: bool = False
    can_delete: bool = False  # delete someone else's comment on our post
    can_retract: bool = False  # delete our own published answer
    metrics: bool = False  # reads the platform's figures: ``fetch_metrics(since, until)`` (channels.metrics)

    def as_dict(self) -> dict[str, bool]:
        return {
            "can_fetch_comments": self.can_fetch_comments,
            "can_reply": self.can_reply,
            "can_hide": self.can_hide,
            "can_delete": self.can_delete,
            "can_retract": self.can_retract,
        }


@dataclass
class IncomingItem:
    """A comment, reply or mention as it arrived, before anything else happens to it."""

    external_id: str
    text: str
    kind: str = "comment"
    occurred: datetime | None = None
    author_name: str = ""
    author_handle: str = ""
    parent_id: str = ""  # the platform id of the post (or comment) this answers
    post_text: str = ""
    post_author: str = ""  # who published the post: a work e-mail or a name, when the source knows it
    url: str = ""
    language: str | None = None
    channel: str = ""
    raw: object = None  # the platform's own record (JSON), archived beside the normalised one
    extra: dict = field(default_factory=dict)


class Connector:
    """A platform: fetch what came in, answer, hide or delete where the platform allows it.

    Subclasses set ``name`` and ``capabilities`` and implement the methods their flags promise;
    the others raise :class:`NotSupported`.
    """

    name: str = ""
    capabilities = Capabilities()
    api: bool = (
        True  # reaches a platform's API with a server address and a token (the file connector does not)
    )

    def fetch(self) -> list[IncomingItem]:
        raise NotSupported(_("%(channel)s: fetching comments is not supported") % {"channel": self.name})

    def reply(self, item: IncomingItem | str, text: str, language: str | None = None) -> str:
        """Publish an answer to ``item`` (an item or its platform id); return the answer's platform id."""
        raise NotSupported(_("%(channel)s: replying is not supported") % {"channel": self.name})

    def hide(self, external_id: str) -> None:
        raise NotSupported(_("%(channel)s: hiding a comment is not supported") % {"channel": self.name})

    def delete(self, external_id: str) -> None:
        raise NotSupported(_("%(channel)s: deleting a comment is not supported") % {"channel": self.name})

    def retract(self, external_id: str) -> None:
        raise NotSupported(_("%(channel)s: deleting an answer is not supported") % {"channel": self.name})


# What a person can do by hand on the platform's own site, for accounts without an API connection
# (the inbox then records what was done): Facebook pages and Instagram professional accounts hide
# and delete comments on their posts; YouTube channels and LinkedIn pages remove them; X and
# Bluesky hide replies but cannot delete others'; Mastodon has neither (report to the server).
BY_HAND: dict[str, Capabilities] = {
    "facebook": Capabilities(can_reply=True, can_hide=True, can_delete=True),
    "instagram": Capabilities(can_reply=True, can_hide=True, can_delete=True),
    "youtube": Capabilities(can_reply=True, can_delete=True),
    "x": Capabilities(can_reply=True, can_hide=True),
    "bluesky": Capabilities(can_reply=True, can_hide=True),
    "linkedin": Capabilities(can_reply=True, can_delete=True),
    "mastodon": Capabilities(can_reply=True),
}

_REGISTRY: dict[str, type[Connector]] = {}


def register(cls: type[Connector]) -> type[Connector]:
    if not cls.name:
        raise ValueError("a connector needs a name")
    _REGISTRY[cls.name] = cls
    return cls


def _load() -> None:
    """Every ``somevahti.connectors`` entry point, the built-ins included (see ``somevahti.plugins``)."""
    from somevahti import plugins

    plugins.load("somevahti.connectors", register)


def available() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def get(name: str) -> type[Connector]:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ChannelError(
            _("unknown channel connector %(name)r (available: %(names)s)")
            % {"name": name, "names": ", ".join(sorted(_REGISTRY))}
        ) from None
