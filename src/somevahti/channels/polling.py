"""Polling a connector: fetch, hand the items over, wait; after a failed round wait twice as long
(capped), back to the normal interval after a good one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from somevahti.channels.base import ChannelError, Connector, IncomingItem

log = logging.getLogger(__name__)


def poll(
    connector: Connector,
    handle: Callable[[list[IncomingItem]], object],
    *,
    interval: float = 300.0,
    max_interval: float = 3600.0,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[float]:
    """Run ``rounds`` rounds (forever when None); return the waits, for logs and tests."""
    failures, waits, n = 0, [], 0
    while rounds is None or n < rounds:
        n += 1
        try:
            items = connector.fetch()
        except ChannelError as e:
            failures += 1
            log.warning("%s: %s", connector.name, e)
        else:
            failures = 0
            if items:
                handle(items)
        if rounds is not None and n >= rounds:
            break
        wait = min(max_interval, interval * 2**failures)
        waits.append(wait)
        sleep(wait)
    return waits
