"""Meta "download your information" JSON: Facebook Page/profile posts (``*posts*.json``: a list of
{timestamp, data: [{post}], attachments: [{data: [{media: {uri, description}}]}]}), Facebook
comments (``comments.json``: {comments_v2: [...]}) and Instagram posts (``posts_1.json``: a list
of {media: [{uri, creation_timestamp, title}]}). Meta writes text as UTF-8 bytes escaped one by
one ("\\u00c3\\u00a4" for "ä"); that is repaired. Posts without an id get a subject derived from
their time and text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from somevahti.archive.imports import Item, Skip
from somevahti.archive.imports.text import from_epoch, texts_of
from somevahti.errors import InputError
from somevahti.i18n import _


def fix(text):
    if not isinstance(text, str):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _subject(platform: str, timestamp, text: str) -> str:
    return f"{platform}:{timestamp}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = [
        p
        for p in sorted(path.rglob("*.json"))
        if "posts" in p.name or p.name in ("comments.json",) or p.name.startswith("comments_")
    ]
    if not found:
        raise InputError(_("%s has no Meta posts or comments JSON files") % path)
    return found


def _root(f: Path) -> Path:
    """The export's top folder: media URIs are relative to it."""
    for parent in f.parents:
        if (
            (parent / "media").is_dir()
            or (parent / "your_facebook_activity").is_dir()
            or (parent / "your_instagram_activity").is_dir()
            or (parent / "photos_and_videos").is_dir()
        ):
            return parent
    return f.parent


def read(path: Path):
    for f in _files(path):
        try:
            data = json.loads(f.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise InputError(f"{f}: {e}") from e
        root = _root(f)
        if isinstance(data, dict) and "comments_v2" in data:
            yield from _comments(data["comments_v2"], f)
        elif isinstance(data, list) and all(isinstance(p, dict) for p in data):
            for post in data:
                if "data" in post or "attachments" in post:
                    yield from _facebook_post(post, root, f)
                elif "media" in post:
                    yield from _instagram_post(post, root)
                else:
                    yield Skip(f"{f.name}", _("an entry that is neither a Facebook nor an Instagram post"))
        else:
            yield Skip(f.name, _("not a Meta posts or comments file"))


def _facebook_post(post: dict, root: Path, f: Path):
    ts = post.get("timestamp")
    text = "\n".join(fix(d["post"]) for d in post.get("data", []) if isinstance(d, dict) and d.get("post"))
    media, described, links = [], [], []
    for att in post.get("attachments", []):
        for d in att.get("data", []):
            if "media" in d:
                m = d["media"]
                media.append(root / m["uri"])
                described.append(
                    {
                        "type": "video" if str(m["uri"]).endswith((".mp4", ".mov")) else "image",
                        "alt": fix(m.get("description")) or None,
                        "title": fix(m.get("title")) or None,
                    }
                )
            elif "external_context" in d:
                links.append(d["external_context"].get("url"))
    if ts is None:
        yield Skip(f.name, _("a post without a time"))
        return
    if not text and not media and not links:
        yield Skip(
            _subject("facebook", ts, ""), _("no text, media or link (%s)") % (fix(post.get("title")) or "?")
        )
        return
    payload = {"event": "imported", "channel": "facebook", "texts": texts_of(text), "media": described}
    if links:
        payload["links"] = links
    yield Item(
        "post",
        _subject("facebook", ts, text + "|".join(m.name for m in media)),
        payload,
        from_epoch(ts),
        raw=post,
        media=media,
    )


def _instagram_post(post: dict, root: Path):
    items = post.get("media") or []
    ts = post.get("creation_timestamp") or (items[0].get("creation_timestamp") if items else None)
    caption = fix(post.get("title") or (items[0].get("title") if items else "") or "")
    if ts is None:
        yield Skip("instagram", _("a post without a time"))
        return
    media = [root / m["uri"] for m in items if m.get("uri")]
    described = [
        {"type": "video" if str(m.get("uri", "")).endswith(".mp4") else "image", "alt": None}
        for m in items
        if m.get("uri")
    ]
    subject = (
        f"instagram:{items[0]['uri']}"
        if items and items[0].get("uri")
        else _subject("instagram", ts, caption)
    )
    yield Item(
        "post",
        subject,
        {"event": "imported", "channel": "instagram", "texts": texts_of(caption), "media": described},
        from_epoch(ts),
        raw=post,
        media=media,
    )


def _comments(comments: list, f: Path):
    for c in comments:
        ts = c.get("timestamp")
        inner = next(
            (d["comment"] for d in c.get("data", []) if isinstance(d, dict) and "comment" in d), None
        )
        if inner is None or ts is None:
            yield Skip(f.name, _("a comment entry without text or time"))
            continue
        text = fix(inner.get("comment", ""))
        payload = {
            "event": "imported",
            "channel": "facebook",
            "texts": texts_of(text),
            "author": fix(inner.get("author")) or None,
            "context": fix(c.get("title")) or None,
        }
        yield Item("reply", _subject("facebook-comment", ts, text), payload, from_epoch(ts), raw=c)
