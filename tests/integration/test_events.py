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
