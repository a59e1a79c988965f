"""Disclosure: who is speaking, in whose name, and whether a post is paid.

Params:

``mode``
    ``affiliation`` (KELA-1.7): on an expert or personal account, a post that talks about the
    employer (the pack's organisation names, in any inflected form) says that the writer works
    there or represents it ("työskentelen Kelassa", "olen kelalainen", "meillä Kelassa",
    "Kelan etuuskäsittelijänä", "jobbar på", "I work at").
    ``own_opinion`` (SF-1): on an expert or personal account, writing about the company carries
    the own-opinion disclaimer ("åsikterna är mina egna", "omat mielipiteeni", "my own views").
    ``sponsored`` (SF-2): a post marked ``sponsored: true`` carries a visible disclosure (#mainos,
    "kaupallinen yhteistyö", #reklam, "i samarbete med", #ad); a post that reveals a paid
    collaboration (a discount code, "sain testattavaksi") without one is flagged as well.
``lexicons``
    the statements, by category (affiliation, own_opinion, sponsored, paid_hint); default the
    built-in ``disclosure`` group.
``names``
    more names that count as the organisation, beside the pack's organisation names.

Shared organisation accounts are never asked for affiliation or own-opinion statements, and
comments (someone else's words) are not checked. The statement may be in any language version
of the post. Variant: the mode; data: ``{org, text}`` (``text``: the mention or the hint).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from somevahti.document import AccountKind, PostKind
from somevahti.findings import Hit
from somevahti.rules import meaning, register
from somevahti.rules.base import Params, RuleFamily
from somevahti.rules.lexicon import build_matchers, field_tokens, load_by_language, outermost
from somevahti.text import finnish
from somevahti.text.lexicon import Matcher, names_lexicon

# Words that, right before the organisation's name, make the writer one of its people:
# "meillä Kelassa", "me kelalaiset", "vi på FÖRETAGET", "we at Kela", "here at Kela".
WE = {
    "fi": {"meillä", "meitä", "meidän", "me", "täällä"},
    "sv": {"vi", "oss", "här", "hos"},
    "en": {"we", "us", "here", "our"},
}
WE_SKIP = {"på", "vid", "hos", "at", "in", "i"}
# The organisation's customers and other outsiders: "Kelan asiakkaana", "Kelan eläkkeensaajana".
NOT_STAFF = ("asiakas", "potilas", "hakija", "saaja", "käyttäjä", "asukas", "opiskelija", "kumppani")


class DisclosureParams(Params):
    mode: Literal["affiliation", "own_opinion", "sponsored"]
    lexicons: list[str] = Field(default_factory=lambda: ["disclosure"])
    names: list[str] = Field(default_factory=list)
    semantic: list[str] = Field(default_factory=list)  # e.g. [affiliation]: a statement in other words counts
    semantic_threshold: float = Field(default=0.65, gt=0, le=1)


@register
class Disclosure(RuleFamily):
    name = "disclosure"
    Params = DisclosureParams

    def setup(self) -> None:
        by_lang = load_by_language(self.params.lexicons, self.pack)
        wanted = {"sponsored"} if self.params.mode == "sponsored" else {self.params.mode}
        self.statements = build_matchers(by_lang, wanted)
        self.hints = build_matchers(by_lang, {"paid_hint"}) if self.params.mode == "sponsored" else {}
        names = [*self.pack.organisation.all_names(), *self.params.names]
        self.org = {lang: Matcher([names_lexicon(names, lang)], lang) for lang in ("fi", "sv", "en")}

    def _fields(self, ctx):
        for f in ctx.fields:
            if f.role in ("body", "title") and f.text.strip():
                yield f, ctx.language_of(f)

    def check(self, ctx):
        if ctx.doc.kind == PostKind.COMMENT:
            return
        if self.params.mode == "sponsored":
            yield from self._sponsored(ctx)
            return
        if ctx.doc.account_kind == AccountKind.SHARED:
            return
        first_mention, said = None, False
        fields = list(self._fields(ctx))
        for f, lang in fields:
            org = self.org.get(lang)
            if org is None:
                continue
            tokens = field_tokens(ctx, f)
            mentions = outermost(org.find(f.text, tokens), f.text)
            if (
                mentions
                and self.params.mode == "affiliation"
                and (_we_before(tokens, mentions, lang) or _role_after(tokens, mentions, lang))
            ):
                said = True
            if mentions and first_mention is None:
                first_mention = (f, mentions[0])
        # Statements are looked for only when the employer is mentioned: most posts are not about it.
        if first_mention is None or said or any(self._states(ctx, f, lang) for f, lang in fields):
            return
        if self.params.semantic and any(
            meaning.best(ctx, f, self.params.semantic, self.params.semantic_threshold) for f, _lang in fields
        ):
            return
        f, m = first_mention
        yield Hit(
            f.field,
            (m.start, m.end),
            variant=self.params.mode,
            data={"org": self.pack.organisation.name, "text": m.text},
        )

    def _states(self, ctx, f, lang) -> bool:
        matcher = self.statements.get(lang)
        return bool(matcher and matcher.find(f.text, field_tokens(ctx, f)))

    def _sponsored(self, ctx):
        fields = list(self._fields(ctx))
        hint = None
        if not ctx.doc.sponsored:
            hint = next(((f, h) for f, lang in fields for h in self._hints(ctx, f, lang)), None)
            if hint is None:
                return
        if any(self._states(ctx, f, lang) for f, lang in fields):
            return
        org = self.pack.organisation.name
        if hint is None:
            where = fields[0][0].field if fields else "text"
            yield Hit(where, None, variant="sponsored", data={"org": org, "text": ""})
        else:
            f, h = hint
            yield Hit(f.field, (h.start, h.end), variant="sponsored", data={"org": org, "text": h.text})

    def _hints(self, ctx, f, lang):
        matcher = self.hints.get(lang)
        return matcher.find(f.text, field_tokens(ctx, f)) if matcher else []


def _role_after(tokens, mentions, lang: str) -> bool:
    """Whether a Finnish noun in the essive follows the employer's name: "Kelan etuuskäsittelijänä"
    (as Kela's benefit officer) says the writer works there; "Kelan asiakkaana" (as a customer) does not."""
    if lang != "fi":
        return False
    index = {t.start: i for i, t in enumerate(tokens)}
    for m in mentions:
        i = next((index[t.start] for t in tokens if m.start <= t.start < m.end and t.end >= m.end), None)
        if i is None or i + 1 >= len(tokens):
            continue
        analyses = finnish.analyse(tokens[i + 1].text)
        if any(
            a.case == "olento" and a.word_class == "nimisana" and not a.baseform.endswith(NOT_STAFF)
            for a in analyses
        ):
            return True
    return False


def _we_before(tokens, mentions, lang: str) -> bool:
    """Whether a "we" word stands right before a mention (a preposition may come between)."""
    we = WE.get(lang, set())
    index = {t.start: i for i, t in enumerate(tokens)}
    for m in mentions:
        i = index.get(m.start)
        if i is None:
            continue
        j = i - 1
        if j >= 0 and tokens[j].lower in WE_SKIP:
            j -= 1
        if j >= 0 and tokens[j].lower in we:
            return True
    return False
