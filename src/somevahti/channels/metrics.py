"""Platform figures for an account (issue #12's results): followers, reach and engagement, read from
the platform where its API gives them. An optional capability: a connector that can says
``capabilities.metrics`` and implements ``fetch_metrics(since, until)``.

Every figure is None when the platform does not say it (never a guessed 0):

* ``followers`` — the account's followers when asked (Facebook, Instagram and Mastodon
  ``followers_count``, X ``public_metrics.followers_count``, Bluesky ``followersCount``, LinkedIn
  ``networkSizes`` ``firstDegreeSize``, YouTube ``subscriberCount``);
* ``reach`` — people who saw the account's content in the period (Facebook ``page_impressions_unique``,
  Instagram ``reach``, LinkedIn ``uniqueImpressionsCount``); Mastodon, X, Bluesky and YouTube (without
  its Analytics API) do not say it;
* ``engagement`` — reactions + comments + shares in the period (Facebook ``page_post_engagements``,
  Instagram ``total_interactions``, LinkedIn likes + comments + shares; Mastodon, X and Bluesky: the
  counts on the account's own posts created in the period, as counted when asked).

The table per platform is in docs/policy-document.md ("Platform figures").
Errors are :class:`~somevahti.channels.publishing.PublishError` of the usual kinds (an expired token is
``REAUTHORIZE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from somevahti.channels.base import NotSupported
from somevahti.i18n import _


@dataclass
class AccountMetrics:
    followers: int | None = None
    reach: int | None = None
    impressions: int | None = None
    engagement: int | None = None
    posts: int | None = None  # the account's posts the engagement was counted from
    raw: object = None  # the platform's answers, for the record


def supports_metrics(connector) -> bool:
    """True when the connector (class or instance) can read platform figures."""
    return bool(getattr(getattr(connector, "capabilities", None), "metrics", False)) and callable(
        getattr(connector, "fetch_metrics", None)
    )


def fetch_metrics(connector, since: datetime, until: datetime) -> AccountMetrics:
    if not supports_metrics(connector):
        raise NotSupported(
            _("%(channel)s: reading the platform's figures is not supported")
            % {"channel": getattr(connector, "name", "?")}
        )
    return connector.fetch_metrics(since, until)


def as_int(value) -> int | None:
    """A count from a platform's JSON (a number or a numeric string); None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def total(values) -> int | None:
    """The sum of the counts that are known; None when none is."""
    known = [v for v in (as_int(x) for x in values) if v is not None]
    return sum(known) if known else None
