"""The inbox's use of the archive: every incoming item is archived first, every moderation action
with who and why; incidents pin their evidence from it. The archive, the organisation id and the
account names are those of the archive app (:mod:`somevahti.web.archive.access`).
"""

from __future__ import annotations

from somevahti.archive.records import canonical, sha256_hex
from somevahti.web.archive.access import account_id, archive, org


def incoming_payload(item, account, event: str) -> dict:
    payload = {
        "event": event,
        "texts": {item.language or "": item.text},
        "channel": account.platform,
        "unit": account.unit.name,
    }
    if item.author_name or item.author_handle:
        payload["author"] = {"name": item.author_name or item.author_handle, "handle": item.author_handle}
    if item.parent_id:
        payload["parent"] = f"{account.platform}:{item.parent_id}"
    if item.url:
        payload["url"] = item.url
    return payload


def archived_version(subject: str, payload: dict):
    """The archive's record of exactly this version of ``subject``, if it is there already."""
    seq = archive().find_version(org(), subject, sha256_hex(canonical(payload)))
    return archive().get(org(), seq) if seq is not None else None


def archive_incoming(item, account, payload: dict, actor: str):
    return archive().append(
        item.kind,
        payload,
        org=org(),
        account=account_id(account),
        actor=actor,
        subject=f"{account.platform}:{item.external_id}",
        occurred=item.occurred,
        raw=item.raw,
    )


def checkpoint():
    """Sign the archive's head now (every import ends with this), when this machine has the key."""
    return archive().checkpoint_if_keyed(org())


def archive_reply(item, text: str, language: str, reply_id: str, actor: str, by_hand: bool):
    payload = {
        "event": "published",
        "texts": {language: text},
        "parent": item.subject,
        "channel": item.account.platform,
        "unit": item.account.unit.name,
        "state": "visible",
    }
    if by_hand:
        payload["posted"] = "by hand"
    return archive().append(
        "reply",
        payload,
        org=org(),
        account=account_id(item.account),
        actor=actor,
        subject=f"{item.account.platform}:{reply_id}",
    )


def archive_moderation(item, action: str, actor: str, note: str, **extra):
    payload = {"action": action, "note": note, **extra}
    return archive().append(
        "moderation", payload, org=org(), account=account_id(item.account), actor=actor, subject=item.subject
    )


def evidence_of(record) -> dict:
    payload = record.payload or {}
    texts = payload.get("texts") or {}
    return {
        "seq": record.seq,
        "hash": record.hash,
        "kind": record.kind,
        "subject": record.subject or "",
        "occurred": record.occurred,
        "account": record.account or "",
        "text": next(iter(texts.values()), "") if texts else str(payload.get("note") or ""),
        "action": payload.get("action", ""),
        "actor": record.actor or "",
    }


def records_of(subject: str) -> list[dict]:
    return [evidence_of(r) for r in archive().records(org(), subject=subject)]


def record(seq: int) -> dict | None:
    r = archive().get(org(), seq)
    return (
        evidence_of(r)
        if r is not None and r.kind in ("post", "reply", "comment", "mention", "moderation")
        else None
    )
