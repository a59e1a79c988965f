"""What the payload of each record kind holds, and what search indexes from it.

Content kinds (written by the rest of the product through ``Archive.append``):

- ``post``, ``reply``, ``comment``, ``mention``: ``event`` (approved, published, edited, deleted,
  received, imported), ``texts`` {language: text}, ``author`` (name or {"name", "handle"}),
  ``parent`` (the subject this answers), ``unit``, ``channel``, ``url``, ``state``, and
  ``media`` [{"type", "alt": {language: text}}] describing, in order, the media files passed to
  ``append``. Other keys are kept as they are.
- ``moderation``: ``action`` (hidden, unhidden, deleted, answered, escalated, note), ``note``;
  the record's ``subject`` is the comment or post acted on.

System kinds (written only by the archive itself): ``retention``, ``hold``, ``hold-release``,
``purge``, ``export``, ``import``.
"""

from __future__ import annotations

from dataclasses import dataclass

from somevahti.errors import InputError
from somevahti.i18n import _

TEXT_KINDS = ("post", "reply", "comment", "mention")
CONTENT_KINDS = (*TEXT_KINDS, "moderation")
SYSTEM_KINDS = ("retention", "hold", "hold-release", "purge", "export", "import")
MODERATION_ACTIONS = ("hidden", "unhidden", "deleted", "answered", "escalated", "note")
STATES = ("visible", "hidden", "deleted", "answered", "escalated")
_STATE_OF_ACTION = {
    "hidden": "hidden",
    "unhidden": "visible",
    "deleted": "deleted",
    "answered": "answered",
    "escalated": "escalated",
}


def validate(kind: str, payload, subject: str | None) -> None:
    if not isinstance(payload, dict):
        raise InputError(_("the payload of a record must be a JSON object"))
    if kind not in CONTENT_KINDS:
        raise InputError(
            _("unknown record kind %(kind)r (one of: %(kinds)s)")
            % {"kind": kind, "kinds": ", ".join(CONTENT_KINDS)}
        )
    texts = payload.get("texts", {})
    if not isinstance(texts, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in texts.items()
    ):
        raise InputError(_("'texts' must map a language code to a text"))
    media = payload.get("media", [])
    if not isinstance(media, list) or not all(isinstance(m, dict) for m in media):
        raise InputError(_("'media' must be a list of objects"))
    if kind == "moderation":
        if payload.get("action") not in MODERATION_ACTIONS:
            raise InputError(
                _("a moderation record needs 'action', one of: %s") % ", ".join(MODERATION_ACTIONS)
            )
        if not subject:
            raise InputError(_("a moderation record needs the subject it acts on"))
    state = payload.get("state")
    if state is not None and state not in STATES:
        raise InputError(_("'state' must be one of: %s") % ", ".join(STATES))


def author_of(payload: dict) -> str | None:
    author = payload.get("author")
    if isinstance(author, dict):
        author = author.get("handle") or author.get("name")
    return author.casefold() if isinstance(author, str) and author else None


def state_change(kind: str, payload: dict) -> str | None:
    """The moderation state a record gives its subject, if it changes it."""
    if kind == "moderation":
        return _STATE_OF_ACTION.get(payload.get("action"))
    if payload.get("event") == "deleted":
        return "deleted"
    return payload.get("state")


@dataclass(frozen=True, slots=True)
class IndexText:
    lang: str
    body: str


def index_texts(kind: str, payload: dict) -> list[IndexText]:
    """One searchable text per language: the text plus the image descriptions in that language."""
    if kind == "moderation":
        return [IndexText("", str(payload.get("note") or ""))]
    texts: dict[str, list[str]] = {lang: [text] for lang, text in payload.get("texts", {}).items()}
    for m in payload.get("media", []):
        alt = m.get("alt")
        for lang, text in (
            alt.items() if isinstance(alt, dict) else [("", alt)] if isinstance(alt, str) else []
        ):
            if isinstance(text, str) and text:
                texts.setdefault(lang if lang in texts or not texts else next(iter(texts)), []).append(text)
    if not texts:
        return [IndexText("", "")]
    return [IndexText(lang, "\n".join(parts)) for lang, parts in texts.items()]
