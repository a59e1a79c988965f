"""Full-text search with filters: SQLite FTS5 over text and base forms, PostgreSQL full-text
search with its ``finnish`` and ``swedish`` configurations plus the same base forms.

Each query word matches the word itself or any of its base forms (Voikko, hunspell), so
"kirjastossa" finds "kirjasto" and "biblioteket" finds "bibliotek". Words are ANDed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from somevahti.archive.payloads import TEXT_KINDS
from somevahti.archive.records import CanonicalError, timestamp
from somevahti.archive.stems import word_forms, words
from somevahti.errors import InputError
from somevahti.i18n import _


@dataclass
class Query:
    text: str | None = None
    accounts: list[str] = field(default_factory=list)
    unit: str | None = None
    since: str | date | datetime | None = None  # inclusive
    until: str | date | datetime | None = None  # inclusive (a date means the whole day)
    kinds: list[str] = field(default_factory=list)
    author: str | None = None
    language: str | None = None
    state: str | None = None
    subjects: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        out = {k: (str(v) if isinstance(v, date | datetime) else v) for k, v in self.__dict__.items()}
        return {k: v for k, v in out.items() if v not in (None, [], "")}


@dataclass(frozen=True)
class Hit:
    seq: int
    kind: str
    account: str | None
    subject: str | None
    parent: str | None
    lang: str
    occurred: str
    author: str | None
    state: str
    snippet: str

    def as_json(self) -> dict:
        return dict(self.__dict__)


def bound(value, *, end: bool) -> str | None:
    """A timestamp string comparable with ``occurred``; a date as ``until`` covers the whole day."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and len(value) == 10:
            value = date.fromisoformat(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            day = value + timedelta(days=1) if end else value
            return day.isoformat() + "T00:00:00.000000Z"
        stamp = timestamp(value)
    except (ValueError, CanonicalError) as e:
        raise InputError(_("not a date or timestamp: %s") % value) from e
    return stamp[:-1] + "1Z" if end else stamp  # until is inclusive; comparison below is "<"


def _fts_match(text: str) -> str | None:
    groups = []
    for w in words(text):
        # the stems column holds every word of the body as well as its base forms
        forms = word_forms(w, "") or (w.casefold(),)
        groups.append("stems : (" + " OR ".join(f'"{f}"' for f in forms) + ")")
    return " AND ".join(groups) or None


def _pg_tsquery(text: str) -> tuple[str | None, list]:
    parts, params = [], []
    for w in words(text):
        alts = ["plainto_tsquery('finnish', ?)", "plainto_tsquery('swedish', ?)"]
        params += [w, w]
        for f in word_forms(w, ""):
            alts.append("plainto_tsquery('simple', ?)")
            params.append(f)
        parts.append("(" + " || ".join(alts) + ")")
    return (" && ".join(parts) or None), params


def _filters(org: str, q: Query) -> tuple[list[str], list]:
    where, params = ["t.org = ?"], [org]

    def within(column, values):
        if values:
            where.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    within("t.account", q.accounts)
    within("t.kind", q.kinds)
    within("t.subject", q.subjects)
    for column, value in (("t.unit", q.unit), ("t.lang", q.language)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if q.author:
        where.append("t.author = ?")
        params.append(q.author.casefold())
    if q.state:
        where.append("COALESCE(s.state, 'visible') = ?")
        params.append(q.state)
    since, until = bound(q.since, end=False), bound(q.until, end=True)
    if since:
        where.append("t.occurred >= ?")
        params.append(since)
    if until:
        where.append("t.occurred < ?")
        params.append(until)
    return where, params


def _sql(store, org: str, q: Query, columns: str) -> tuple[str, list]:
    where, params = _filters(org, q)
    state_join = "LEFT JOIN archive_state s ON s.org = t.org AND s.subject = t.subject"
    if store.dialect == "sqlite":
        match = _fts_match(q.text) if q.text else None
        body = "snippet(archive_fts, 0, '', '', '…', 24)" if match else "substr(f.body, 1, 200)"
        sql = (
            f"SELECT {columns.replace('BODY', body)} "  # noqa: S608 - constant SQL and ? placeholders only
            f"FROM archive_text t JOIN archive_fts f ON f.rowid = t.id {state_join} "
            f"WHERE {' AND '.join(where)}"
        )
        if match:
            sql += " AND archive_fts MATCH ?"
            params.append(match)
        return sql, params
    tsquery, tparams = _pg_tsquery(q.text) if q.text else (None, [])
    sql = (
        f"SELECT {columns.replace('BODY', 'left(t.body, 200)')} "  # noqa: S608 - constant SQL and ? placeholders only
        f"FROM archive_text t {state_join} WHERE {' AND '.join(where)}"
    )
    if tsquery:
        sql += f" AND t.tsv @@ ({tsquery})"
        params += tparams
    return sql, params


def search(archive, org: str, q: Query, *, limit: int = 50, offset: int = 0) -> list[Hit]:
    """Newest first. On SQLite the text row ids are in time order (``api.text_id``), so the
    full-text index is read backwards and the search stops at the end of the page."""
    cols = (
        "t.seq, t.kind, t.account, t.subject, t.parent, t.lang, t.occurred, t.author, "
        "COALESCE(s.state, 'visible'), BODY"
    )
    sql, params = _sql(archive.store, org, q, cols)
    if archive.store.dialect == "sqlite":
        sql += f" ORDER BY {'f.rowid' if q.text else 't.id'} DESC LIMIT ? OFFSET ?"
    else:
        sql += " ORDER BY t.occurred DESC, t.seq DESC LIMIT ? OFFSET ?"
    rows = archive.store.query(sql, [*params, limit, offset])
    return [Hit(int(r[0]), *r[1:9], (r[9] or "").replace("\n", " ")) for r in rows]


def matching(archive, org: str, q: Query) -> Iterator[tuple[int, str | None, str | None, str]]:
    """(seq, subject, parent, kind) of every matching text, oldest first, without a limit."""
    sql, params = _sql(archive.store, org, q, "DISTINCT t.seq, t.subject, t.parent, t.kind, t.occurred")
    for row in archive.store.iterate(sql + " ORDER BY t.occurred, t.seq", params):
        yield int(row[0]), row[1], row[2], row[3]


def answers(archive, org: str, subject: str, *, limit: int = 200) -> list:
    """The latest version of each comment or reply to ``subject``, oldest first."""
    rows = archive.store.query(
        "SELECT subject, seq FROM archive_text WHERE org = ? AND parent = ? ORDER BY seq", (org, subject)
    )  # no DISTINCT: SQLite without statistics would walk every subject
    children = list(dict.fromkeys(r[0] for r in rows if r[0]))[:limit]
    out = []
    for child in children:
        latest = None
        for latest in archive.records(org, kinds=TEXT_KINDS, subject=child):  # noqa: B007 - the last one is wanted
            pass
        if latest is not None:
            out.append(latest)
    return out
