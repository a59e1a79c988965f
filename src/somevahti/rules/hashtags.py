"""Common hashtags (KIRK-5.19, KIRK-4.6): a post carries the organisation's hashtags.

Params:

- ``hashtags`` ([]): the tags to look for, with or without ``#``; empty means ``pack.hashtags``.
- ``mode`` (``any``): ``any`` — at least one of them is in the post; ``all`` — every one is.

Hashtags are compared whole and case-insensitively (``#Kirkkonummi`` is ``#kirkkonummi``), after
Unicode normalisation; Finnish inflection does not apply to hashtags, so ``#kirkkonummella`` is
another tag. All language versions of the post count together. Only posts are checked, not
replies or comments. Variant ``missing``, data ``{hashtags}`` (the tags to add, space separated),
suggestion the same tags; reported once on the first text, without a span.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import Field

from somevahti.document import PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text.urls import find_hashtags


def _key(tag: str) -> str:
    return unicodedata.normalize("NFC", tag.strip().lstrip("#")).casefold()


class HashtagParams(Params):
    hashtags: list[str] = Field(default_factory=list, description="default: the pack's hashtags")
    mode: Literal["any", "all"] = "any"


@register
class Hashtags(RuleFamily):
    name = "hashtags"
    Params = HashtagParams

    def setup(self) -> None:
        # Normalised tag → the pack's own spelling (shown in the suggestion), first one wins.
        self.wanted: dict[str, str] = {}
        for tag in self.params.hashtags or self.pack.hashtags:
            if _key(tag):
                self.wanted.setdefault(_key(tag), "#" + tag.strip().lstrip("#"))

    def check(self, ctx):
        if not self.wanted or ctx.doc.kind != PostKind.POST:
            return
        bodies = [b for b in ctx.bodies if b.text.strip()]
        if not bodies:
            return
        present = {
            _key(tag) for b in bodies for tag, _, _ in find_hashtags(unicodedata.normalize("NFC", b.text))
        }
        missing = [shown for key, shown in self.wanted.items() if key not in present]
        if self.params.mode == "any" and len(missing) < len(self.wanted):
            return
        if not missing:
            return
        listed = " ".join(missing)
        yield Hit(bodies[0].field, None, variant="missing", data={"hashtags": listed}, suggestion=listed)
