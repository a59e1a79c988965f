"""Pinned posts (KIRK-6.3): pins are for current matters, so a pin has an end date.

A post is pinned when ``pinned: true`` or it has ``pinned_until``. Variants:

- ``no_end``: pinned without ``pinned_until``;
- ``expired``: ``pinned_until`` is in the past, data ``{date}`` (ISO date);
- ``too_long``: with param ``max_days`` (null: no limit), the pin lasts longer than that from
  today, data ``{days, limit}``, suggestion the latest acceptable end date.

Field ``pinned`` or ``pinned_until``; span null.
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from somevahti.findings import Hit
from somevahti.rules import register
from somevahti.rules.base import Params, RuleFamily


class PinningParams(Params):
    max_days: int | None = Field(default=None, ge=1)


@register
class Pinning(RuleFamily):
    name = "pinning"
    Params = PinningParams

    def check(self, ctx):
        doc = ctx.doc
        until = doc.pinned_until
        if until is None:
            if doc.pinned:
                yield Hit("pinned", None, variant="no_end")
            return
        today = date.today()
        if until < today:
            yield Hit("pinned_until", None, variant="expired", data={"date": until.isoformat()})
            return
        limit = self.params.max_days
        days = (until - today).days
        if limit is not None and days > limit:
            latest = (today + timedelta(days=limit)).isoformat()
            yield Hit(
                "pinned_until",
                None,
                variant="too_long",
                data={"days": days, "limit": limit},
                suggestion=latest,
            )
