"""The SSRF guard: which URLs and addresses the ingest service may connect to.

The check runs at connect time, on the very addresses the socket is opened to (see
`GuardedBackend`), so a host whose DNS answer changes between a check and the connection
(DNS rebinding) cannot slip a private address through; every redirect hop opens its own
connection and is checked again.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from urllib.parse import urlsplit

import httpcore
import httpx

from services.ingest.deadline import DeadlineBackend, call_by_deadline

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10)


class UnsafeURLError(ValueError):
    """A URL or an address the guard refuses to connect to."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: IPAddress) -> str | None:
    """Why an address is not a public unicast one, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address in disguise is judged as the IPv4 address it reaches.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_problem(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    )
    return next((f"{name} address" for name, hit in checks if hit), None)


def check_address(address: str, *, allow_private: bool) -> IPAddress:
    """The parsed address, or UnsafeURLError when it is not public and private ones are barred."""
    parsed = ipaddress.ip_address(address.split("%", 1)[0])
    problem = address_problem(parsed)
    if problem is not None and not allow_private:
        raise UnsafeURLError(f"refused to connect to {parsed}: {problem}")
    return parsed


def check_url(url: str) -> None:
    """Refuse URLs that are not http(s) or carry no host; addresses are checked at connect."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise UnsafeURLError(f"invalid URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"refused URL {url!r}: only http and https are fetched")
    if not parts.hostname:
        raise UnsafeURLError(f"refused URL {url!r}: no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(f"refused URL {url!r}: credentials in URLs are not sent")


def checked_addresses(
    host: str, port: int, *, allow_private: bool, resolver: Resolver = resolve
) -> list[str]:
    """The addresses of `host`, all checked; refuses the host if any one of them is unsafe."""
    try:
        candidates = [host] if _is_ip_literal(host) else resolver(host, port)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {exc}") from exc
    if not candidates:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: no addresses")
    for address in candidates:
        try:
            check_address(address, allow_private=allow_private)
        except UnsafeURLError as exc:
            raise UnsafeURLError(str(exc) if host == address else f"{host}: {exc}") from None
    return candidates


class GuardedBackend(httpcore.NetworkBackend):
    """A network backend that resolves hosts itself and connects only to checked addresses."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._resolver = resolver
        self._inner = inner if inner is not None else httpcore.SyncBackend()
        # getaddrinfo takes no timeout: lookups run here so the fetch's deadline bounds them.
        self._lookups = ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        lookup = partial(
            checked_addresses,
            host.strip("[]"),
            port,
            allow_private=self._allow_private,
            resolver=self._resolver,
        )
        literal = _is_ip_literal(host.strip("[]").split("%", 1)[0])
        addresses = lookup() if literal else call_by_deadline(self._lookups, lookup)
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise UnsafeURLError("unix sockets are not used for fetching")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport whose every connection goes through `GuardedBackend`; no proxies."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver = resolve,
        limits: httpx.Limits = DEFAULT_LIMITS,
        network: httpcore.NetworkBackend | None = None,
    ) -> None:
        super().__init__(trust_env=False, limits=limits)
        # httpx offers no public hook for the network backend, so the pool it built is replaced
        # by one with the same settings whose connections are opened by the guard.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            # Inside the guard, every connection also keeps the fetch's overall deadline.
            network_backend=GuardedBackend(
                allow_private=allow_private, resolver=resolver, inner=DeadlineBackend(network)
            ),
        )
