"""Request limits as ASGI middleware: a body-size cap (413) and a per-client rate limit (429).

Pure ASGI rather than `BaseHTTPMiddleware`, so that streamed answers (`/events`) pass through
untouched.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.problems import problem_response

# Probes must answer even when a client floods the API.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})


class BodyLimit:
    """Refuse a request whose body is larger than `max_bytes` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = refused = False

        async def counted_receive() -> Message:
            # Answer 413 ourselves and tell the app the client left: the app would otherwise
            # turn any error raised while it reads the body into its own 400.
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes and not refused:
                refused = True
                if not started:
                    await self._refuse(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"The request body is larger than {self.max_bytes} bytes."
        answer = problem_response(Request(scope), 413, detail)
        await answer(scope, receive, send)


@dataclass
class TokenBuckets:
    """`per_minute` requests per client, refilled continuously; bursts up to `per_minute`."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def take(self, client: str) -> float:
        """Spend one token of `client`: 0 when allowed, else the seconds until one is back."""
        now = self.clock()
        rate = self.per_minute / 60.0
        tokens, then = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - then) * rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            return 0.0
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > 100_000:  # forget idle clients rather than grow without bound
            self._buckets = {client: self._buckets[client]}
        return (1.0 - tokens) / rate


class RateLimit:
    """Answer 429 with `Retry-After` once a client address is over its budget."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if not wait:
            await self.app(scope, receive, send)
            return
        retry_after = str(max(1, math.ceil(wait)))
        detail = f"More than {self.buckets.per_minute} requests a minute; slow down."
        answer = problem_response(Request(scope), 429, detail, headers={"Retry-After": retry_after})
        await answer(scope, receive, send)
