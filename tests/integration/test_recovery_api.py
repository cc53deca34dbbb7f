"""Backpressure, retrying failed articles and /metrics over HTTP (Redis db 3: no worker
consumes there)."""

from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.bus import Bus
from shared.keys import Keys
from shared.models import Enrichment, Entity
from shared.settings import Settings
from shared.store import Store
from tests.servers import empty_archive

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
MAX_DEPTH = 3


@pytest.fixture
def api(database_url: str, redis_url: str) -> Iterator[tuple[TestClient, Store, Bus]]:
    url = redis_url.rsplit("/", 1)[0] + "/3"
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.flushdb()
    empty_archive(database_url)
    settings = Settings(redis_url=url, database_url=database_url, max_queue_depth=MAX_DEPTH)
    store = Store.from_url(database_url)
    with TestClient(create_app(settings)) as client:
        yield client, store, Bus(raw, Keys())
    store.close()
    raw.flushdb()
    raw.close()


def article(n: int) -> dict[str, str]:
    return {"title": f"Story {n}", "text": f"Angela Merkel met Emmanuel Macron, round {n}."}


def test_a_full_queue_refuses_submissions_with_retry_after_and_stores_nothing(
    api: tuple[TestClient, Store, Bus],
) -> None:
    client, store, _ = api
    for n in range(MAX_DEPTH):
        assert client.post("/articles", json=article(n)).status_code == 202
    refused = client.post("/articles", json=article(99))
    assert refused.status_code == 503
    assert refused.headers["content-type"] == PROBLEM
    assert int(refused.headers["retry-after"]) > 0
    assert "limit 3" in refused.json()["detail"]
    assert sum(store.count_by_status().values()) == MAX_DEPTH


def test_retry_requeues_a_failed_article_with_a_fresh_attempt_budget(
    api: tuple[TestClient, Store, Bus],
) -> None:
    client, store, bus = api
    article_id = client.post("/articles", json=article(1)).json()["id"]
    assert store.claim_for_enrichment(article_id, max_attempts=1) == "run"
    assert store.claim_for_enrichment(article_id, max_attempts=1) == "dead"
    failed = client.get(f"/articles/{article_id}").json()
    assert failed["status"] == "failed" and failed["error"].startswith("gave up after 1 attempts")
    listed = client.get("/articles", params={"status": "failed"}).json()["items"]
    assert [item["id"] for item in listed] == [article_id]

    answer = client.post(f"/articles/{article_id}/retry")
    assert answer.status_code == 202
    assert answer.json() == {"id": article_id, "status": "queued"}
    assert answer.headers["location"] == f"/articles/{article_id}"
    again = client.get(f"/articles/{article_id}").json()
    assert (again["status"], again["attempts"], again["error"]) == ("queued", 0, None)
    assert bus.queue_depth("enrich") == 2  # the first task and the retry's


def test_retry_answers_409_unless_failed_and_404_when_unknown(
    api: tuple[TestClient, Store, Bus],
) -> None:
    client, _, _ = api
    article_id = client.post("/articles", json=article(2)).json()["id"]
    conflict = client.post(f"/articles/{article_id}/retry")
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == PROBLEM
    missing = client.post("/articles/0000000000000000/retry")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM


def test_metrics_show_queue_depth_statuses_latency_and_failures(
    api: tuple[TestClient, Store, Bus],
) -> None:
    client, store, bus = api
    ids = [client.post("/articles", json=article(n)).json()["id"] for n in range(2)]
    store.claim_for_enrichment(ids[0], max_attempts=3)
    enrichment = Enrichment(
        entities=[Entity(text="Angela Merkel", label="PERSON", start=0, end=13)]
    )
    store.mark_enriched(ids[0], enrichment)
    bus.observe({"enrich_seconds": 0.07})
    store.claim_for_enrichment(ids[1], max_attempts=3)
    store.mark_failed(ids[1], "boom")
    bus.count_event("task_failures_total")

    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert 'gazette_queue_depth{queue="enrich"} 2.0' in text
    assert 'gazette_articles{status="enriched"} 1.0' in text
    assert 'gazette_articles{status="failed"} 1.0' in text
    assert 'gazette_articles{status="queued"} 0.0' in text
    assert "gazette_task_failures_total 1.0" in text
    assert 'gazette_enrich_seconds_bucket{le="0.05"} 0.0' in text
    assert 'gazette_enrich_seconds_bucket{le="0.1"} 1.0' in text
    assert 'gazette_enrich_seconds_bucket{le="+Inf"} 1.0' in text
    assert "gazette_enrich_seconds_count 1.0" in text
