"""The website's news feed (KIRK-6.1): its items become draft suggestions.

The address is the pack's ``composer.news_feed`` (RSS or Atom); feedparser reads it. Each item is
stored once (by its id, else its link); a suggestion becomes a draft with one click.
"""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser
import httpx
from django.utils.translation import gettext as _

from somevahti.web.api.checking import organisation_pack
from somevahti.web.publishing.models import FeedSuggestion

MAX_BYTES = 5 * 1024 * 1024


class FeedError(Exception):
    pass


def address() -> str | None:
    pack = organisation_pack()
    return pack.composer.news_feed if pack else None


def fetch(url: str, *, transport=None) -> bytes:
    try:
        with httpx.Client(timeout=10, follow_redirects=True, transport=transport) as client:
            response = client.get(url, headers={"User-Agent": "somevahti"})
    except httpx.HTTPError as e:
        raise FeedError(
            _("The news feed %(url)s could not be read: %(error)s") % {"url": url, "error": e}
        ) from None
    if response.status_code != 200:
        raise FeedError(
            _("The news feed %(url)s answered %(status)d.") % {"url": url, "status": response.status_code}
        )
    if len(response.content) > MAX_BYTES:
        raise FeedError(_("The news feed %(url)s is too large.") % {"url": url})
    return response.content


def _when(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def store(raw: bytes) -> int:
    """Store the feed's new items; return how many were new."""
    parsed = feedparser.parse(raw)
    if parsed.bozo and not parsed.entries:
        raise FeedError(_("The news feed is not RSS or Atom."))
    new = 0
    for entry in parsed.entries:
        guid = (entry.get("id") or entry.get("link") or entry.get("title") or "")[:500]
        if not guid:
            continue
        _row, created = FeedSuggestion.objects.get_or_create(
            guid=guid,
            defaults={
                "title": (entry.get("title") or "")[:500],
                "link": (entry.get("link") or "")[:500],
                "summary": _plain(entry.get("summary") or ""),
                "published": _when(entry),
            },
        )
        new += created
    return new


def _plain(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html).strip()[:5000]


def refresh(url: str | None = None, *, transport=None) -> int:
    url = url or address()
    if not url:
        raise FeedError(_("The policy pack gives no news feed address (composer.news_feed)."))
    return store(fetch(url, transport=transport))


def link(suggestion_id: int, draft) -> None:
    s = FeedSuggestion.objects.filter(pk=suggestion_id, draft__isnull=True).first()
    if s is not None:
        s.draft = draft
        s.save(update_fields=["draft"])
        if s.link and not draft.source_url:
            draft.source_url = s.link
            draft.save(update_fields=["source_url"])
