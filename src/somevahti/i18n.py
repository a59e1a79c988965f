"""Gettext for the command line; the web app uses Django's i18n over the same catalogues.

Catalogues live in ``somevahti/locale/<lang>/LC_MESSAGES/django.po`` (Finnish, Swedish,
English; Finnish first) and are compiled by ``make install``. The language comes from
``SOMEVAHTI_LANG``, else LANGUAGE/LC_ALL/LC_MESSAGES/LANG, else Finnish.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("fi", "sv", "en")
_reader: ContextVar[str | None] = ContextVar("somevahti_language", default=None)


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Messages of the core in this language for a while (the web application: the reader's)."""
    token = _reader.set(lang if lang in LANGUAGES else None)
    try:
        yield
    finally:
        _reader.reset(token)


def ui_language() -> str:
    if _reader.get():
        return _reader.get()
    for var in ("SOMEVAHTI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
    return "fi"


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("django", LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation(ui_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation(ui_language()).ngettext(singular, plural, n)
