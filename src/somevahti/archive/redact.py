"""Redaction of private persons' personal data in export PDFs, through the policy core's
personal-data detection (``somevahti.text.pii``). One narrow function: ``load_redactor``.

If the detection cannot be loaded, a redacted export is refused with the reason, never
silently produced unredacted.
"""

from __future__ import annotations

from collections.abc import Callable

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

MIN_SCORE = 0.5


def _label(entity: str) -> str:
    names = {
        "identity_code": _("identity code"),
        "phone": _("phone number"),
        "email": _("e-mail address"),
        "iban": _("bank account"),
        "address": _("address"),
        "person": _("name"),
    }
    return "[" + _("redacted: %s") % names.get(entity, entity) + "]"


def load_redactor() -> Callable[[str, str], str]:
    """A function (text, language) → text with personal data replaced by labels."""
    try:
        from somevahti.text import pii

        entities = frozenset(pii.ENTITIES)
        pii.analyzer()
    except Exception as e:  # noqa: BLE001 - any failure to load means: cannot redact
        raise SomevahtiError(
            _(
                "redaction was requested but personal-data detection is not available (%s); "
                "the export was not made"
            )
            % e
        ) from e

    def redact(text: str, lang: str) -> str:
        if not text:
            return text
        spans = [f for f in pii.analyse(text, lang or "fi", entities, True) if f.score >= MIN_SCORE]
        for f in sorted(spans, key=lambda f: f.start, reverse=True):
            text = text[: f.start] + _label(f.entity) + text[f.end :]
        return text

    return redact


def private_author_label() -> str:
    return "[" + _("private person") + "]"
