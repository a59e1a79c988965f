"""The inbox's use of the archive: every incoming item is archived first, every moderation action
with who and why; incidents pin their evidence from it.

The archive database is ``SOMEVAHTI_ARCHIVE_DB`` (default: ``archive.sqlite3`` in the web data
directory) and the organisation id ``SOMEVAHTI_ORG`` (default: the pack's id).
"""

from __future__ import annotations

import os
import threading

from django.conf import settings

from somevahti.archive import Archive
from somevahti.archive.api import DB_ENV, MEDIA_ENV, ORG_ENV
from somevahti.archive.records import canonical, sha256_hex
from somevahti.web.api.checking import organisation_pack

_local = threading.local()


def archive() -> Archive:
    """One open archive per thread (the SQLite connection is not shared between threads)."""
    if getattr(_local, "archive", None) is None:
        url = os.environ.get(DB_ENV) or f"sqlite:///{settings.DATA_DIR / 'archive.sqlite3'}"
        media = None if os.environ.get(MEDIA_ENV) else settings.DATA_DIR / "archive-media"
        _local.archive = Archive.open(url, media_dir=media)
    return _local.archive


def org() -> str:
    return os.environ.get(ORG_ENV) or organisation_pack().id


def account_id(account) -> str:
    return f"{account.platform}:{account.handle}"


def incoming_payload(item, account, event: str) -> dict:
    payload = {"event": event, "texts": {item.language or "": item.text}, "channel": account.platform,
               "unit": account.unit.name}
    if item.author_name or item.author_handle:
        payload["author"] = {"name": item.author_name or item.author_handle, "handle": item.author_handle}
    if item.parent_id:
        payload["parent"] = f"{account.platform}:{item.parent_id}"
    if item.url:
        payload["url"] = item.url
    return payload


def already_archived(subject: str, payload: dict) -> bool:
    return archive().find_version(org(), subject, sha256_hex(canonical(payload))) is not None


def archive_incoming(item, account, payload: dict, actor: str):
    return archive().append(item.kind, payload, org=org(), account=account_id(account), actor=actor,
                            subject=f"{account.platform}:{item.external_id}", occurred=item.occurred, raw=item.raw)


def archive_reply(item, text: str, language: str, reply_id: str, actor: str, by_hand: bool):
    payload = {"event": "published", "texts": {language: text}, "parent": item.subject,
               "channel": item.account.platform, "unit": item.account.unit.name,
               "state": "visible"}
    if by_hand:
        payload["posted"] = "by hand"
    return archive().append("reply", payload, org=org(), account=account_id(item.account), actor=actor,
                            subject=f"{item.account.platform}:{reply_id}")


def archive_moderation(item, action: str, actor: str, note: str, **extra):
    payload = {"action": action, "note": note, **extra}
    return archive().append("moderation", payload, org=org(), account=account_id(item.account), actor=actor,
                            subject=item.subject)


def evidence_of(record) -> dict:
    payload = record.payload or {}
    texts = payload.get("texts") or {}
    return {"seq": record.seq, "hash": record.hash, "kind": record.kind, "subject": record.subject or "",
            "occurred": record.occurred, "account": record.account or "",
            "text": next(iter(texts.values()), "") if texts else str(payload.get("note") or ""),
            "action": payload.get("action", ""), "actor": record.actor or ""}


def records_of(subject: str) -> list[dict]:
    return [evidence_of(r) for r in archive().records(org(), subject=subject)]


def record(seq: int) -> dict | None:
    r = archive().get(org(), seq)
    return evidence_of(r) if r is not None and r.kind in ("post", "reply", "comment", "mention", "moderation") \
        else None
