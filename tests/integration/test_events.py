"""GET /events against a real `gazette api` process: enriched articles arrive as Server-Sent
Events, and the stream ends cleanly when the server stops."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from shared.bus import Bus
from shared.keys import Keys
from shared.models import ArticleIn
from shared.store import Store
from tests.integration.query_fixtures import STORIES, enrichment_of
from tests.polling import wait_until
from tests.servers import empty_archive, free_port, gazette_env, gazette_process

pytestmark = pytest.mark.integration


def events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """(event, data) pairs of an SSE stream; keep-alive comments skipped."""
    name, data = "message", ""
    for line in lines:
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            data = line.partition(":")[2].strip()
        elif line == "" and data:
            yield name, data
            name, data = "message", ""


def test_enriched_articles_stream_and_the_stream_ends_on_shutdown(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    url = redis_url.rsplit("/", 1)[0] + "/10"
    raw = redis.Redis.from_url(url)
    raw.flushdb()
    empty_archive(database_url)
    port = free_port()
    env = gazette_env(
        GAZETTE_REDIS_URL=url, GAZETTE_DATABASE_URL=database_url, GAZETTE_API_PORT=str(port)
    )
    store = Store.from_url(database_url)
    bus = Bus.from_url(url)
    base = f"http://127.0.0.1:{port}"
    try:
        with gazette_process(["api"], env, tmp_path / "api.log") as server:
            wait_until(lambda: httpx.get(f"{base}/healthz").status_code == 200, timeout=30,
                       what="the API")  # fmt: skip
            story = STORIES["truce"]
            timeout = httpx.Timeout(10.0)
            with httpx.stream("GET", f"{base}/events", timeout=timeout) as stream:
                assert stream.status_code == 200
                assert stream.headers["content-type"].startswith("text/event-stream")
                received = events(stream.iter_lines())
                assert next(received)[0] == "ready"
                article_id, _ = store.save_article(
                    ArticleIn(title=story.title, text=story.text, published_at=story.published)
                )
                # What the enrich task does: store in one transaction, then announce.
                summary = store.mark_enriched(article_id, enrichment_of(story))
                assert summary is not None
                bus.announce_enriched(summary)
                name, data = next(received)
                assert name == "article"
                article = json.loads(data)
                assert (article["id"], article["title"], article["status"]) == (
                    article_id,
                    story.title,
                    "enriched",
                )
                assert "person:sergei-lavrov" in {e["entity_id"] for e in article["top_entities"]}

                server.send_signal(signal.SIGTERM)
                assert list(received) == []  # the stream ends instead of hanging
            # uvicorn re-raises the signal it stopped on once it has shut down.
            assert server.wait(timeout=15) in (0, -signal.SIGTERM)
        assert "without completing response" not in (tmp_path / "api.log").read_text()
    finally:
        store.close()
        bus.close()
        raw.flushdb()
        raw.close()


def test_clients_share_one_subscription_up_to_the_cap(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    url = redis_url.rsplit("/", 1)[0] + "/11"
    raw = redis.Redis.from_url(url)
    raw.flushdb()
    empty_archive(database_url)
    port = free_port()
    env = gazette_env(GAZETTE_REDIS_URL=url, GAZETTE_DATABASE_URL=database_url,
                      GAZETTE_API_PORT=str(port), GAZETTE_MAX_EVENT_CLIENTS="2")  # fmt: skip
    store = Store.from_url(database_url)
    bus = Bus.from_url(url)
    base = f"http://127.0.0.1:{port}"
    channel = Keys().enriched_events

    def subscribers() -> int:
        [(_, count)] = raw.pubsub_numsub(channel)
        return int(count)

    try:
        with gazette_process(["api"], env, tmp_path / "api.log"):
            wait_until(lambda: httpx.get(f"{base}/healthz").status_code == 200, timeout=30,
                       what="the API")  # fmt: skip
            timeout = httpx.Timeout(10.0)
            with (
                httpx.stream("GET", f"{base}/events", timeout=timeout) as first,
                httpx.stream("GET", f"{base}/events", timeout=timeout) as second,
            ):
                streams = [events(first.iter_lines()), events(second.iter_lines())]
                assert [next(s)[0] for s in streams] == ["ready", "ready"]
                assert subscribers() == 1  # one Redis subscription, not one per client

                third = httpx.get(f"{base}/events", timeout=timeout)
                assert third.status_code == 503
                assert third.headers["content-type"] == "application/problem+json"
                assert int(third.headers["retry-after"]) > 0

                story = STORIES["truce"]
                article_id, _ = store.save_article(
                    ArticleIn(title=story.title, text=story.text, published_at=story.published)
                )
                summary = store.mark_enriched(article_id, enrichment_of(story))
                assert summary is not None
                bus.announce_enriched(summary)
                for stream in streams:  # fanned out to both
                    name, data = next(stream)
                    assert (name, json.loads(data)["id"]) == ("article", article_id)

            # The clients left: their places are free again.
            def a_client_is_let_in() -> bool:
                with httpx.stream("GET", f"{base}/events", timeout=timeout) as again:
                    return again.status_code == 200

            wait_until(a_client_is_let_in, timeout=10, what="a free place")
            assert subscribers() == 1
    finally:
        store.close()
        bus.close()
        raw.flushdb()
        raw.close()
