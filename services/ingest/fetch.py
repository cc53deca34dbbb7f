"""Fetching a feed or a page over HTTP, politely and defensively.

`Fetcher.fetch` never raises for anything the remote side does: every outcome is one of the
result types below, so a worker loop can `match` on it and move on to the next feed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import httpx

from services.ingest.backoff import parse_retry_after
from services.ingest.content_coding import ACCEPT_ENCODING, BodyDecoder, ContentCodingError
from services.ingest.deadline import deadline_at
from services.ingest.safety import GuardedTransport, UnsafeURLError, check_url

USER_AGENT = "Gazette/0.1 (+https://github.com/gazette)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch; `allow_private` comes from GAZETTE_ALLOW_PRIVATE_URLS."""

    allow_private: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # One deadline for a whole fetch, connect to last byte, redirects included: bounds a
    # server that trickles headers or body just fast enough to beat the read timeout.
    total_timeout: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A 2xx response with its (decoded) body and the validators for the next conditional GET."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    # Set when every hop was a 301/308: the resource has moved and callers may store the new URL.
    moved_to: str | None = None


@dataclass(frozen=True)
class NotModified:
    """A 304: nothing to parse; carries the validators to keep (the server's if it sent new)."""

    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class RetryLater:
    """A 429 or 503; `retry_at` is the server's Retry-After, None when it gave none we can use."""

    url: str
    status: int
    retry_at: datetime | None
    message: str


@dataclass(frozen=True)
class FetchFailed:
    """Anything else: refused URL, network error, timeout, HTTP error, body too large."""

    url: str
    message: str
    status: int | None = None


FetchResult = Fetched | NotModified | RetryLater | FetchFailed


class Fetcher:
    """Fetches URLs with one connection pool; create one per worker and `close()` it."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy if policy is not None else FetchPolicy()
        self._clock = clock
        self._monotonic = monotonic
        self._client = httpx.Client(
            transport=transport or GuardedTransport(allow_private=self.policy.allow_private),
            timeout=httpx.Timeout(
                self.policy.read_timeout,
                connect=self.policy.connect_timeout,
            ),
            headers={"User-Agent": self.policy.user_agent},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        timeout: float | None = None,
    ) -> FetchResult:
        """GET `url`, following and checking redirects; conditional when validators are given.

        The whole fetch ends within the policy's `total_timeout`, or `timeout` when shorter.
        """
        headers = {"Accept": accept, "Accept-Encoding": ACCEPT_ENCODING}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        allowed = (
            self.policy.total_timeout
            if timeout is None
            else min(timeout, self.policy.total_timeout)
        )
        if allowed <= 0:
            return FetchFailed(url, "timed out (no time left for this fetch)")
        deadline = self._monotonic() + allowed
        try:
            with deadline_at(time.monotonic() + allowed):
                return self._follow(url, headers, deadline)
        except UnsafeURLError as exc:
            return FetchFailed(url, str(exc))
        except httpx.TimeoutException as exc:
            return FetchFailed(url, f"timed out ({type(exc).__name__})")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return FetchFailed(url, f"{type(exc).__name__}: {exc}")

    def _follow(self, url: str, headers: dict[str, str], deadline: float) -> FetchResult:
        current = url
        permanent = True
        for _hop in range(self.policy.max_redirects + 1):
            check_url(current)
            with self._client.stream("GET", current, headers=headers) as response:
                location = response.headers.get("Location")
                if response.status_code in REDIRECT_STATUSES and location:
                    permanent = permanent and response.status_code in PERMANENT_REDIRECTS
                    current = str(response.url.join(location.strip()))
                    continue
                moved_to = current if permanent and current != url else None
                return self._conclude(url, response, headers, deadline, moved_to)
        return FetchFailed(url, f"too many redirects (more than {self.policy.max_redirects})")

    def _conclude(
        self,
        url: str,
        response: httpx.Response,
        sent: dict[str, str],
        deadline: float,
        moved_to: str | None,
    ) -> FetchResult:
        status = response.status_code
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
        if status == 304:
            return NotModified(
                url,
                etag or sent.get("If-None-Match"),
                last_modified or sent.get("If-Modified-Since"),
            )
        if status in RETRY_STATUSES:
            retry_at = parse_retry_after(response.headers.get("Retry-After"), self._clock())
            return RetryLater(url, status, retry_at, f"HTTP {status} {response.reason_phrase}")
        if not 200 <= status < 300:
            return FetchFailed(url, f"HTTP {status} {response.reason_phrase}", status)
        body = self._read_capped(response, deadline)
        if isinstance(body, str):
            return FetchFailed(url, body, status)
        return Fetched(
            url=url,
            final_url=str(response.url),
            status=status,
            content=body,
            content_type=response.headers.get("Content-Type"),
            etag=etag,
            last_modified=last_modified,
            moved_to=moved_to,
        )

    def _read_capped(self, response: httpx.Response, deadline: float) -> bytes | str:
        """The decoded body, or a message when it is too large or too slow."""
        cap = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            return f"response too large: Content-Length {declared} exceeds {cap} bytes"
        try:
            decoder = BodyDecoder(response.headers.get("Content-Encoding"))
        except ContentCodingError as exc:
            return str(exc)
        body = bytearray()
        too_large = f"response too large: more than {cap} bytes"
        # The raw bytes are decoded here, one bounded step at a time, so that every byte any
        # layer produces counts against the cap before it is held (see content_coding).
        try:
            for raw in response.iter_raw():
                chunk = raw
                while True:
                    body += decoder.decode(chunk, cap + 1 - len(body))
                    if len(body) > cap:
                        return too_large
                    chunk = b""
                    if not decoder.has_pending:
                        break
                if self._monotonic() > deadline:
                    return f"response too slow: not complete in {self.policy.total_timeout:g}s"
            body += decoder.finish()
        except ContentCodingError as exc:
            return str(exc)
        if len(body) > cap:
            return too_large
        return bytes(body)
