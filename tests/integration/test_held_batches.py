"""Under a backlog the API holds new articles back a moment, so that they go to the workers a
batch per task (Redis db 6: no worker consumes there)."""

import base64
import json
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.queue import ENRICH_BATCH_SIZE, ENRICH_QUEUE, HOLD_WHEN_WAITING
from shared.settings import Settings
from tests.servers import empty_archive

pytestmark = pytest.mark.integration


@pytest.fixture
def broker(database_url: str, redis_url: str) -> Iterator[tuple[Settings, redis.Redis]]:
    url = redis_url.rsplit("/", 1)[0] + "/6"
    raw = redis.Redis.from_url(url)
    raw.flushdb()
    empty_archive(database_url)
    # Held far longer than a test takes: what goes out early went by count, not by time.
    yield Settings(redis_url=url, database_url=database_url, enrich_hold_seconds=10), raw
    raw.flushdb()
    raw.close()


def article(n: int) -> dict[str, str]:
    return {"title": f"Story {n}", "text": f"Angela Merkel met Emmanuel Macron, round {n}."}


def task_ids(raw: redis.Redis) -> list[list[str]]:
    """The article ids of each task waiting on the queue, oldest first."""
    tasks = []
    for message in reversed(raw.lrange(ENRICH_QUEUE, 0, -1)):
        args, _, _ = json.loads(base64.b64decode(json.loads(message)["body"]))
        tasks.append(args[0] if isinstance(args[0], list) else [args[0]])
    return tasks


def post(client: TestClient, n: int) -> str:
    answer = client.post("/articles", json=article(n))
    assert answer.status_code == 202
    article_id: str = answer.json()["id"]
    return article_id


def test_without_a_backlog_each_article_goes_at_once(
    broker: tuple[Settings, redis.Redis],
) -> None:
    settings, raw = broker
    with TestClient(create_app(settings)) as client:
        ids = [post(client, n) for n in range(HOLD_WHEN_WAITING)]
        assert task_ids(raw) == [[article_id] for article_id in ids]


def test_under_a_backlog_articles_go_a_batch_per_task(
    broker: tuple[Settings, redis.Redis],
) -> None:
    settings, raw = broker
    with TestClient(create_app(settings)) as client:
        backlog = [[post(client, n)] for n in range(HOLD_WHEN_WAITING)]
        held = [post(client, 100), post(client, 101)]
        assert task_ids(raw) == backlog
        answer = client.post(
            "/articles/batch", json={"articles": [article(200 + n) for n in range(9)]}
        )
        held += [item["id"] for item in answer.json()["items"]]
        assert task_ids(raw) == [*backlog, held[:ENRICH_BATCH_SIZE]]
        held.append(post(client, 300))
    # The API stopped: what it held went out with it.
    assert task_ids(raw) == [*backlog, held[:ENRICH_BATCH_SIZE], held[ENRICH_BATCH_SIZE:]]
