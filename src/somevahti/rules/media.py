"""Images and video: rights, descriptions, captions, consent; Instagram needs media.

Param ``checks`` picks what to check (default all):

- ``rights`` (KELA-1.5, KIRK-4.7, RANUA-S.6, SF-11): every image and video has ``rights`` with a
  known licence (``Rights.cleared``). Variant ``rights``.
- ``alt`` (KIRK-4.5): every image has a description in each language the pack requires for this
  channel, account kind and post kind — or, when the pack requires none, in each language of the
  post's own text. A description given as a plain string counts for the language it is written
  in. Variant ``alt``, data ``{index, lang}``, field ``media[i].alt.<lang>``.
- ``captions`` (KIRK-7.1, KIRK-7.2): every video has captions. For a video whose ``purpose`` is
  in param ``transcript_purposes`` (default ``[news]``), its content written out elsewhere is
  enough: a ``transcript_url`` or a link in the post text (the accompanying article). Variant
  ``captions``.
- ``consent`` (KIRK-7.3): media showing identifiable people (``people: true``) used for marketing
  (``purpose: marketing``) has ``consent: true``. Variant ``consent``.
- ``instagram_media`` (KIRK-6.5): an Instagram post has an image or a video. Variant
  ``instagram_media``, field ``media``.

Data ``{index}`` is the 1-based number of the image or video (for messages such as "kuva 2");
``{type}`` is ``image`` or ``video``. Fields are ``media[i]`` (0-based); spans are null.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from somevahti.document import Channel, Media, PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text.urls import find_urls

Check = Literal["rights", "alt", "captions", "consent", "instagram_media"]
ALL_CHECKS: list[Check] = ["rights", "alt", "captions", "consent", "instagram_media"]


class MediaParams(Params):
    checks: list[Check] = Field(default_factory=lambda: list(ALL_CHECKS))
    transcript_purposes: list[Literal["marketing", "news", "other"]] = Field(default_factory=lambda: ["news"])


@register
class MediaRules(RuleFamily):
    name = "media"
    Params = MediaParams

    def check(self, ctx):
        doc, checks = ctx.doc, set(self.params.checks)
        if (
            "instagram_media" in checks
            and doc.channel == Channel.INSTAGRAM
            and doc.kind == PostKind.POST
            and not doc.media
        ):
            yield Hit("media", None, variant="instagram_media")
        needed = self._alt_languages(ctx) if "alt" in checks else []
        for i, media in enumerate(doc.media):
            data = {"index": i + 1, "type": media.type}
            field = f"media[{i}]"
            if "rights" in checks and not (media.rights and media.rights.cleared):
                yield Hit(field, None, variant="rights", data=data)
            if "alt" in checks and media.type == "image":
                described = self._described(ctx, i, media)
                for lang in needed:
                    if lang not in described:
                        yield Hit(f"{field}.alt.{lang}", None, variant="alt", data={**data, "lang": lang})
            if "captions" in checks and media.type == "video" and not self._accessible(ctx, media):
                yield Hit(field, None, variant="captions", data=data)
            if (
                "consent" in checks
                and media.people
                and media.purpose == "marketing"
                and media.consent is not True
            ):
                yield Hit(field, None, variant="consent", data=data)

    def _alt_languages(self, ctx) -> list[str]:
        doc = ctx.doc
        required = ctx.pack.languages.required_for(doc.channel, doc.account_kind, doc.kind)
        if required or not any(m.type == "image" for m in doc.media):
            return required
        langs: list[str] = []
        for body in ctx.bodies:
            if body.text.strip() and (lang := ctx.language_of(body)) not in langs:
                langs.append(lang)
        return langs

    @staticmethod
    def _described(ctx, index: int, media: Media) -> set[str]:
        langs = set()
        for lang, text in media.alt_texts().items():
            if not text.strip():
                continue
            if not lang:
                field = next(f for f in ctx.alts if f.field == f"media[{index}].alt")
                lang = ctx.language_of(field)
            langs.add(lang)
        return langs

    def _accessible(self, ctx, media: Media) -> bool:
        if media.captions:
            return True
        if media.purpose not in self.params.transcript_purposes:
            return False
        return bool(media.transcript_url) or any(find_urls(b.text) for b in ctx.bodies)
