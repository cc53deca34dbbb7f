"""The SSRF guard: schemes, and every resolved address checked before connecting."""

from __future__ import annotations

import httpcore
import pytest

from services.ingest.safety import (
    GuardedBackend,
    UnsafeURLError,
    check_address,
    check_url,
    checked_addresses,
)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "private|reserved"),  # 240/4: Python files it under both
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    with pytest.raises(UnsafeURLError, match=kind):
        check_address(address, allow_private=False)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.215.14", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert str(check_address(address, allow_private=False)) == address


def test_allow_private_lifts_the_address_check() -> None:
    assert str(check_address("127.0.0.1", allow_private=True)) == "127.0.0.1"
    assert str(check_address("10.0.0.5", allow_private=True)) == "10.0.0.5"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.com/feed", "only http and https"),
        ("gopher://example.com:70/", "only http and https"),
        ("http:///no-host", "no host"),
        ("http://user:pw@example.com/", "credentials"),
        ("http://example.com:99999/", "invalid URL"),
    ],
)
def test_urls_other_than_plain_http_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError, match=reason):
        check_url(url)


def test_a_host_is_refused_when_any_of_its_addresses_is_private() -> None:
    def resolver(_host: str, _port: int) -> list[str]:
        return ["8.8.8.8", "10.0.0.7"]

    with pytest.raises(UnsafeURLError, match=r"feeds\.test: refused to connect to 10\.0\.0\.7"):
        checked_addresses("feeds.test", 80, allow_private=False, resolver=resolver)


def test_an_unresolvable_host_is_a_connect_error() -> None:
    def resolver(host: str, _port: int) -> list[str]:
        raise OSError(f"no such host {host}")

    with pytest.raises(httpcore.ConnectError, match="cannot resolve"):
        checked_addresses("nowhere.test", 80, allow_private=False, resolver=resolver)


class _Recorder(httpcore.SyncBackend):
    def __init__(self) -> None:
        self.hosts: list[str] = []

    def connect_tcp(self, host: str, port: int, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        self.hosts.append(host)
        raise httpcore.ConnectError("recorded, not connected")


def test_the_backend_connects_to_the_checked_address_not_the_name() -> None:
    """Connecting to the address that was checked is what defeats DNS rebinding."""
    answers = iter([["8.8.8.8"], ["127.0.0.1"]])
    recorder = _Recorder()
    backend = GuardedBackend(
        allow_private=False, resolver=lambda _h, _p: next(answers), inner=recorder
    )
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("rebind.test", 80)
    assert recorder.hosts == ["8.8.8.8"]
    with pytest.raises(UnsafeURLError, match="loopback"):
        backend.connect_tcp("rebind.test", 80)  # the second answer is checked again
    assert recorder.hosts == ["8.8.8.8"]


def test_the_backend_tries_each_checked_address_in_turn() -> None:
    recorder = _Recorder()
    backend = GuardedBackend(
        allow_private=False, resolver=lambda _h, _p: ["8.8.8.8", "8.8.4.4"], inner=recorder
    )
    with pytest.raises(httpcore.ConnectError, match="recorded"):
        backend.connect_tcp("dual.test", 443)
    assert recorder.hosts == ["8.8.8.8", "8.8.4.4"]
