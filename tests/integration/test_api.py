"""The HTTP contract, against a real PostgreSQL (emptied per test) and a real Redis (db 1: no
worker consumes there, so tasks stay put)."""

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.queue import ENRICH_QUEUE, ENRICH_TASK
from shared.settings import Settings
from tests.servers import empty_archive

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles"
PROBLEM = "application/problem+json"


@pytest.fixture
def api_redis(database_url: str, redis_url: str) -> Iterator[tuple[TestClient, redis.Redis]]:
    url = redis_url.rsplit("/", 1)[0] + "/1"
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.flushdb()
    empty_archive(database_url)
    with TestClient(create_app(Settings(redis_url=url, database_url=database_url))) as client:
        yield client, raw
    raw.flushdb()
    raw.close()


def queued_article_ids(raw: redis.Redis) -> list[str]:
    messages = [json.loads(m) for m in raw.lrange(ENRICH_QUEUE, 0, -1)]
    assert all(m["headers"]["task"] == ENRICH_TASK for m in messages)
    return [m["headers"]["argsrepr"].strip("[]'\"") for m in messages]


def test_post_stores_then_queues_and_answers_202(api_redis: tuple[TestClient, redis.Redis]) -> None:
    client, raw = api_redis
    body = {"title": "Truce", "text": "Kerry met Lavrov.", "source": "wire"}
    answer = client.post("/articles", json=body)
    assert answer.status_code == 202
    accepted = answer.json()
    assert accepted["status"] == "queued"
    assert answer.headers["location"] == f"/articles/{accepted['id']}"
    assert queued_article_ids(raw) == [accepted["id"]]

    stored = client.get(answer.headers["location"])
    assert stored.status_code == 200
    article = stored.json()
    assert set(article) >= {"id", "title", "text", "url", "source", "published_at", "status",
                            "entities", "dates", "error"}  # fmt: skip
    assert (article["text"], article["source"], article["status"]) == (
        body["text"],
        "wire",
        "queued",
    )
    assert article["entities"] == [] and article["dates"] == [] and article["error"] is None


def test_the_same_article_again_gets_the_same_id_and_no_second_task(
    api_redis: tuple[TestClient, redis.Redis],
) -> None:
    client, raw = api_redis
    body = {"title": "Same", "text": "The same words."}
    first = client.post("/articles", json=body).json()
    second = client.post("/articles", json=body)
    assert second.status_code == 202 and second.json()["id"] == first["id"]
    assert queued_article_ids(raw) == [first["id"]]


def test_seed_article_round_trips_its_text_exactly(
    api_redis: tuple[TestClient, redis.Redis],
) -> None:
    client, _ = api_redis
    text = (SEED / "world-powers-fail-to-salvage-syrian-truce.txt").read_text()
    answer = client.post(
        "/articles", json={"title": "World powers", "text": text, "published_at": "2016-09-23"}
    )
    article = client.get(answer.headers["location"]).json()
    assert article["text"] == text
    assert article["published_at"].startswith("2016-09-23T00:00:00")


def test_unknown_id_is_a_404_problem(api_redis: tuple[TestClient, redis.Redis]) -> None:
    client, _ = api_redis
    answer = client.get("/articles/doesnotexist")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == 404 and "doesnotexist" in answer.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"title": "no text"},
        {"title": "", "text": "x"},
        {"title": "t", "text": "x", "published_at": "soon"},
    ],
)
def test_invalid_body_is_a_422_problem_and_stores_nothing(
    api_redis: tuple[TestClient, redis.Redis], body: dict[str, str]
) -> None:
    client, raw = api_redis
    answer = client.post("/articles", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["errors"]
    assert raw.dbsize() == 0
    assert client.get("/articles").json()["items"] == []


def test_malformed_json_is_a_422_problem(api_redis: tuple[TestClient, redis.Redis]) -> None:
    client, _ = api_redis
    answer = client.post(
        "/articles", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM


def test_health_and_readiness_without_a_worker(api_redis: tuple[TestClient, redis.Redis]) -> None:
    client, _ = api_redis
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["content-type"] == PROBLEM
    assert "no enrich worker" in ready.json()["detail"]


def test_readiness_with_a_worker_heartbeat(api_redis: tuple[TestClient, redis.Redis]) -> None:
    client, _ = api_redis
    client.app.state.bus.record_heartbeat("enrich", "w1")  # type: ignore[attr-defined]
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ready",
        "redis": True,
        "database": True,
        "enrich_workers": 1,
    }


def test_the_apis_start_up_objects_are_left_out_of_full_collections(
    database_url: str, redis_url: str
) -> None:
    # A full collection walks every object not frozen; the API's start-up leaves ~140,000 of
    # them (a 76 ms pause for every request in flight), so it freezes them once started.
    gc.unfreeze()
    settings = Settings(redis_url=redis_url.rsplit("/", 1)[0] + "/1", database_url=database_url)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 50_000
    assert gc.get_freeze_count() == 0  # thawed when the app stops
