"""HTTP with retries: exponential backoff on 429 and 5xx (honouring Retry-After and Mastodon's
X-RateLimit-Reset) and on network errors. Used by the API connectors."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from somevahti.channels.base import ChannelError
from somevahti.i18n import _

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _header_delay(response: httpx.Response, now: Callable[[], datetime]) -> float | None:
    after = response.headers.get("Retry-After")
    if after:
        try:
            return max(0.0, float(after))
        except ValueError:
            pass
    reset = response.headers.get("X-RateLimit-Reset")
    if response.status_code == 429 and reset:
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        return max(0.0, (when - now()).total_seconds())
    return None


class RetryingClient:
    """``request`` sends once, then again after 1, 2, 4 … seconds (capped) while the answer is 429/5xx
    or the network fails; a server-given wait (Retry-After, X-RateLimit-Reset) wins when longer."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        max_retries: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.client = client
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.now = now
        self.waits: list[float] = []  # what it slept, for logs and tests

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        last = ""
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as e:
                response, last = None, str(e) or type(e).__name__
            if response is not None and response.status_code not in RETRY_STATUSES:
                return response
            if response is not None:
                last = f"HTTP {response.status_code}"
            if attempt == self.max_retries:
                break
            delay = self.base_delay * 2**attempt
            given = _header_delay(response, self.now) if response is not None else None
            delay = min(self.max_delay, max(delay, given or 0.0))
            self.waits.append(delay)
            self.sleep(delay)
        raise ChannelError(
            _("%(method)s %(url)s failed after %(n)d attempts (%(last)s)")
            % {"method": method, "url": url, "n": self.max_retries + 1, "last": last}
        )
