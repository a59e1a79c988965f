"""X/Twitter archive: ``data/tweets.js`` (``window.YTD.tweets.part0 = [...]``) and
``data/tweets_media/``. Retweets are skipped; t.co links are expanded from ``entities.urls``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from somevahti.archive.imports import Item, Skip
from somevahti.errors import InputError
from somevahti.i18n import _


def _load(path: Path) -> list:
    text = path.read_text("utf-8")
    start = text.find("=")
    if not text.lstrip().startswith("window.YTD.") or start < 0:
        raise InputError(_("%s is not an X/Twitter archive tweets.js file") % path)
    try:
        return json.loads(text[start + 1 :].strip().rstrip(";"))
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: {e}") from e


def read(path: Path):
    if path.is_dir():
        files = sorted(path.rglob("tweets.js")) + sorted(path.rglob("tweets-part*.js"))
        if not files:
            raise InputError(_("%s has no tweets.js") % path)
    else:
        files = [path]
    for f in files:
        media_dir = f.parent / "tweets_media"
        for entry in _load(f):
            tweet = entry.get("tweet", entry)
            tid = str(tweet.get("id_str") or tweet.get("id") or "?")
            text = tweet.get("full_text") or tweet.get("text") or ""
            if text.startswith("RT @"):
                yield Skip(f"x:{tid}", _("a retweet of another account's post"))
                continue
            for url in (tweet.get("entities") or {}).get("urls", []):
                if url.get("url") and url.get("expanded_url"):
                    text = text.replace(url["url"], url["expanded_url"])
            media, described = [], []
            for m in (tweet.get("extended_entities") or tweet.get("entities") or {}).get("media") or []:
                name = str(m.get("media_url_https") or m.get("media_url") or "").rsplit("/", 1)[-1]
                text = text.replace(m.get("url", "\0"), "").rstrip()
                media.append(media_dir / f"{tid}-{name}")
                described.append(
                    {
                        "type": "image" if m.get("type") == "photo" else "video",
                        "alt": m.get("ext_alt_text") or None,
                    }
                )
            lang = tweet.get("lang") if tweet.get("lang") not in (None, "und", "zxx", "qme") else ""
            try:
                occurred = datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y").isoformat()
            except (KeyError, ValueError):
                yield Skip(f"x:{tid}", _("no readable creation time"))
                continue
            reply_to = tweet.get("in_reply_to_status_id_str")
            payload = {"event": "imported", "channel": "x", "texts": {lang: text}, "media": described}
            if reply_to:
                payload["parent"] = f"x:{reply_to}"
            yield Item("reply" if reply_to else "post", f"x:{tid}", payload, occurred, raw=entry, media=media)
