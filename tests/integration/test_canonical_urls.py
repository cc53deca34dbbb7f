"""One story reached by different links is one article, whichever way it comes in (Redis db 9:
no worker takes the tasks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.settings import Settings
from tests.servers import empty_archive

pytestmark = pytest.mark.integration


@pytest.fixture
def client(database_url: str, redis_url: str) -> Iterator[TestClient]:
    url = redis_url.rsplit("/", 1)[0] + "/9"
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.flushdb()
    empty_archive(database_url)
    with TestClient(create_app(Settings(redis_url=url, database_url=database_url))) as api:
        yield api
    raw.flushdb()
    raw.close()


def test_the_api_stores_an_articles_canonical_url_and_dedupes_on_it(client: TestClient) -> None:
    body = {"title": "Barrier", "text": "The flood barrier opened on Tuesday."}
    first = client.post(
        "/articles",
        json={**body, "url": "HTTPS://Courier.Example:443/news/a?utm_source=x&b=2&a=1#top"},
    )
    again = client.post(
        "/articles",
        json={**body, "text": "Updated words.", "url": "https://courier.example/news/a?a=1&b=2"},
    )
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    stored = client.get(f"/articles/{first.json()['id']}").json()
    assert stored["url"] == "https://courier.example/news/a?a=1&b=2"


def test_a_url_that_is_not_parseable_is_refused(client: TestClient) -> None:
    # It could be neither fetched nor linked to; an article URL is absolute http(s) only.
    answer = client.post(
        "/articles", json={"title": "T", "text": "Words.", "url": "http://[broken/page"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"][-1] == "url"
