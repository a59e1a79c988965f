"""Which rules the organisation's published posts broke most over the last 12 weeks: the results
page's figures (web/policy/results.py: the archive's posts checked against the pack), summed per
rule. Checked once a day per pack content: every author's path and start page read the same counts."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.utils import timezone

from somevahti.policy import results as core
from somevahti.policy.schema import Pack

WEEKS = 12
log = logging.getLogger(__name__)
_cache: dict[tuple[str, str], dict[str, int]] = {}


def rule_counts(pack: Pack, today=None) -> dict[str, int]:
    """Rule id → published posts it caught in the last 12 weeks (empty when the archive has none)."""
    from somevahti.web.archive import access
    from somevahti.web.policy import documents
    from somevahti.web.policy.results import _checker

    today = today or timezone.localdate()
    digest = documents._remember(pack)
    key = (digest, today.isoformat())
    if key not in _cache:
        try:
            posts = core.posts_from_archive(
                access.archive(), access.org(), today - timedelta(weeks=WEEKS), today
            )
            rows = core.findings_per_100(posts, _checker(digest))
        except Exception:  # noqa: BLE001 - no archive yet, or one that cannot be read: no statistics
            log.warning("onboarding: no check statistics from the archive", exc_info=True)
            rows = []
        counts: Counter = Counter()
        for row in rows:
            counts[row["rule"]] += row["findings"]
        _cache.clear()  # one day and one pack at a time
        _cache[key] = dict(counts)
    return _cache[key]


def forget() -> None:
    """Tests, and a new archive import: count again."""
    _cache.clear()
