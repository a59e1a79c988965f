"""Every text of the web application and the command line is in Finnish and Swedish: the catalogues
have no untranslated or fuzzy entry, and a translation keeps the placeholders of its English text."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import somevahti

LOCALE = Path(somevahti.__file__).parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogue_is_complete(lang):
    po = _catalogue(lang)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_the_placeholders(lang):
    broken = []
    for e in _catalogue(lang).translated_entries():
        source = set(_placeholders(e.msgid)) | set(_placeholders(e.msgid_plural or ""))
        forms = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        used = [set(_placeholders(text)) for text in forms]
        # A plural form may leave out the count (Finnish "yksi"), but nothing else, and add nothing.
        if set().union(*used) != source or any(u - source for u in used):
            broken.append((e.msgid, forms))
    assert broken == []


def test_placeholder_check_notices_a_lost_one():
    assert set(_placeholders("{account} has {days} days")) != set(_placeholders("{account} on päiviä"))
    assert set(_placeholders("%(n)s of %(total)s")) == set(_placeholders("%(total)s:sta %(n)s"))
