"""The real fetch path against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from services.ingest.fetch import (
    USER_AGENT,
    Fetched,
    Fetcher,
    FetchFailed,
    FetchPolicy,
    NotModified,
    RetryLater,
)
from services.ingest.safety import GuardedTransport
from tests.unit.ingest_fixtures import FEEDS, LocalServer, Reply, ToLocalServer, local_server

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
RSS = (FEEDS / "rss2.xml").read_bytes()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    # The test server is on 127.0.0.1, so ordinary fetching needs private addresses allowed.
    with Fetcher(FetchPolicy(allow_private=True), clock=lambda: NOW) as running:
        yield running


def test_a_feed_is_fetched_with_its_validators_and_our_user_agent(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/feed.xml"] = Reply(
        body=RSS,
        headers={
            "Content-Type": "application/rss+xml",
            "ETag": '"v1"',
            "Last-Modified": "Mon, 09 Mar 2026 10:00:00 GMT",
        },
    )
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, Fetched)
    assert result.content == RSS
    assert result.content_type == "application/rss+xml"
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 09 Mar 2026 10:00:00 GMT")
    assert result.moved_to is None
    headers = server.seen[0][1]
    assert headers["user-agent"] == USER_AGENT
    assert "gzip" in headers["accept-encoding"]
    assert "if-none-match" not in headers


def test_gzip_bodies_are_decoded(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = Reply(body=RSS, gzip=True)
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, Fetched)
    assert result.content == RSS


def test_conditional_get_sends_validators_and_304_is_not_modified(
    server: LocalServer, fetcher: Fetcher
) -> None:
    def reply(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=RSS, headers={"ETag": '"v1"'})

    server.routes["/feed.xml"] = reply
    result = fetcher.fetch(
        server.url("/feed.xml"), etag='"v1"', last_modified="Mon, 09 Mar 2026 10:00:00 GMT"
    )
    assert result == NotModified(server.url("/feed.xml"), '"v1"', "Mon, 09 Mar 2026 10:00:00 GMT")
    assert server.seen[0][1]["if-modified-since"] == "Mon, 09 Mar 2026 10:00:00 GMT"


def test_redirects_are_followed_and_a_permanent_move_is_reported(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/old"] = Reply(301, headers={"Location": "/older"})
    server.routes["/older"] = Reply(308, headers={"Location": server.url("/feed.xml")})
    server.routes["/feed.xml"] = Reply(body=RSS)
    result = fetcher.fetch(server.url("/old"))
    assert isinstance(result, Fetched)
    assert result.final_url == server.url("/feed.xml")
    assert result.moved_to == server.url("/feed.xml")
    assert [path for path, _ in server.seen] == ["/old", "/older", "/feed.xml"]


def test_a_temporary_redirect_on_the_way_is_not_a_move(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/old"] = Reply(302, headers={"Location": "/feed.xml"})
    server.routes["/feed.xml"] = Reply(body=RSS)
    result = fetcher.fetch(server.url("/old"))
    assert isinstance(result, Fetched)
    assert result.moved_to is None


def test_redirect_loops_stop_at_the_cap(server: LocalServer) -> None:
    server.routes["/a"] = Reply(302, headers={"Location": "/b"})
    server.routes["/b"] = Reply(302, headers={"Location": "/a"})
    with Fetcher(FetchPolicy(allow_private=True, max_redirects=3)) as fetcher:
        result = fetcher.fetch(server.url("/a"))
    assert isinstance(result, FetchFailed)
    assert "too many redirects" in result.message
    assert len(server.seen) == 4  # the first request and three redirects, no more


def test_a_redirect_to_a_non_http_scheme_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, FetchFailed)
    assert "only http and https" in result.message


def test_loopback_is_refused_when_private_addresses_are_not_allowed(
    server: LocalServer,
) -> None:
    server.routes["/feed.xml"] = Reply(body=RSS)
    with Fetcher(FetchPolicy(allow_private=False)) as fetcher:
        by_ip = fetcher.fetch(server.url("/feed.xml"))
        by_name = fetcher.fetch(server.url("/feed.xml").replace("127.0.0.1", "localhost"))
    for result in (by_ip, by_name):
        assert isinstance(result, FetchFailed)
        assert "loopback" in result.message
    assert server.seen == []  # no request ever reached the server


def test_a_redirect_to_loopback_is_refused_at_the_hop() -> None:
    """A public host redirecting to 127.0.0.1: the first hop passes the guard, the second not.

    "public.test" resolves (by the injected resolver) to a public address, which passes the
    check; the connection itself is then routed to the local server, so no packet leaves.
    """
    with local_server() as server:
        server.routes["/start"] = Reply(302, headers={"Location": server.url("/internal")})
        server.routes["/internal"] = Reply(body=b"secret")
        transport = GuardedTransport(
            allow_private=False,
            resolver=lambda _host, _port: ["8.8.8.8"],
            network=ToLocalServer(),
        )
        port = server.base_url.rsplit(":", 1)[1]
        with Fetcher(FetchPolicy(), transport=transport) as fetcher:
            result = fetcher.fetch(f"http://public.test:{port}/start")
    assert isinstance(result, FetchFailed)
    assert "refused to connect to 127.0.0.1: loopback address" in result.message
    assert [path for path, _ in server.seen] == ["/start"]


def test_bodies_past_the_size_cap_are_abandoned(server: LocalServer) -> None:
    big = b"x" * 300_000
    server.routes["/declared"] = Reply(body=big)
    server.routes["/streamed"] = Reply(body=big, chunked=True)
    server.routes["/bomb"] = Reply(body=b"\0" * 5_000_000, gzip=True)
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=100_000)) as fetcher:
        results = [fetcher.fetch(server.url(p)) for p in ("/declared", "/streamed", "/bomb")]
    for result in results:
        assert isinstance(result, FetchFailed)
        assert "too large" in result.message


def test_a_body_at_the_cap_is_kept(server: LocalServer) -> None:
    server.routes["/exact"] = Reply(body=b"y" * 100_000, chunked=True)
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=100_000)) as fetcher:
        result = fetcher.fetch(server.url("/exact"))
    assert isinstance(result, Fetched)
    assert len(result.content) == 100_000


def test_429_with_retry_after_seconds_says_when(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = Reply(429, headers={"Retry-After": "120"})
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, RetryLater)
    assert result.status == 429
    assert result.retry_at == NOW + timedelta(seconds=120)


def test_503_with_retry_after_date_says_when(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = Reply(
        503, headers={"Retry-After": "Tue, 10 Mar 2026 13:30:00 GMT"}
    )
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, RetryLater)
    assert result.retry_at == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)


def test_503_without_retry_after_leaves_the_moment_to_the_caller(
    server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/feed.xml"] = Reply(503)
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, RetryLater)
    assert result.retry_at is None


def test_http_errors_are_results_with_the_status(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/gone"] = Reply(410, b"gone")
    result = fetcher.fetch(server.url("/gone"))
    assert result == FetchFailed(server.url("/gone"), "HTTP 410 Gone", 410)
    missing = fetcher.fetch(server.url("/nothing-here"))
    assert isinstance(missing, FetchFailed)
    assert missing.status == 404


def test_a_closed_port_is_a_result_not_an_exception(fetcher: Fetcher) -> None:
    with local_server() as server:
        url = server.url("/feed.xml")
    result = fetcher.fetch(url)  # the server is gone now
    assert isinstance(result, FetchFailed)
    assert "ConnectError" in result.message


def test_a_slow_server_hits_the_read_timeout(server: LocalServer) -> None:
    release = threading.Event()

    def stall(_headers: dict[str, str]) -> Reply:
        release.wait(timeout=5)
        return Reply(body=RSS)

    server.routes["/slow"] = stall
    with Fetcher(FetchPolicy(allow_private=True, read_timeout=0.2)) as fetcher:
        result = fetcher.fetch(server.url("/slow"))
    release.set()
    assert isinstance(result, FetchFailed)
    assert "timed out" in result.message


def test_stacked_content_encodings_are_refused(server: LocalServer, fetcher: Fetcher) -> None:
    """Each layer of `gzip, gzip` would be inflated in one call, ahead of any size cap."""
    server.routes["/feed.xml"] = Reply(
        body=gzip.compress(gzip.compress(RSS)), headers={"Content-Encoding": "gzip, gzip"}
    )
    result = fetcher.fetch(server.url("/feed.xml"))
    assert isinstance(result, FetchFailed)
    assert "stacked Content-Encoding 'gzip, gzip'" in result.message


def test_a_stacked_gzip_bomb_is_refused_before_it_inflates(server: LocalServer) -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * 50_000_000))
    server.routes["/bomb"] = Reply(body=bomb, headers={"Content-Encoding": "gzip, gzip"})
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=100_000)) as fetcher:
        result = fetcher.fetch(server.url("/bomb"))
    assert isinstance(result, FetchFailed)
    assert "refused: stacked Content-Encoding" in result.message


def test_deflate_bodies_are_decoded_wrapped_or_raw(server: LocalServer, fetcher: Fetcher) -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.routes["/zlib"] = Reply(body=zlib.compress(RSS), headers={"Content-Encoding": "deflate"})
    server.routes["/raw"] = Reply(
        body=raw.compress(RSS) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    for path in ("/zlib", "/raw"):
        result = fetcher.fetch(server.url(path))
        assert isinstance(result, Fetched), result
        assert result.content == RSS


def test_an_unknown_or_broken_encoding_is_a_result(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/br"] = Reply(body=b"\x8b\x00", headers={"Content-Encoding": "br"})
    server.routes["/broken"] = Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    unknown = fetcher.fetch(server.url("/br"))
    broken = fetcher.fetch(server.url("/broken"))
    assert isinstance(unknown, FetchFailed) and "unsupported Content-Encoding" in unknown.message
    assert isinstance(broken, FetchFailed) and "cannot decode the gzip body" in broken.message


def test_headers_trickled_a_byte_at_a_time_hit_the_overall_deadline(server: LocalServer) -> None:
    """Each byte beats the read timeout; only a deadline for the whole request stops it.

    The headers would take about 20 s to arrive; the fetch gives up at its 1 s deadline.
    """
    server.routes["/slow"] = Reply(body=RSS, headers={"X-Padding": "p" * 80}, trickle=0.2)
    with Fetcher(FetchPolicy(allow_private=True, read_timeout=5, total_timeout=1)) as fetcher:
        result = fetcher.fetch(server.url("/slow"))
    assert isinstance(result, FetchFailed)
    assert "timed out" in result.message


def test_a_fetch_given_less_time_than_its_policy_ends_sooner(server: LocalServer) -> None:
    server.routes["/slow"] = Reply(body=RSS, headers={"X-Padding": "p" * 80}, trickle=0.2)
    with Fetcher(FetchPolicy(allow_private=True, read_timeout=5)) as fetcher:
        result = fetcher.fetch(server.url("/slow"), timeout=0.5)
        spent = fetcher.fetch(server.url("/slow"), timeout=0)
    assert isinstance(result, FetchFailed) and "timed out" in result.message
    assert isinstance(spent, FetchFailed) and "no time left" in spent.message


def test_a_name_lookup_that_hangs_ends_at_the_overall_deadline(server: LocalServer) -> None:
    """getaddrinfo takes no timeout; a hostile DNS server answering slowly must not hold a fetch."""
    release = threading.Event()

    def slow_resolver(_host: str, _port: int) -> list[str]:
        release.wait(timeout=10)
        return ["8.8.8.8"]

    server.routes["/feed.xml"] = Reply(body=RSS)
    transport = GuardedTransport(
        allow_private=False, resolver=slow_resolver, network=ToLocalServer()
    )
    port = server.base_url.rsplit(":", 1)[1]
    try:
        with Fetcher(FetchPolicy(total_timeout=0.5), transport=transport) as fetcher:
            result = fetcher.fetch(f"http://slow-dns.test:{port}/feed.xml")
    finally:
        release.set()
    assert isinstance(result, FetchFailed)
    assert "timed out" in result.message
    assert server.seen == []
