"""From a checked post document to the platform posts it becomes (the parts), before anything is sent.

Language versions go out as the pack's ``publishing.languages`` says for the channel (defaults:
one update on Facebook, Instagram, LinkedIn and YouTube; a thread on X, Bluesky and Mastodon):

- ``one_update``: every version in one post, the pack's first language first (KIRK-5.3);
- ``thread``: one post per version, each answering the previous one;
- ``separate``: one post per version, none answering another.

A text over the platform's limit (counted the platform's way, ``text.length``) is split at
sentence boundaries (then, for an overlong sentence, between words) into a thread where the
platform threads; it is never cut. Where the platform has no threads, an overlong text refuses
the publication before anything is sent. Media go with the first post of each version (all of
a one-update post), with the description in that post's language.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from somevahti.channels.publishing import Limits, MediaFile, Part, PublishCapabilities
from somevahti.document import PostDocument
from somevahti.i18n import _
from somevahti.policy.schema import Pack
from somevahti.text import length

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+|\n\s*\n")


class PlanError(Exception):
    """The document cannot go out on this channel as it is (nothing was sent); ``code`` names the reason."""

    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass
class PlannedPart:
    part: Part
    reply_to: int | None  # the position this part answers (a thread), None for a post of its own


@dataclass
class Plan:
    mode: str
    parts: list[PlannedPart] = field(default_factory=list)


def units_for(counting: str):
    return {
        "graphemes": length.grapheme_units,
        "x-weighted": length.x_units,
        "mastodon": length.mastodon_units,
        "utf8": length.utf8_units,
    }.get(counting, length.char_units)


def measure(text: str, limits: Limits) -> int:
    return length.measure(units_for(limits.counting)(text))


def split_text(text: str, limits: Limits) -> list[str]:
    """``text`` in pieces that each fit ``limits.max_text``: whole sentences where they fit, else
    whole words; raises PlanError when a single word does not fit."""
    text = text.strip()
    if measure(text, limits) <= limits.max_text:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _sentences(text):
        for unit in [sentence] if measure(sentence, limits) <= limits.max_text else _words(sentence, limits):
            candidate = f"{current} {unit}" if current else unit
            if measure(candidate, limits) <= limits.max_text:
                current = candidate
            else:
                if current:
                    pieces.append(current)
                current = unit
    if current:
        pieces.append(current)
    return pieces


def _sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append(text[start : m.start() + len(m.group(0).rstrip())].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _words(sentence: str, limits: Limits) -> list[str]:
    words = sentence.split()
    for w in words:
        if measure(w, limits) > limits.max_text:
            raise PlanError(
                "too_long",
                _("a word of %(n)d characters does not fit in one post (%(limit)d)")
                % {"n": measure(w, limits), "limit": limits.max_text},
            )
    return words


def ordered_languages(doc: PostDocument, pack: Pack) -> list[str]:
    texts = {lang: body for lang, body in doc.texts().items() if body and body.strip()}
    order = [lang for lang in pack.languages.allowed if lang in texts]
    return order + [lang for lang in texts if lang not in order]


def plan(
    doc: PostDocument,
    pack: Pack,
    key: str,
    limits: Limits,
    caps: PublishCapabilities,
    media: list[list[MediaFile]] | None = None,
) -> Plan:
    """The parts of a publication with idempotency key ``key``; ``media[i]`` are the resolved files of
    ``doc.media[i]`` per language (see ``media.resolve``)."""
    channel = doc.channel
    mode = pack.publishing.language_mode(channel)
    if mode == "thread" and not caps.threads:
        mode = "separate"
    texts = doc.texts()
    langs = ordered_languages(doc, pack)
    if not langs:
        raise PlanError("empty", _("the post has no text"), "text")
    resolved = media or []
    out = Plan(mode)

    def add(text: str, languages: tuple[str, ...], files: list[MediaFile], reply_to: int | None) -> int:
        pos = len(out.parts)
        part = Part(key=f"{key}:{pos}", text=text, languages=languages, media=files, title=doc.title)
        out.parts.append(PlannedPart(part, reply_to))
        return pos

    def version(
        text: str, languages: tuple[str, ...], files: list[MediaFile], reply_to: int | None, where: str
    ) -> int:
        pieces = split_text(text, limits)
        if len(pieces) > 1 and not caps.threads:
            raise PlanError(
                "too_long",
                _(
                    "%(field)s: the text is %(n)d characters and %(channel)s allows "
                    "%(limit)d without threads; shorten it (it is never cut)"
                )
                % {"field": where, "n": measure(text, limits), "channel": channel, "limit": limits.max_text},
                where,
            )
        last = reply_to
        for i, piece in enumerate(pieces):
            last = add(piece, languages, files if i == 0 else [], last)
        return last

    def files_for(lang: str) -> list[MediaFile]:
        chosen = []
        for per_lang in resolved:
            chosen.append(per_lang.get(lang) or per_lang.get("") or next(iter(per_lang.values())))
        return chosen

    if mode == "one_update" or len(langs) == 1:
        text = "\n\n".join(texts[lang].strip() for lang in langs)
        files = []
        for per_lang in resolved:
            first = per_lang.get(langs[0]) or per_lang.get("") or next(iter(per_lang.values()))
            alts = [per_lang[lang].alt for lang in langs if lang in per_lang and per_lang[lang].alt]
            files.append(
                MediaFile(
                    first.type,
                    first.path,
                    first.mime,
                    " / ".join(dict.fromkeys(alts)) or first.alt,
                    first.captions_path,
                    first.size,
                )
            )
        version(text, tuple(langs), files, None, "text")
    else:
        previous: int | None = None
        for lang in langs:
            end = version(
                texts[lang].strip(),
                (lang,),
                files_for(lang),
                previous if mode == "thread" else None,
                doc.text_field(lang),
            )
            previous = end
    if caps.needs_media and not any(p.part.media for p in out.parts):
        raise PlanError(
            "needs_media", _("%(channel)s posts need an image or a video") % {"channel": channel}, "media"
        )
    if len(resolved) > limits.max_images:
        raise PlanError(
            "too_many_media",
            _("%(n)d media files; %(channel)s takes at most %(limit)d in one post")
            % {"n": len(resolved), "channel": channel, "limit": limits.max_images},
            "media",
        )
    return out


def guess_mime(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
