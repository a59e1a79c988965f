"""Tagging people (RANUA-S.4b, RANUA-P.4): shared-account posts do not tag persons.

A mention (``@handle``, also ``@user@instance`` and ``@name.bsky.social``) is reported when the
handle reads as a person's name; organisations, units, events and custom-domain handles are
left alone. The heuristic is deliberately conservative — it flags only handles built from
two or three name parts:

1. the handle splits at ``.``, ``_``, ``-`` or a change of case into 2–3 alphabetic parts
   (trailing digits dropped): ``@maija.virtanen``, ``@Maija_Virtanen85``, ``@MaijaVirtanen``;
2. the first part is a first name (Voikko's ``etunimi`` class, or a Swedish proper noun that
   hunspell knows only capitalised);
3. every other part is a name (Voikko ``etunimi``/``sukunimi``, Swedish proper noun) or a word
   neither dictionary knows (foreign surnames); a common word or an organisation marker
   (``ry``, ``oy``, ``ab``, ``official``, ``info`` …) makes it an organisation's handle.

A single-word handle (``@maija``, ``@kirkkonummenkunta``) is not flagged, unless it is a directory
person's name written together (``@maijavirtanen``). A handle of a person in the organisation's
directory is variant ``self_tag`` (RANUA-S.4b: staff do not tag themselves on shared accounts);
any other person is ``person_tag`` (RANUA-P.4). Data ``{handle}``: the handle without its leading ``@``
(messages write ``@{handle}``); span at the mention.

Replies are not checked: answering someone in a public discussion may name them (RANUA-P.4).
Param ``account_kinds`` (default ``[shared]``) lists the accounts whose posts are checked.
"""

from __future__ import annotations

from functools import lru_cache

import regex
from pydantic import Field

from somevahti.document import AccountKind, PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import finnish, swedish

MENTION_RE = regex.compile(
    r"(?<![\w@.])@(?P<handle>[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?)(?:@[\w-]+(?:\.[\w-]+)+)?"
)
_PARTS = regex.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+")
PLATFORM_SUFFIXES = (".bsky.social",)
ORG_MARKERS = frozenset(
    {
        "ry",
        "rf",
        "oy",
        "oyj",
        "ab",
        "abp",
        "hb",
        "kb",
        "official",
        "info",
        "team",
        "news",
        "hq",
        "tv",
        "fm",
        "uutiset",
        "nyheter",
        "media",
        "fi",
        "se",
        "com",
        "org",
    }
)


class MentionParams(Params):
    account_kinds: list[AccountKind] = Field(default_factory=lambda: [AccountKind.SHARED])


def _name_class(word: str) -> bool | None:
    """True: a first name or surname; False: a known common word or place; None: unknown."""
    analyses = finnish.analyse(word)
    if any(a.word_class in ("etunimi", "sukunimi") for a in analyses):
        return True
    cap = word[:1].upper() + word[1:].lower()
    if swedish.spell(cap) and not swedish.spell(cap.lower()):
        return True
    if analyses or swedish.spell(cap.lower()):
        return False
    return None


def _is_first_name(word: str) -> bool:
    cap = word[:1].upper() + word[1:].lower()
    return any(a.word_class == "etunimi" for a in finnish.analyse(cap)) or (
        swedish.spell(cap) and not swedish.spell(cap.lower())
    )


@lru_cache(maxsize=50_000)
def name_parts(handle: str) -> tuple[str, ...] | None:
    """The name parts of a handle that reads as a person's name, else None (cached per handle)."""
    for suffix in PLATFORM_SUFFIXES:
        handle = handle.removesuffix(suffix)
    parts = [p for chunk in regex.split(r"[._-]+", handle) for p in _PARTS.findall(chunk)]
    while parts and parts[-1].isdigit():
        parts.pop()
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() and len(p) >= 2 for p in parts):
        return None
    if any(p.lower() in ORG_MARKERS for p in parts) or not _is_first_name(parts[0]):
        return None
    if any(_name_class(p[:1].upper() + p[1:].lower()) is False for p in parts[1:]):
        return None
    return tuple(p[:1].upper() + p[1:].lower() for p in parts)


@register
class Mentions(RuleFamily):
    name = "mentions"
    Params = MentionParams

    def check(self, ctx):
        doc = ctx.doc
        if doc.kind == PostKind.REPLY or doc.account_kind not in self.params.account_kinds:
            return
        for body in ctx.bodies:
            for m in MENTION_RE.finditer(body.text):
                handle = m.group("handle")
                parts = name_parts(handle)
                if (parts and ctx.directory.is_known_name(" ".join(parts))) or self._staff_handle(
                    ctx, handle
                ):
                    variant = "self_tag"
                elif parts:
                    variant = "person_tag"
                else:
                    continue
                yield Hit(body.field, (m.start(), m.end()), variant=variant, data={"handle": m.group(0)[1:]})

    def _staff_handle(self, ctx, handle: str) -> bool:
        """A directory person's full name written together ("@maijavirtanen", "@maija_virtanen2")."""
        names = ctx.directory.names
        if getattr(self, "_joined_for", None) != (id(ctx.directory), len(names)):
            self._joined = frozenset("".join(n.split()) for n in names if len(n.split()) >= 2)
            self._joined_for = (id(ctx.directory), len(names))
        return regex.sub(r"[\d._-]+", "", handle).casefold() in self._joined
