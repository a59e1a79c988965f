"""Language versions: the required languages are there, and each version is what it claims.

Which languages a document needs comes from the pack:
``pack.languages.required_for(channel, account_kind, kind)`` — a requirement scoped to
``kinds: [post]`` leaves replies and comments free. When a pack's requirement does reach replies,
a reply still needs only one of the required languages: replies are written in the language of the
comment (issue 2), so a Swedish reply is never "missing Finnish".

- **missing** (data {lang}, field ``text``, no span): a required language has no version. A text given
  per language (``text: {fi: …, sv: …}``) has the versions it names; a plain string is cut into
  sentences and each is identified (lingua, restricted to the pack's languages), so one text with a
  Finnish and a Swedish paragraph carries both. A plain string with fewer than ``min_chars``
  letters of prose cannot be told and is not judged.
- **mismatch** (data {claimed, detected}, the version's field, no span): with ``check_claims``, a text
  or image description that claims a language but, with at least ``min_chars`` letters of prose
  (URLs, hashtags, mentions left out), is identified as another of the pack's languages with
  confidence ≥ ``min_confidence``. Names and hashtags alone never reach that.

Params: ``check_claims`` (true), ``min_chars`` (20), ``min_confidence`` (0.9).
"""

from __future__ import annotations

from pydantic import Field

from somevahti.document import PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import langid
from somevahti.text.prose import blank_non_prose


class LanguageParams(Params):
    check_claims: bool = True
    min_chars: int = Field(default=20, ge=1)
    min_confidence: float = Field(default=0.9, gt=0, le=1)


def present_languages(ctx, min_chars: int) -> set[str] | None:
    """The languages the document's text carries, or None when a plain text is too short to tell."""
    langs: set[str] = set()
    for body in ctx.bodies:
        if not body.text.strip():
            continue
        if body.lang:
            langs.add(body.lang)
            continue
        if langid.letters(blank_non_prose(body.text)) < min_chars:
            return None
        langs |= {s.lang for s in langid.segments(body.text, ctx.pack_languages) if s.lang}
    return langs


@register
class Language(RuleFamily):
    name = "language"
    Params = LanguageParams

    def check(self, ctx):
        if not any(b.text.strip() for b in ctx.bodies):
            return
        yield from self._missing(ctx)
        if self.params.check_claims:
            yield from self._mismatches(ctx)

    def _missing(self, ctx):
        doc = ctx.doc
        required = ctx.pack.languages.required_for(doc.channel, doc.account_kind, doc.kind)
        if not required:
            return
        present = present_languages(ctx, self.params.min_chars)
        if present is None:
            return
        if doc.kind == PostKind.POST:
            for lang in required:
                if lang not in present:
                    yield Hit("text", None, {"lang": lang}, "missing")
        elif not present & set(required):
            yield Hit("text", None, {"lang": " / ".join(required)}, "missing")

    def _mismatches(self, ctx):
        for f in ctx.bodies + ctx.alts:
            if not f.lang or not langid.supported(f.lang):
                continue
            prose = blank_non_prose(f.text)
            if langid.letters(prose) < self.params.min_chars or langid.clearly(prose, f.lang):
                continue
            detected, confidence = langid.best(f.text, {*ctx.pack_languages, f.lang})
            if detected and detected != f.lang and confidence >= self.params.min_confidence:
                yield Hit(f.field, None, {"claimed": f.lang, "detected": detected}, "mismatch")
