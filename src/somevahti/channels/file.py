"""The ``file`` connector: comments exported by hand from a channel without API access.

JSON Lines (one object per line) or CSV with a header row. Fields: ``id`` and ``text`` (required),
``kind`` (comment, reply, mention; default comment), ``created`` (ISO 8601; default: now),
``author``, ``handle``, ``post`` (the id of the post answered), ``post_text``, ``post_author``
(the work e-mail or name of who published the post), ``url``, ``language``, ``channel``.
A file is read whole or the bad lines are named; good lines are never silently dropped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from somevahti.channels.base import KINDS, Capabilities, Connector, IncomingItem, register
from somevahti.errors import InputError
from somevahti.i18n import _
from somevahti.safeload import ParseError, loads_json


def N_(message: str) -> str:  # noqa: N802 - the gettext marker makemessages collects
    return message


MAX_BYTES = 10 * 1024 * 1024
MAX_TEXT = 20_000


@dataclass
class LineError:
    """A bad line: its number and the reason, kept as msgid and parameters so the web application
    can translate it into the user's language (``render(django_gettext)``)."""

    line: int
    msgid: str
    params: tuple | dict = ()

    def render(self, gettext=_) -> str:
        message = gettext(self.msgid) % self.params if self.params else gettext(self.msgid)
        return gettext("line %(line)d: %(message)s") % {"line": self.line, "message": message}

    def __str__(self) -> str:
        return self.render()


class _Bad(ValueError):
    def __init__(self, msgid: str, params: tuple | dict = ()):
        super().__init__(msgid)
        self.msgid, self.params = msgid, params


LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise InputError(_("%(source)s: the file is larger than %(limit)d MB")
                         % {"source": source, "limit": MAX_BYTES // (1024 * 1024)})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(_("%(source)s: not valid UTF-8 (byte %(byte)d)") % {"source": source, "byte": e.start}) \
            from None


def _when(value) -> datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("Z", "+00:00")
    when = datetime.fromisoformat(text)  # ValueError on nonsense
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _item(row: dict, channel: str) -> IncomingItem:
    ext = str(row.get("id") or "").strip()
    text = row.get("text")
    if not ext:
        raise _Bad(N_("'id' is missing"))
    if not isinstance(text, str) or not text.strip():
        raise _Bad(N_("'text' is missing"))
    if len(text) > MAX_TEXT:
        raise _Bad(N_("'text' is longer than %d characters"), (MAX_TEXT,))
    kind = (row.get("kind") or "comment").strip().lower()
    if kind not in KINDS:
        raise _Bad(N_("'kind' must be one of: %s"), (", ".join(KINDS),))
    language = row.get("language")
    if language not in (None, "") and not (isinstance(language, str) and LANGUAGE.match(language.strip())):
        raise _Bad(N_("'language' is not a language code such as fi, sv or en: %r"), (language,))
    try:
        occurred = _when(row.get("created"))
    except ValueError:
        raise _Bad(N_("'created' is not an ISO 8601 date and time: %r"), (row.get("created"),)) from None

    def s(key: str) -> str:
        value = row.get(key)
        return str(value).strip() if value not in (None, "") else ""

    return IncomingItem(external_id=ext, text=text.strip(), kind=kind, occurred=occurred, author_name=s("author"),
                        author_handle=s("handle"), parent_id=s("post"), post_text=s("post_text"),
                        post_author=s("post_author"), url=s("url"), language=s("language")[:2].lower() or None,
                        channel=s("channel") or channel, raw=row)


def parse(data: bytes | str, source: str = "<upload>", channel: str = "") -> tuple[list[IncomingItem], list[LineError]]:
    """The items of a JSON Lines or CSV file and the errors of its bad lines (1-based line numbers)."""
    text = _decode(data, source)
    if not text.strip():
        raise InputError(_("%(source)s: the file is empty") % {"source": source})
    items: list[IncomingItem] = []
    errors: list[LineError] = []
    seen: set[str] = set()
    first = text.lstrip()[:1]
    if first == "{":
        rows = []
        # \n only: U+2028 and U+0085 are valid inside a JSON string and must not split a comment
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                row = loads_json(line)
            except ParseError:
                errors.append(LineError(n, N_("malformed JSON line")))
                continue
            if not isinstance(row, dict):
                errors.append(LineError(n, N_("a line must be a JSON object")))
                continue
            rows.append((n, row))
    else:
        reader = csv.DictReader(io.StringIO(text), strict=True)
        try:
            if not reader.fieldnames or not {"id", "text"} <= {f.strip() for f in reader.fieldnames}:
                raise InputError(_("%(source)s: neither JSON Lines nor a CSV file with the columns id and text")
                                 % {"source": source})
            rows = [(reader.line_num, {k.strip(): v for k, v in row.items() if k}) for row in reader]
        except csv.Error as e:  # an unclosed quote would otherwise swallow the rest of the file
            raise InputError(_("%(source)s: line %(line)d: %(error)s")
                             % {"source": source, "line": reader.line_num, "error": e}) from None
    for n, row in rows:
        try:
            item = _item(row, channel)
        except _Bad as e:
            errors.append(LineError(n, e.msgid, e.params))
            continue
        if item.external_id in seen:
            errors.append(LineError(n, N_("the id %r is in the file twice"), (item.external_id,)))
            continue
        seen.add(item.external_id)
        items.append(item)
    errors.sort(key=lambda e: e.line)  # in line order, whichever check found them
    return items, errors


@register
class FileConnector(Connector):
    """Reads an exported file; it cannot publish, hide or delete (the people do that by hand)."""

    name = "file"
    capabilities = Capabilities(can_fetch_comments=True)
    api = False

    def __init__(self, data: bytes | str, source: str = "<upload>", channel: str = ""):
        self.items, self.errors = parse(data, source, channel)

    def fetch(self) -> list[IncomingItem]:
        return list(self.items)
