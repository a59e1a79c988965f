"""Platform limits: each channel's own way of counting length, and Instagram's hashtag cap."""

from __future__ import annotations

from pydantic import Field

from somevahti.document import Channel
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import length
from somevahti.text.urls import find_hashtags

# channel → (limit, unit counter, unit name for the message)
DEFAULTS = {
    Channel.X: (280, length.x_units, "weighted characters"),
    Channel.BLUESKY: (300, length.grapheme_units, "graphemes"),
    Channel.MASTODON: (500, length.mastodon_units, "characters"),
    Channel.INSTAGRAM: (2200, length.char_units, "characters"),
    Channel.LINKEDIN: (3000, length.char_units, "characters"),
    Channel.YOUTUBE: (5000, length.utf8_units, "bytes"),
    Channel.FACEBOOK: (63206, length.char_units, "characters"),
}
# On these, language versions may go out as a thread or separate posts (KIRK-5.3): each counts alone.
PER_VERSION = {Channel.X, Channel.BLUESKY, Channel.MASTODON}
YOUTUBE_TITLE = 100
VERSION_SEPARATOR = "\n\n"


class LimitParams(Params):
    limits: dict[Channel, int] = Field(default_factory=dict, description="override a channel's limit")
    instagram_max_hashtags: int = 30


@register
class PlatformLimits(RuleFamily):
    name = "platform_limits"
    Params = LimitParams

    def _limit(self, channel: Channel) -> int:
        settings = self.pack.channel_settings(channel)
        if settings.max_chars:
            return settings.max_chars
        return self.params.limits.get(channel, DEFAULTS[channel][0])

    def check(self, ctx):
        channel = ctx.doc.channel
        if channel is None:
            return
        limit, units_of, unit = self._limit(channel), DEFAULTS[channel][1], DEFAULTS[channel][2]
        bodies = [b for b in ctx.bodies if b.text]
        if channel in PER_VERSION or len(bodies) <= 1:
            for body in bodies:
                yield from self._measure(body.field, body.text, units_of, limit, unit, channel)
        else:
            # One update carries every language version: the combined text must fit.
            joined = VERSION_SEPARATOR.join(b.text for b in bodies)
            units = units_of(joined)
            if (at := length.overflow_at(units, limit)) is not None:
                offset = 0
                for body in bodies:
                    if at < offset + len(body.text) + len(VERSION_SEPARATOR):
                        local = max(0, at - offset)
                        yield Hit(
                            body.field,
                            (local, len(body.text)),
                            variant="combined",
                            data={
                                "channel": channel.value,
                                "length": length.measure(units),
                                "limit": limit,
                                "unit": unit,
                            },
                        )
                        break
                    offset += len(body.text) + len(VERSION_SEPARATOR)
        if channel == Channel.YOUTUBE and ctx.doc.title and len(ctx.doc.title) > YOUTUBE_TITLE:
            yield Hit(
                "title",
                (YOUTUBE_TITLE, len(ctx.doc.title)),
                data={
                    "channel": "youtube",
                    "length": len(ctx.doc.title),
                    "limit": YOUTUBE_TITLE,
                    "unit": "characters",
                },
            )
        if channel == Channel.INSTAGRAM:
            for body in bodies:
                tags = find_hashtags(body.text)
                cap = self.params.instagram_max_hashtags
                if len(tags) > cap:
                    yield Hit(
                        body.field,
                        (tags[cap][1], tags[-1][2]),
                        variant="hashtags",
                        data={"count": len(tags), "limit": cap, "channel": "instagram"},
                    )

    def _measure(self, field, text, units_of, limit, unit, channel):
        units = units_of(text)
        at = length.overflow_at(units, limit)
        if at is not None:
            yield Hit(
                field,
                (at, len(text)),
                data={
                    "channel": channel.value,
                    "length": length.measure(units),
                    "limit": limit,
                    "unit": unit,
                },
            )
