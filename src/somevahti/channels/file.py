"""The ``file`` connector: comments exported by hand from a channel without API access, and a
publishing stand-in for a platform that cannot run here (the demo, the tests, the benchmarks).

Publishing: ``FileConnector.from_credentials({"directory": DIR, "platform": "mastodon"})`` appends
one JSON line per published, edited or deleted post to ``DIR/published.jsonl`` under an exclusive
file lock (several worker processes may share it) and answers ``find_published`` by reading it
back. It takes the limits and capabilities of the platform it stands in for (threads, length
counting). It never deduplicates on its own, so the engine's never-twice logic shows in the
file. ``latency`` (seconds, default 0) waits before and after each write, like a platform's
round trip, so a killed worker can be caught between the platform's acceptance and our record.

JSON Lines (one object per line) or CSV with a header row. Fields: ``id`` and ``text`` (required),
``kind`` (comment, reply, mention; default comment), ``created`` (ISO 8601; default: now),
``author``, ``handle``, ``post`` (the id of the post answered), ``post_text``, ``post_author``
(the work e-mail or name of who published the post), ``url``, ``language``, ``channel``.
A file is read whole or the bad lines are named; good lines are never silently dropped.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import re
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from somevahti.channels.base import KINDS, Capabilities, Connector, IncomingItem, register
from somevahti.channels.publishing import (
    CredentialField,
    ErrorKind,
    Limits,
    Part,
    PublishCapabilities,
    Published,
    PublishError,
    PublishingConnector,
)
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
        raise InputError(
            _("%(source)s: the file is larger than %(limit)d MB")
            % {"source": source, "limit": MAX_BYTES // (1024 * 1024)}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            _("%(source)s: not valid UTF-8 (byte %(byte)d)") % {"source": source, "byte": e.start}
        ) from None


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

    return IncomingItem(
        external_id=ext,
        text=text.strip(),
        kind=kind,
        occurred=occurred,
        author_name=s("author"),
        author_handle=s("handle"),
        parent_id=s("post"),
        post_text=s("post_text"),
        post_author=s("post_author"),
        url=s("url"),
        language=s("language")[:2].lower() or None,
        channel=s("channel") or channel,
        raw=row,
    )


def parse(
    data: bytes | str, source: str = "<upload>", channel: str = ""
) -> tuple[list[IncomingItem], list[LineError]]:
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
                raise InputError(
                    _("%(source)s: neither JSON Lines nor a CSV file with the columns id and text")
                    % {"source": source}
                )
            rows = [(reader.line_num, {k.strip(): v for k, v in row.items() if k}) for row in reader]
        except csv.Error as e:  # an unclosed quote would otherwise swallow the rest of the file
            raise InputError(
                _("%(source)s: line %(line)d: %(error)s")
                % {"source": source, "line": reader.line_num, "error": e}
            ) from None
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
        item.extra["line"] = n  # where the comment is in the file, for an import's report
        items.append(item)
    errors.sort(key=lambda e: e.line)  # in line order, whichever check found them
    return items, errors


@register
class FileConnector(Connector, PublishingConnector):
    """Reads an exported file; publishes by appending to a file. It cannot hide or delete others'
    comments (the people do that by hand on the platform)."""

    name = "file"
    capabilities = Capabilities(can_fetch_comments=True)
    api = False
    credential_fields = (
        CredentialField("directory", N_("Directory")),
        CredentialField("platform", N_("Platform it stands in for"), required=False),
    )

    def __init__(
        self,
        data: bytes | str | None = None,
        source: str = "<upload>",
        channel: str = "",
        *,
        directory: str | Path | None = None,
        platform: str = "mastodon",
        latency: float = 0.0,
        handle: str = "",
    ):
        self.items, self.errors = parse(data, source, channel) if data is not None else ([], [])
        self.directory = Path(directory) if directory else None
        self.platform = platform
        self.handle = handle
        self.latency = float(latency)
        self.limits, self.publish_capabilities = _stand_in_for(platform)

    @classmethod
    def from_credentials(cls, credentials: dict, *, transport=None, **options) -> FileConnector:
        if not credentials.get("directory"):
            raise PublishError(ErrorKind.REAUTHORIZE, _("the file connection names no directory"))
        return cls(
            directory=credentials["directory"],
            platform=credentials.get("platform") or "mastodon",
            latency=float(credentials.get("latency") or options.get("latency") or 0.0),
            handle=credentials.get("handle", ""),
        )

    def fetch(self) -> list[IncomingItem]:
        return list(self.items)

    # -- publishing ---------------------------------------------------------------------
    @property
    def path(self) -> Path:
        if self.directory is None:
            raise PublishError(ErrorKind.REAUTHORIZE, _("the file connection names no directory"))
        return self.directory / "published.jsonl"

    def _append(self, entry: dict) -> None:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def entries(self) -> list[dict]:
        """Every line written so far (published, edited, deleted), oldest first."""
        try:
            with self.path.open(encoding="utf-8") as f:
                fcntl.flock(f, fcntl.LOCK_SH)
                lines = f.read().splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def posts(self) -> list[dict]:
        """The posts as they stand now: each published one with its latest edit, deleted ones left out."""
        current: dict[str, dict] = {}
        for e in self.entries():
            if e["event"] == "published":
                current[e["id"]] = e
            elif e["event"] == "edited" and e["id"] in current:
                current[e["id"]] = {**current[e["id"]], "text": e["text"], "edited": True}
            elif e["event"] == "deleted":
                current.pop(e["id"], None)
        return list(current.values())

    def _published(self, e: dict) -> Published:
        return Published(e["id"], f"file://{self.path}#{e['id']}", raw=e)

    def publish_part(
        self, part: Part, *, reply_to: Published | None = None, root: Published | None = None
    ) -> Published:
        if self.latency:
            time.sleep(self.latency)
        entry = {
            "event": "published",
            "id": f"{part.key}@{time.time_ns()}",
            "key": part.key,
            "text": part.text,
            "languages": list(part.languages),
            "reply_to": reply_to.external_id if reply_to else None,
            "root": root.external_id if root else None,
            "platform": self.platform,
            "handle": self.handle,
            "media": [
                {"type": m.type, "file": str(m.path), "mime": m.mime, "alt": m.alt} for m in part.media
            ],
            "at": datetime.now(UTC).isoformat(),
        }
        self._append(entry)
        if self.latency:
            time.sleep(self.latency)
        return self._published(entry)

    def find_published(self, part: Part) -> Published | None:
        for e in self.entries():
            if e["event"] == "published" and e.get("key") == part.key:
                return self._published(e)
        return None

    def edit_part(self, published: Published, part: Part) -> Published:
        self._append(
            {
                "event": "edited",
                "id": published.external_id,
                "text": part.text,
                "at": datetime.now(UTC).isoformat(),
            }
        )
        return Published(published.external_id, published.url, raw={"event": "edited", "text": part.text})

    def delete_part(self, published: Published) -> None:
        self._append({"event": "deleted", "id": published.external_id, "at": datetime.now(UTC).isoformat()})

    def check_connection(self) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(self.path.parent, os.W_OK):
            raise PublishError(
                ErrorKind.REAUTHORIZE, _("the directory %s cannot be written") % self.path.parent
            )
        return self.handle or str(self.path.parent)


def _stand_in_for(platform: str) -> tuple[Limits, PublishCapabilities]:
    """The limits and capabilities of the platform's own connector (threads, editing, length counting),
    so the stand-in changes when the connector does; it can always delete what it wrote, and it is never
    connected through OAuth. An unknown platform: 500 characters, no threads."""
    from somevahti.channels import base

    if platform not in base._REGISTRY:
        with contextlib.suppress(Exception):  # a broken plug-in: then the defaults below
            base._load()
    cls = base._REGISTRY.get(platform)
    if cls is None or not issubclass(cls, PublishingConnector) or cls is FileConnector:
        return Limits(max_text=500), PublishCapabilities(can_edit=True, can_delete_post=True)
    return cls.limits, replace(cls.publish_capabilities, can_publish=True, can_delete_post=True, oauth=False)
