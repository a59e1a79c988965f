"""The HTTP side shared by the API connectors that publish (Facebook, Instagram, X, LinkedIn, YouTube).

Two kinds of call, never mixed up:

* :meth:`ApiClient.read` — a look-up (or a harmless write such as an Instagram container or an
  upload that nobody sees before the post refers to it). Retried with backoff on 429/5xx and on
  network errors (a long rate-limit wait is handed to the engine as ``RETRY_LATER`` instead).
* :meth:`ApiClient.write` — the call that makes something public. Sent exactly once. A request
  that never left (connection refused, connect timeout) is ``PLATFORM_DOWN``; one that left but got
  no answer (read timeout, dropped connection) is ``UNKNOWN_OUTCOME``: the engine must ask
  (``find_published``) before anything is sent again.

Every answer goes through the platform's ``classify`` (its own error codes) and then the common
rules: HTML or other non-JSON where JSON was due and 5xx are ``PLATFORM_DOWN``, 429 is
``RETRY_LATER`` with the wait the headers give, 401 ``REAUTHORIZE``, any other 4xx ``FIX_CONTENT``
with the platform's words.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from somevahti.channels.http import RETRY_STATUSES
from somevahti.channels.publishing import ErrorKind, PublishError
from somevahti.i18n import _

Classifier = Callable[[httpx.Response, "ApiClient"], "PublishError | None"]

# Exceptions after which the request certainly never reached the platform.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def failure(
    kind: ErrorKind,
    platform: str,
    reason: str,
    *,
    status: int | None = None,
    retry_after: float | None = None,
    raw: object = None,
) -> PublishError:
    """A PublishError with a message for people that names the platform and its reason."""
    messages = {
        ErrorKind.RETRY_LATER: _("%(platform)s asked to wait before the next request: %(reason)s"),
        ErrorKind.REAUTHORIZE: _("The %(platform)s connection is no longer valid: %(reason)s"),
        ErrorKind.FIX_CONTENT: _("%(platform)s refused the content: %(reason)s"),
        ErrorKind.PLATFORM_DOWN: _("%(platform)s is failing or cannot be reached: %(reason)s"),
        ErrorKind.UNKNOWN_OUTCOME: _(
            "%(platform)s did not answer; the post may or may not have gone out: %(reason)s"
        ),
    }
    return PublishError(
        kind,
        messages[kind] % {"platform": platform, "reason": reason},
        platform_reason=reason,
        retry_after=retry_after,
        status=status,
        raw=raw,
    )


def json_or_none(response: httpx.Response):
    """The answer as JSON, or None when it is not JSON (an HTML error page, an empty body)."""
    if "html" in response.headers.get("content-type", "").lower():
        return None
    try:
        return response.json()
    except ValueError:
        return None


def seconds_until(epoch: float, now: datetime) -> float:
    return max(0.0, epoch - now.timestamp())


class ApiClient:
    """One platform's HTTP client: ``read`` retries, ``write`` never does, both raise PublishError."""

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        classify: Classifier,
        headers: dict | None = None,
        params: dict | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_retries: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
    ):
        self.platform = platform
        self.classify = classify
        self.now = now
        self.client = httpx.Client(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            params=params,
            headers={"User-Agent": "somevahti", **(headers or {})},
        )
        self.sleep, self.max_retries, self.base_delay, self.max_delay = (
            sleep,
            max_retries,
            base_delay,
            max_delay,
        )
        self.waits: list[float] = []  # what the reads slept, for logs and tests

    def read(self, method: str, url: str, *, expect_json: bool = True, **kwargs) -> httpx.Response:
        """Send, and again after 1, 2, 4 … s while the platform fails (5xx, network); a rate limit is
        waited out only when the platform's wait is short (≤ ``max_delay``), else it is RETRY_LATER."""
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            delay = min(self.max_delay, self.base_delay * 2**attempt)
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as e:
                if last:
                    raise failure(
                        ErrorKind.PLATFORM_DOWN, self.platform, str(e) or type(e).__name__
                    ) from None
                self._wait(delay)
                continue
            if response.status_code in RETRY_STATUSES and not last:
                try:
                    self.check(response, expect_json=expect_json)
                except PublishError as e:
                    if e.kind not in (ErrorKind.PLATFORM_DOWN, ErrorKind.RETRY_LATER):
                        raise
                    if e.kind is ErrorKind.RETRY_LATER and (e.retry_after or 0) > self.max_delay:
                        raise
                    self._wait(max(delay, e.retry_after or 0))
                    continue
            return self.check(response, expect_json=expect_json)
        raise AssertionError("unreachable")

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sleep(seconds)

    def write(self, method: str, url: str, *, expect_json: bool = True, **kwargs) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)
        except NOT_SENT as e:
            raise failure(ErrorKind.PLATFORM_DOWN, self.platform, str(e) or type(e).__name__) from None
        except httpx.TransportError as e:  # sent, and then the answer never came
            raise failure(ErrorKind.UNKNOWN_OUTCOME, self.platform, str(e) or type(e).__name__) from None
        if response.status_code == 504:  # a gateway's timeout is a timeout: the platform may have posted
            raise failure(ErrorKind.UNKNOWN_OUTCOME, self.platform, "HTTP 504", status=504)
        return self.check(response, expect_json=expect_json)

    def upload(self, method: str, url: str, *, expect_json: bool = True, **kwargs) -> httpx.Response:
        """A write nobody sees until a later call refers to it (an unpublished photo, a media upload, a
        container): sent once, and a lost answer is ``PLATFORM_DOWN`` (sending again is harmless)."""
        try:
            return self.write(method, url, expect_json=expect_json, **kwargs)
        except PublishError as e:
            if e.kind is not ErrorKind.UNKNOWN_OUTCOME:
                raise
            raise failure(
                ErrorKind.PLATFORM_DOWN, self.platform, e.platform_reason, status=e.status
            ) from None

    def check(self, response: httpx.Response, *, expect_json: bool = True) -> httpx.Response:
        error = self.classify(response, self)
        if error is not None:
            raise error
        status = response.status_code
        body = json_or_none(response)
        if status >= 500:
            raise failure(ErrorKind.PLATFORM_DOWN, self.platform, f"HTTP {status}", status=status, raw=body)
        if 300 <= status < 400:  # a redirect where an answer was due (a login page, a proxy)
            raise failure(ErrorKind.PLATFORM_DOWN, self.platform, f"HTTP {status}", status=status)
        if expect_json and status < 300 and status != 204 and body is None:
            raise failure(
                ErrorKind.PLATFORM_DOWN,
                self.platform,
                _("the answer was not JSON (%(type)s)") % {"type": response.headers.get("content-type", "?")},
                status=status,
            )
        if status == 429:
            after = response.headers.get("Retry-After")
            raise failure(
                ErrorKind.RETRY_LATER,
                self.platform,
                f"HTTP {status}",
                status=status,
                retry_after=float(after) if after and after.isdigit() else None,
                raw=body,
            )
        if status == 401:
            raise failure(ErrorKind.REAUTHORIZE, self.platform, f"HTTP {status}", status=status, raw=body)
        if status >= 400:
            if body is None:
                raise failure(ErrorKind.PLATFORM_DOWN, self.platform, f"HTTP {status}", status=status)
            raise failure(ErrorKind.FIX_CONTENT, self.platform, f"HTTP {status}", status=status, raw=body)
        return response
