"""The feeds resource over HTTP, against a real Redis (db 9, flushed around each test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.settings import Settings
from tests.servers import empty_archive

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
def client(database_url: str, redis_url: str) -> Iterator[TestClient]:
    url = redis_url.rsplit("/", 1)[0] + "/9"
    raw = redis.Redis.from_url(url, decode_responses=True)
    raw.flushdb()
    empty_archive(database_url)
    settings = Settings(redis_url=url, database_url=database_url, feed_interval_seconds=600)
    with TestClient(create_app(settings)) as api:
        yield api
    raw.flushdb()
    raw.close()


def test_a_feed_is_created_listed_read_polled_and_deleted(client: TestClient) -> None:
    created = client.post(
        "/feeds",
        json={"url": "https://news.test/rss.xml", "source": "News", "interval_seconds": 120},
    )
    assert created.status_code == 201
    feed = created.json()
    assert created.headers["location"] == f"/feeds/{feed['id']}"
    assert (feed["url"], feed["source"], feed["interval_seconds"]) == (
        "https://news.test/rss.xml", "News", 120,
    )  # fmt: skip
    assert (feed["last_status"], feed["articles"], feed["last_polled_at"]) == ("new", 0, None)
    assert {"last_error", "etag", "last_modified", "next_poll_at"} <= set(feed)

    other = client.post("/feeds", json={"url": "http://other.test/atom"}).json()
    assert other["interval_seconds"] == 600  # the configured default
    assert [f["id"] for f in client.get("/feeds").json()] == [feed["id"], other["id"]]
    assert client.get(f"/feeds/{feed['id']}").json() == feed

    again = client.post("/feeds", json={"url": "https://news.test/rss.xml"})
    assert again.status_code == 200 and again.json()["id"] == feed["id"]

    polled = client.post(f"/feeds/{feed['id']}/poll")
    assert polled.status_code == 202 and polled.json()["id"] == feed["id"]

    assert client.delete(f"/feeds/{feed['id']}").status_code == 204
    gone = client.get(f"/feeds/{feed['id']}")
    assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM
    assert [f["id"] for f in client.get("/feeds").json()] == [other["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://news.test/rss.xml"},
        {"url": "file:///etc/passwd"},
        {"url": "news.test/rss.xml"},
        {"url": "https://news.test/rss.xml", "interval_seconds": 5},
        {"url": "https://news.test/rss.xml", "interval_seconds": 10**9},
        {"url": "https://news.test/rss.xml", "colour": "blue"},
        {},
    ],
)
def test_invalid_feeds_are_refused_with_422(client: TestClient, body: dict[str, object]) -> None:
    answer = client.post("/feeds", json=body)
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert client.get("/feeds").json() == []


@pytest.mark.parametrize(("method", "path"), [("GET", ""), ("DELETE", ""), ("POST", "/poll")])
def test_an_unknown_feed_is_a_404_problem(client: TestClient, method: str, path: str) -> None:
    answer = client.request(method, f"/feeds/0123456789abcdef{path}")
    assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["title"] == "Feed not found"
