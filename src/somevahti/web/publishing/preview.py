"""How a draft will go out on each target account: the platform's own counting and the language mode.

The limits are the connector's (``channels.publishing.Limits``) where the platform's connector is
registered, else the platform's published limits below; the language mode is the pack's
``publishing.languages`` (one update, thread, separate posts), with the same defaults as the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from somevahti.text import length
from somevahti.web.api.checking import organisation_pack

# max characters, how they are counted, max image bytes (the platforms' documented limits)
LIMITS = {
    "facebook": (63_206, "chars", 10 * 1024 * 1024),
    "instagram": (2_200, "chars", 8 * 1024 * 1024),
    "x": (280, "x-weighted", 5 * 1024 * 1024),
    "bluesky": (300, "graphemes", 1_000_000),
    "mastodon": (500, "mastodon", 16 * 1024 * 1024),
    "linkedin": (3_000, "chars", 10 * 1024 * 1024),
    "youtube": (5_000, "chars", 2 * 1024 * 1024),
}
MODES = {
    "facebook": "one_update",
    "instagram": "one_update",
    "linkedin": "one_update",
    "youtube": "one_update",
    "x": "thread",
    "bluesky": "thread",
    "mastodon": "thread",
}
MODE_LABELS = {
    "one_update": _("all language versions in one update"),
    "thread": _("each language version as its own post in a thread"),
    "separate": _("each language version as a separate post"),
}
COUNTING_LABELS = {
    "chars": _("characters"),
    "x-weighted": _("weighted characters (X)"),
    "graphemes": _("graphemes (Bluesky)"),
    "mastodon": _("characters, links count 23"),
}
UNITS = {
    "chars": length.char_units,
    "x-weighted": length.x_units,
    "graphemes": length.grapheme_units,
    "mastodon": length.mastodon_units,
}


def limits_for(platform: str) -> tuple[int, str, int]:
    from somevahti.channels.base import ChannelError, available, get
    from somevahti.channels.publishing import PublishingConnector

    if platform in available():
        try:
            cls = get(platform)
        except ChannelError:
            cls = None
        if cls is not None and issubclass(cls, PublishingConnector):
            limits = cls.limits
            return limits.max_text, limits.counting, limits.max_image_bytes
    return LIMITS.get(platform, (500, "chars", 5 * 1024 * 1024))


def language_mode(platform: str) -> str:
    pack = organisation_pack()
    settings = getattr(pack, "publishing", None)
    if settings is not None:
        return settings.language_mode(platform)
    return MODES.get(platform, "separate")


@dataclass
class Piece:
    languages: list[str]
    text: str
    count: int
    over: bool


@dataclass
class ChannelPreview:
    account: object
    mode: str
    mode_label: str
    counting_label: str
    limit: int
    pieces: list[Piece] = field(default_factory=list)

    @property
    def over(self) -> bool:
        return any(p.over for p in self.pieces)


def preview(texts: dict[str, str], accounts) -> list[ChannelPreview]:
    texts = {k: v for k, v in texts.items() if v.strip()}
    out = []
    for account in accounts:
        limit, counting, _bytes = limits_for(account.platform)
        units = UNITS.get(counting, length.char_units)
        mode = language_mode(account.platform)
        if mode == "one_update":
            groups = [(list(texts), "\n\n".join(texts.values()))] if texts else []
        else:
            groups = [([lang], text) for lang, text in texts.items()]
        pieces = []
        for langs, text in groups:
            n = length.measure(units(text))
            pieces.append(Piece(langs, text, n, n > limit))
        out.append(
            ChannelPreview(
                account,
                mode,
                str(MODE_LABELS[mode]),
                str(COUNTING_LABELS.get(counting, counting)),
                limit,
                pieces,
            )
        )
    return out
