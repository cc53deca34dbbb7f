"""A database that is busy or away is a fast 503, never a hang: an exhausted pool, a stopped
server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from services.api.app import create_app
from shared.errors import StoreUnavailable
from shared.models import ArticleIn
from shared.settings import Settings
from shared.store import Store
from tests.polling import wait_until
from tests.servers import empty_archive, postgres_process

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"
POOL_TIMEOUT = 0.5


def one_connection_api(database_url: str, redis_url: str, **settings: float) -> TestClient:
    """An API on an empty archive whose pools hold one connection each (Redis db 9: no worker
    takes the tasks), with `settings` besides."""
    empty_archive(database_url)
    return TestClient(
        create_app(
            Settings(
                redis_url=redis_url.rsplit("/", 1)[0] + "/9",
                database_url=database_url,
                database_pool_min=1,
                database_pool_max=1,
                **settings,  # type: ignore[arg-type]
            )
        )
    )


@pytest.fixture
def client(database_url: str, redis_url: str) -> Iterator[TestClient]:
    with one_connection_api(database_url, redis_url, database_pool_timeout=POOL_TIMEOUT) as api:
        yield api


def assert_fast_503(answer_of: object) -> None:
    started = time.monotonic()
    answer = answer_of()  # type: ignore[operator]
    assert time.monotonic() - started < POOL_TIMEOUT + 2
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert int(answer.headers["retry-after"]) > 0


def test_an_exhausted_pool_answers_503_and_does_not_hang(client: TestClient) -> None:
    article_id = client.post("/articles", json={"title": "T", "text": "Words."}).json()["id"]
    reader = client.app.state.reader.database.pool  # type: ignore[attr-defined]
    writer = client.app.state.store.database.pool  # type: ignore[attr-defined]
    held_read = client.portal.call(reader.getconn)  # type: ignore[union-attr]
    held_write = writer.getconn()
    try:
        assert_fast_503(lambda: client.get(f"/articles/{article_id}"))
        assert_fast_503(lambda: client.get("/articles"))
        assert_fast_503(lambda: client.post("/articles", json={"title": "U", "text": "More."}))
    finally:
        client.portal.call(reader.putconn, held_read)  # type: ignore[union-attr]
        writer.putconn(held_write)
    assert client.get(f"/articles/{article_id}").status_code == 200


def test_a_stopped_server_is_store_unavailable_within_the_pool_timeout() -> None:
    with postgres_process() as server:
        store = Store.from_url(server.url, max_size=1, timeout=POOL_TIMEOUT)
        article_id, _ = store.save_article(ArticleIn(title="T", text="Words."))
        server.stop()
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.get_article(article_id)
        assert time.monotonic() - started < POOL_TIMEOUT + 3
        server.start()
        server.wait_ready()

        def read_back() -> bool:
            try:
                return store.get_article(article_id).id == article_id
            except StoreUnavailable:
                return False

        wait_until(read_back, timeout=30, interval=0.2, what="the pool reconnects")
        store.close()


def test_the_apis_connections_plan_no_parallel_workers(client: TestClient) -> None:
    # Parallel workers compete with the other requests for the same cores (shared/store/db.py);
    # the setting is the session's, whatever the server's default.
    async def read_setting() -> str:
        async with client.app.state.reader.database.connection() as conn:  # type: ignore[attr-defined]
            row = await (await conn.execute("SHOW max_parallel_workers_per_gather")).fetchone()
        return str(row["max_parallel_workers_per_gather"])

    assert client.portal.call(read_setting) == "0"  # type: ignore[union-attr]
    with client.app.state.store.database.connection() as conn:  # type: ignore[attr-defined]
        row = conn.execute("SHOW max_parallel_workers_per_gather").fetchone()
    assert row is not None and row["max_parallel_workers_per_gather"] == "0"


READ_TIMEOUT = 0.3


def test_a_read_held_past_its_time_limit_is_cancelled_and_answered_503(
    database_url: str, redis_url: str
) -> None:
    """A read that runs too long (here: blocked by a lock held over the articles, as a costly
    question would run) is cancelled by PostgreSQL at `GAZETTE_DATABASE_READ_TIMEOUT`, and the
    client gets a 503 problem that says so; the connection is free again for the next read."""
    with one_connection_api(database_url, redis_url, database_read_timeout=READ_TIMEOUT) as client:
        article_id = client.post("/articles", json={"title": "T", "text": "Words."}).json()["id"]
        with psycopg.connect(database_url) as blocker:
            blocker.execute("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
            for path in (f"/articles/{article_id}", "/articles?q=words", "/articles"):
                started = time.monotonic()
                answer = client.get(path)
                assert time.monotonic() - started < READ_TIMEOUT + 2
                assert answer.status_code == 503, answer.text
                assert answer.headers["content-type"] == PROBLEM
                assert answer.json()["title"] == "Query took too long"
                assert "0.3 s limit" in answer.json()["detail"]
            blocker.rollback()
        assert client.get(f"/articles/{article_id}").json()["title"] == "T"
