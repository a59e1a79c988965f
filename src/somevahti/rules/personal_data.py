"""Personal data of private persons (RANUA-S.2, RANUA-P.4, KIRK-8.10, SF-10).

Finds, in every body text, title and image description, Finnish personal identity codes and
Swedish personnummer/samordningsnummer (checked with python-stdnum), phone numbers (FI and SE),
e-mail addresses, IBANs, street addresses and, with named-entity recognition, names of persons
(see :mod:`somevahti.text.pii` and :mod:`somevahti.text.ner`).

What the organisation may publish is not flagged (RANUA-S.2): e-mail addresses on its domains and
the directory's addresses, the directory's phone numbers, the names of its staff and units, its
own names, place names, the pack's ``contacts`` and the rule's ``allow`` list; a name right after a
public role ("kunnanjohtaja", "kirjailija", "ordförande": office-holders and performers in their
role, see PUBLIC_ROLES); a full name in the genitive before a published work ("Rosa Liksomin
teoksesta", PUBLISHED_WORKS) is its author; an address without a
flat in a sentence that names the organisation ("hittar ni FÖRETAGET på Sveavägen 24") is its
own; and the name that signs a reply ("/Maija Virtanen, kuntatekniikka", KIRK-5.17) is the
responsible official's.

Params:
  entities: [identity_code, phone, email, iban, address, person]  (default: all)
  min_score: 0.5          Presidio's confidence needed (identity codes and IBANs that pass their
                          checks score 1.0; phones 0.7; addresses 0.5, 0.75 with a flat or postcode;
                          Finnish NER names 0.85, Swedish name heuristic 0.6; context words add 0.35)
  allow: []               texts that may be published: a public building's address, the
                          organisation's bank account, a service number
  allow_signature: true   a name on the signature line closing a reply is not flagged

Hits: variant = the entity name, data {entity, text}, span = the characters in the field.
``person`` needs NER (``--no-ner`` skips it); the rest never does.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from somevahti.document import PostKind
from somevahti.findings import Hit
from somevahti.policy.directory import normalise_phone
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily
from somevahti.rules.signature import signing_name
from somevahti.text import finnish, ner, pii, swedish
from somevahti.text.tokens import sentences, tokenize

Entity = Literal["identity_code", "phone", "email", "iban", "address", "person"]
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A name right after one of these roles is a public figure or an office-holder in that role, not a
# private person ("kunnanjohtaja Tarja Hartikainen", "kirjailija Sofi Oksanen", "kommundirektören ...").
# Matched on the end of the word's base form, so compounds count ("viestintäpäällikkö").
PUBLIC_ROLES = (
    "johtaja",
    "päällikkö",
    "edustaja",
    "valtuutettu",
    "ministeri",
    "presidentti",
    "pormestari",
    "rehtori",
    "professori",
    "tutkija",
    "asiantuntija",
    "kirjailija",
    "runoilija",
    "muusikko",
    "laulaja",
    "säveltäjä",
    "kapellimestari",
    "taiteilija",
    "kuvittaja",
    "näyttelijä",
    "ohjaaja",
    "piispa",
    "kirkkoherra",
    "pianisti",
    "viulisti",
    "kitaristi",
    "sellisti",
    "solisti",
    "artisti",
    "koomikko",
    "tanssija",
    "esiintyjä",
    "toimittaja",
    "kolumnisti",
    "valokuvaaja",
    "sopraano",
    "tenori",
    "baritoni",
    "kuoronjohtaja",
    "direktör",
    "chef",
    "ordförande",
    "ledamot",
    "minister",
    "borgmästare",
    "rektor",
    "professor",
    "forskare",
    "sakkunnig",
    "författare",
    "författa",
    "poet",
    "musiker",
    "sångare",
    "sångerska",
    "kompositör",
    "dirigent",
    "konstnär",
    "illustratör",
    "skådespelare",
    "regissör",
    "biskop",
    "kyrkoherde",
    "pianist",
    "violinist",
    "gitarrist",
    "cellist",
    "solist",
    "artist",
    "komiker",
    "dansare",
    "journalist",
    "kolumnist",
    "fotograf",
    "sopran",
    "tenor",
    "baryton",
)
# A full name in the genitive right before one of these is the author of a published work ("Rosa
# Liksomin teoksesta", "Tove Janssons roman"): a public figure, not a private person.
PUBLISHED_WORKS = (
    "teos",
    "romaani",
    "kirja",
    "runokokoelma",
    "novellikokoelma",
    "näytelmä",
    "elokuva",
    "levy",
    "albumi",
    "sävellys",
    "laulu",
    "sarjakuva",
    "maalaus",
    "näyttely",
    "roman",
    "bok",
    "diktsamling",
    "novellsamling",
    "pjäs",
    "film",
    "skiva",
    "album",
    "låt",
    "utställning",
    "målning",
)
NEXT_WORD = re.compile(r"\s+(\w+)")
LAST_WORD = re.compile(r"(\w+)[,:]?\s+$")


def _public_role_before(text: str, start: int) -> bool:
    m = LAST_WORD.search(text[max(0, start - 60) : start])
    if not m:
        return False
    word = m.group(1)
    forms = {word.lower()} | finnish.lemmas(word) | swedish.stems(word)
    return any(form.endswith(PUBLIC_ROLES) for form in forms)


def _published_work_after(text: str, end: int, name: str) -> bool:
    if not name.endswith(("n", "s")):  # the genitive: Liksomin, Janssons
        return False
    m = NEXT_WORD.match(text, end)
    if not m:
        return False
    word = m.group(1)
    forms = {word.lower()} | finnish.lemmas(word) | swedish.stems(word)
    return any(form.endswith(PUBLISHED_WORKS) for form in forms)


class PersonalDataParams(Params):
    entities: list[Entity] = Field(default_factory=lambda: list(pii.ENTITIES))
    min_score: float = Field(0.5, ge=0.0, le=1.0)
    allow: list[str] = Field(default_factory=list)
    allow_signature: bool = True


def _base_words(text: str) -> set[str]:
    words = set()
    for tok in tokenize(text):
        words.add(tok.lower)
        words |= finnish.lemmas(tok.text)
    return words


@register
class PersonalData(RuleFamily):
    name = "personal_data"
    Params = PersonalDataParams

    def setup(self) -> None:
        self.entities = frozenset(self.params.entities)
        allowed = [*self.params.allow, *self.pack.contacts.values()]
        self.allowed_texts = [" ".join(a.casefold().split()) for a in allowed if a.strip()]
        self.allowed_phones = {p for a in allowed if (p := normalise_phone(a))}
        self.allowed_emails = {m.group(0).lower() for a in allowed for m in EMAIL_RE.finditer(a)}
        self.org_names = {" ".join(n.casefold().split()) for n in self.pack.organisation.all_names()}
        self.org_words = {w for n in self.pack.organisation.all_names() for w in _base_words(n) if len(w) > 2}

    def check(self, ctx):
        for f in ctx.fields:
            if not f.text.strip():
                continue
            lang = ctx.language_of(f)
            for found in pii.analyse(f.text, lang, self.entities, ctx.use_ner):
                if found.score < self.params.min_score or self._allowed(found, ctx, f):
                    continue
                yield Hit(
                    f.field,
                    (found.start, found.end),
                    data={"entity": found.entity, "text": found.text},
                    variant=found.entity,
                )

    def _allowed(self, found: pii.Found, ctx, f) -> bool:
        text = found.text
        folded = " ".join(text.casefold().split())
        if any(folded == a or folded in a for a in self.allowed_texts):
            return True
        if found.entity == "email":
            return ctx.directory.is_work_email(text) or text.lower() in self.allowed_emails
        if found.entity == "phone":
            return ctx.directory.is_work_phone(text) or normalise_phone(text) in self.allowed_phones
        if found.entity == "address":
            return not pii.has_flat(text) and self._names_organisation(f.text, found.start)
        if found.entity == "person":
            return (
                self._allowed_name(text, ctx)
                or _public_role_before(f.text, found.start)
                or _published_work_after(f.text, found.end, text)
                or (self.params.allow_signature and self._signs_reply(found, ctx, f))
            )
        return False

    def _names_organisation(self, text: str, at: int) -> bool:
        """Does the sentence around ``at`` name the organisation ("hittar ni FÖRETAGET på Sveavägen 24")?"""
        for start, end in sentences(text):
            if start <= at < end:
                sentence = text[start:end].casefold()
                return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", sentence) for n in self.org_names)
        return False

    def _allowed_name(self, name: str, ctx) -> bool:
        forms = ner.name_forms(name)
        if any(ctx.directory.is_known_name(form) for form in forms):
            return True
        if any(" ".join(form.casefold().split()) in self.org_names for form in forms):
            return True
        words = name.split()
        if any(_base_words(w) & self.org_words for w in words):
            return True
        # Place names ("Helsingin Yliopisto", "Ranuan Eläinpuisto") are nobody's personal data.
        classes = [{a.word_class for a in finnish.analyse(w)} for w in words]
        return not any(c & ner.NAME_CLASSES for c in classes) and any("paikannimi" in c for c in classes)

    @staticmethod
    def _signs_reply(found: pii.Found, ctx, f) -> bool:
        if ctx.doc.kind != PostKind.REPLY or f.role != "body":
            return False
        span = signing_name(f.text, ctx.directory)  # the signature rule's own reading (KIRK-5.17)
        return span is not None and found.start < span[1] and found.end > span[0]
