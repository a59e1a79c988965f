"""Mastodon account export: ``outbox.json`` (ActivityPub OrderedCollection) and its
``media_attachments`` folder. Public, unlisted and followers-only posts are imported;
boosts (Announce) and direct messages are skipped, with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from somevahti.archive.imports import Item, Skip
from somevahti.archive.imports.text import html_to_text, texts_of
from somevahti.errors import InputError
from somevahti.i18n import _

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def read(path: Path):
    outbox = path / "outbox.json" if path.is_dir() else path
    try:
        data = json.loads(outbox.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{outbox}: {e}") from e
    if data.get("type") != "OrderedCollection" or not isinstance(data.get("orderedItems"), list):
        raise InputError(_("%s is not a Mastodon outbox (an ActivityPub OrderedCollection)") % outbox)
    root = outbox.parent
    for activity in data["orderedItems"]:
        ident = str(activity.get("id", "?"))
        kind = activity.get("type")
        if kind == "Announce":
            yield Skip(ident, _("a boost of another account's post"))
            continue
        obj = activity.get("object")
        if (
            kind != "Create"
            or not isinstance(obj, dict)
            or obj.get("type") not in ("Note", "Question", "Article")
        ):
            yield Skip(ident, _("not a post (%s)") % kind)
            continue
        audience = set(activity.get("to", [])) | set(activity.get("cc", []))
        if PUBLIC not in audience and not any(str(a).endswith("/followers") for a in audience):
            yield Skip(obj.get("id", ident), _("a direct message, not a publication"))
            continue
        content_map = obj.get("contentMap") or {}
        texts = (
            {lang: html_to_text(html) for lang, html in content_map.items()}
            if content_map
            else texts_of(html_to_text(obj.get("content", "")))
        )
        media, described = [], []
        for att in obj.get("attachment") or []:
            url = str(att.get("url", ""))
            media.append(root / url.lstrip("/"))
            described.append(
                {
                    "type": "video" if str(att.get("mediaType", "")).startswith("video") else "image",
                    "alt": att.get("name") or None,
                    "media_type": att.get("mediaType"),
                }
            )
        payload = {
            "event": "imported",
            "channel": "mastodon",
            "texts": texts,
            "url": obj.get("url"),
            "media": described,
        }
        if obj.get("summary"):
            payload["content_warning"] = obj["summary"]
        if obj.get("inReplyTo"):
            payload["parent"] = f"mastodon:{obj['inReplyTo']}"
        yield Item(
            "reply" if obj.get("inReplyTo") else "post",
            f"mastodon:{obj['id']}",
            payload,
            obj.get("published") or activity.get("published"),
            raw=activity,
            media=media,
        )
