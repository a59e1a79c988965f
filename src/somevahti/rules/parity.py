"""Bilingual parity (KIRK-5.3): the language versions of one post carry the same facts.

Dates, times, numbers, URLs and e-mail addresses are normalised per notation
(:mod:`somevahti.text.numbers`), so "12.5.–16.5." and "12.5–16.5", "klo 18.30" and "kl 18:30",
"12. toukokuuta" and "12 maj", "1 000 euroa" and "1000 €" agree. Only documents with at least two
language versions are compared: a text per language (``text: {fi: …, sv: …}``), or one plain text
whose sentences are identified as two or more of the pack's languages.

A hit (variant = the kind: dates, times, numbers, urls, emails; data {item, lang, other}) says that
``item``, found in the ``other`` version, is missing from the ``lang`` version. It points at the item
where it *is*: ``field`` is the version that has it and ``span`` the item in that field, so the
editor sees which fact to carry over; the message names the version that lacks it.

Links to the organisation's own website (``organisation.web_domains``) count as the same link when
``own_site_links`` is true (the default): the Finnish and Swedish pages of one site live at
different addresses (kirkkonummi.fi/… and kyrkslatt.fi/…), so one own-site link in each version
is parity.

Params: ``kinds`` (default all five), ``own_site_links`` (true).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from pydantic import Field

from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import langid
from somevahti.text.numbers import KINDS, Facts, Item, extract, missing
from somevahti.text.urls import host_in

Kind = Literal["dates", "times", "numbers", "urls", "emails"]
OWN_SITE = "(own website)"


class ParityParams(Params):
    kinds: list[Kind] = Field(default_factory=lambda: list(KINDS))
    own_site_links: bool = True


@dataclass
class Version:
    field: str
    lang: str
    items: list[Item]


def _shifted(items, offset: int) -> list[Item]:
    return [replace(i, start=i.start + offset, end=i.end + offset) for i in items]


def versions(ctx) -> list[Version]:
    """The document's language versions with their items (spans in the version's field)."""
    bodies = [b for b in ctx.bodies if b.text.strip()]
    if len(bodies) > 1 or (bodies and bodies[0].lang):
        return [Version(b.field, b.lang or ctx.language_of(b), list(extract(b.text))) for b in bodies]
    if not bodies or not extract(bodies[0].text):
        return []  # nothing to compare: spare the language identification
    body = bodies[0]
    by_lang: dict[str, list[Item]] = {}
    for seg in langid.segments(body.text, ctx.pack_languages):
        if seg.lang:
            by_lang.setdefault(seg.lang, []).extend(
                _shifted(extract(body.text[seg.start : seg.end]), seg.start)
            )
    return [Version(body.field, lang, items) for lang, items in by_lang.items()]


@register
class Parity(RuleFamily):
    name = "parity"
    Params = ParityParams

    def _comparable(self, items: list[Item]) -> list[Item]:
        if not self.params.own_site_links:
            return items
        domains = self.pack.organisation.web_domains
        out = []
        for item in items:
            host = item.values[0].split("/", 1)[0].split("?", 1)[0] if item.kind == "urls" else ""
            out.append(replace(item, values=(OWN_SITE,)) if host and host_in(host, domains) else item)
        return out

    def check(self, ctx):
        found = versions(ctx)
        if len({v.lang for v in found}) < 2:
            return
        kinds = tuple(self.params.kinds)
        items = {
            id(v): self._comparable(v.items) for v in found
        }  # same spans and texts, own-site links merged
        facts = {id(v): Facts(items[id(v)]) for v in found}
        seen = set()
        for have in found:
            for lack in found:
                if lack.lang == have.lang:
                    continue
                for item in missing(items[id(have)], facts[id(lack)], kinds):
                    key = (have.field, item.start, item.end, lack.lang)
                    if key not in seen:
                        seen.add(key)
                        yield Hit(
                            have.field,
                            (item.start, item.end),
                            {"item": item.text, "lang": lack.lang, "other": have.lang},
                            item.kind,
                        )
