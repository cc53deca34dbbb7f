"""One deadline for a whole fetch, connect to last byte.

httpx's timeouts bound each socket operation, not a request: a server that sends its headers
one byte a second never trips a 15 s read timeout. Every connect, TLS handshake, read and
write made by the streams below waits at most until the deadline of the fetch running in
this thread (or context), so no server can hold a fetch past it, whatever it trickles.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import httpcore

_DEADLINE: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)
T = TypeVar("T")


@contextmanager
def deadline_at(moment: float) -> Iterator[None]:
    """Run the block with every network operation bounded by `moment` (time.monotonic)."""
    token = _DEADLINE.set(moment)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bounded(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """The operation's own timeout, cut to the time left before the deadline."""
    moment = _DEADLINE.get()
    if moment is None:
        return timeout
    remaining = moment - time.monotonic()
    if remaining <= 0:
        raise expired("the request's overall deadline has passed")
    return remaining if timeout is None else min(timeout, remaining)


def call_by_deadline(executor: Executor, function: Callable[[], T]) -> T:
    """`function()`, given up (ConnectTimeout) at the current deadline.

    For blocking calls no socket timeout reaches, such as name resolution: the call runs on
    `executor`, and a lookup that hangs is left to finish there while the fetch moves on.
    """
    moment = _DEADLINE.get()
    if moment is None:
        return function()
    remaining = moment - time.monotonic()
    if remaining <= 0:
        raise httpcore.ConnectTimeout("the request's overall deadline has passed")
    future = executor.submit(function)
    try:
        return future.result(timeout=remaining)
    except FutureTimeout:
        raise httpcore.ConnectTimeout(
            "name resolution did not finish by the request's overall deadline"
        ) from None


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """Opens connections with `inner` and bounds them by the current deadline."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
