"""Signed replies (KIRK-5.17): a reply from an organisation account names the responsible person.

Checks replies (``kind: reply``) from shared accounts only. Each text of the reply must close
with a person's signature, written the way Finnish and Swedish officials sign:

- after a closing word or sign: ``/Maija Virtanen, kuntatekniikka``, ``t. Maija``, ``-Maija``,
  ``//Anna``, ``^Maija``, ``Terveisin Maija Virtanen``, ``Ystävällisin terveisin, Maija / kirjasto``,
  ``Hälsningar Anna, kundtjänst``, ``Mvh Anna Svensson``, ``Vänliga hälsningar Erik``;
- or a name alone on the last line (or the last but one, with the unit below it), e.g.
  ``…\\nMaija Virtanen, kuntatekniikka``.

Only the end of the reply is read (its last lines). The name must be a person's, not a unit:
Voikko's first-name and surname classes, a Swedish proper noun (hunspell knows it capitalised
only), a name in the organisation's directory, or — after a closing word — a capitalised word
that neither Voikko nor hunspell knows (foreign names such as "Ahmed" or "Siobhan"). Common
words ("Terveisin kunnanvirasto", "/kirjasto", "Hälsningar kommunen") and place names do not
count, nor do initials alone. A name alone on a line needs a first name Voikko or the directory
knows, and a short unit after it.

Params: ``min_words`` (0): replies with fewer words than this are not checked (a "👍" or
"Kiitos!" from the page). Variant ``missing``; suggestion the shape of a signature in the
reply's language ("t. <etunimi>, <yksikkö>"). Reported per text, without a span.
"""

from __future__ import annotations

import regex
from pydantic import Field

from somevahti.document import AccountKind, PostKind
from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.text import finnish, swedish
from somevahti.text.tokens import tokenize

TAIL_CHARS = 300
MAX_UNIT_WORDS = 8  # "Maija Virtanen, Kirkkonummen kunnan kuntatekniikka, asiakaspalvelu"
MAX_LINE_UNIT_WORDS = 5
_NAME_WORD = r"\p{Lu}[\p{L}'’]*(?:-\p{Lu}[\p{L}'’]*)?"
_NAME = rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|\p{{Lu}}\.)){{0,2}})"
_CLOSING = r"""(?i:
      (?:(?:ystävällisin|parhain|lämpimin|aurinkoisin|kiittäen)[ \t]*,?[ \t]*)?terveisin
    | terv\. | t\. | t: | kiittäen
    | (?:(?:vänliga|bästa|många|varma|glada)[ \t]+)?hälsningar | med[ \t]+vänliga?[ \t]+hälsningar?
    | hälsn\. | mvh | vh
    | (?:best[ \t]+|kind[ \t]+)?regards
    )"""
_END = r"[^\p{L}\p{N}]*$"
_WITH_CLOSING = regex.compile(
    rf"""(?x)(?:^|(?<=[\s.!?)]))
    (?:{_CLOSING}[\s,:]*|(?://?|[-–—]{{1,2}}|\^)[ \t]*)
    {_NAME}
    (?:(?:[ \t]*[,/|–—][ \t]*|[ \t]+-[ \t]+|[ \t]*\n[ \t]*|[ \t]+)
       (?P<unit>[^\n]{{1,80}}(?:\n[^\n]{{1,80}})?))?
    {_END}"""
)
_NAME_LINE = regex.compile(
    rf"""(?x)\n[ \t]*[-–—/]?[ \t]*
    {_NAME}
    (?:(?:[ \t]*[,/|–—][ \t]*|[ \t]+-[ \t]+|[ \t]*\n[ \t]*)(?P<unit>[^\n.!?]{{1,50}}))?
    {_END}"""
)

EXAMPLES = {
    "fi": "t. <etunimi>, <yksikkö>",
    "sv": "Hälsningar <förnamn>, <enhet>",
    "en": "– <first name>, <unit>",
}


def _voikko_name(word: str) -> bool | None:
    """True: a first name or surname; False: another known word; None: Voikko does not know it."""
    analyses = finnish.analyse(word)
    if not analyses:
        return None
    return any(a.word_class in ("etunimi", "sukunimi") for a in analyses)


def _swedish_proper(word: str) -> bool:
    return swedish.spell(word) and not swedish.spell(word.lower())


def _person_word(word: str, lenient: bool) -> bool:
    """Does a capitalised word read as a person's name rather than a unit or a common word?

    Not lenient (a name alone on a line): Voikko's name classes or a Swedish proper noun only.
    """
    if len(word) < 2 or word.isupper():
        return False  # initials and acronyms ("MV", "KELA")
    known = _voikko_name(word)
    if known:
        return True
    if _swedish_proper(word):
        return True
    if not lenient or known is False or swedish.spell(word.lower()):
        return False
    return word.isalpha() or "-" in word


class SignatureParams(Params):
    min_words: int = Field(default=0, ge=0)


@register
class Signature(RuleFamily):
    name = "signature"
    Params = SignatureParams

    def check(self, ctx):
        doc = ctx.doc
        if doc.kind != PostKind.REPLY or doc.account_kind != AccountKind.SHARED:
            return
        for body in ctx.bodies:
            text = body.text.strip()
            if not text or (self.params.min_words and len(tokenize(text)) < self.params.min_words):
                continue
            if not self._signed(text, ctx.directory):
                lang = ctx.language_of(body)
                yield Hit(body.field, None, variant="missing", suggestion=EXAMPLES.get(lang, EXAMPLES["fi"]))

    @staticmethod
    def _signed(text: str, directory) -> bool:
        return signing_name(text, directory) is not None


def signing_name(text: str, directory) -> tuple[int, int] | None:
    """Where the name that signs ``text`` stands (its span in ``text``), or None when nobody signs it.
    The personal-data rule asks this too: the responsible person's signature is nobody's private data."""
    found = _signature(text, directory)
    return (found[0] + found[1].start("name"), found[0] + found[1].end("name")) if found else None


def signature_start(text: str, directory) -> int | None:
    """Where the signature of ``text`` begins (its closing word or sign, or the name's line), or None.
    The meaning rules read a reply without it: "/Maija Virtanen, kaavoitus" says nothing of its tone."""
    found = _signature(text, directory)
    return found[0] + found[1].start() if found else None


def _signature(text: str, directory):
    """(offset of the tail read, the signature's match in it), or None."""
    offset = max(0, len(text) - TAIL_CHARS)
    tail = text[offset:]
    for m in _WITH_CLOSING.finditer(tail, overlapped=True):
        if _short_unit(m, MAX_UNIT_WORDS) and _is_person(m.group("name"), directory, lenient=True):
            return offset, m
    for m in _NAME_LINE.finditer(tail, overlapped=True):
        if _short_unit(m, MAX_LINE_UNIT_WORDS) and _is_person(m.group("name"), directory, lenient=False):
            return offset, m
    return None


def _short_unit(m, limit: int) -> bool:
    return len((m.group("unit") or "").split()) <= limit


def _is_person(name: str, directory, lenient: bool) -> bool:
    """A person's name: the directory knows the full name, or its first word reads as a name.

    ``lenient`` (after a closing word) also accepts a capitalised word no dictionary knows.
    """
    first = name.split()[0]
    if len(name.split()) >= 2 and directory.is_known_name(name) and _voikko_name(first) is not False:
        return True
    return _person_word(first, lenient)
