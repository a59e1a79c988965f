"""Data collection: registrations or personal data asked through comments or private messages.

RANUA-S.10: social media is not used to take event registrations or to collect data that
would form a register. A sentence is flagged when it names a platform channel (comments,
a private message, Messenger) together with

* a registration ("ilmoittaudu kommentoimalla", "anmäl dig i kommentarerna") — variant
  ``registration``, or
* the reader's own personal data ("kerro kommenteissa nimesi ja puhelinnumerosi", "skicka
  ditt personnummer i ett privat meddelande") — variant ``personal_data``,

unless the sentence is negated ("ilmoittautumisia ei oteta vastaan kommenteissa"). Asking
for registrations on the website ("ilmoittaudu verkkosivuillamme", "anmälan via vår
webbplats") or for opinions in the comments ("kommentoi ja kerro mielipiteesi") is fine.

Params: ``lexicons`` (default the built-in ``data_collection`` group; categories
registration, channel, personal_item, negation). Data: ``{text}`` (the sentence); the span
runs from the first to the last matched word of the sentence. Comments (someone else's
words) are not checked.
"""

from __future__ import annotations

from pydantic import Field

from somevahti.document import PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.rules.lexicon import (
    build_matchers,
    field_sentences,
    field_tokens,
    load_by_language,
    sentence_index,
)


class DataCollectionParams(Params):
    lexicons: list[str] = Field(default_factory=lambda: ["data_collection"])


@register
class DataCollection(RuleFamily):
    name = "data_collection"
    Params = DataCollectionParams

    def setup(self) -> None:
        self.matchers = build_matchers(load_by_language(self.params.lexicons, self.pack))

    def check(self, ctx):
        if ctx.doc.kind == PostKind.COMMENT:
            return
        for f in ctx.bodies:
            if not f.text.strip():
                continue
            matcher = self.matchers.get(ctx.language_of(f))
            if matcher is None:
                continue
            matches = matcher.find(f.text, field_tokens(ctx, f))
            if not matches:
                continue
            spans = field_sentences(ctx, f)
            starts = [s for s, _ in spans]
            by_sentence: dict[int, dict[str, list]] = {}
            for m in matches:
                i = sentence_index(spans, starts, m.start)
                by_sentence.setdefault(i, {}).setdefault(m.category, []).append(m)
            for i, cats in sorted(by_sentence.items()):
                if i < 0 or "channel" not in cats or "negation" in cats:
                    continue
                variant = (
                    "registration"
                    if "registration" in cats
                    else "personal_data"
                    if "personal_item" in cats
                    else None
                )
                if variant is None:
                    continue
                what = "registration" if variant == "registration" else "personal_item"
                used = cats["channel"] + cats[what]
                start, end = min(m.start for m in used), max(m.end for m in used)
                sentence = f.text[spans[i][0] : spans[i][1]].strip()
                yield Hit(f.field, (start, end), variant=variant, data={"text": sentence})
