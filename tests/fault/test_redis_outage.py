"""Redis goes away mid-stream: the API answers 503 fast, recovers alone, loses nothing accepted."""

from __future__ import annotations

import time

import httpx
import pytest

from shared.models import ArticleStatus
from shared.store import Store
from tests.fault.conftest import dev_articles, finished
from tests.polling import wait_until
from tests.servers import RedisProcess, RunningStack

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PROBLEM = "application/problem+json"


def test_redis_restart_mid_stream_loses_nothing_accepted(
    redis_server: RedisProcess, fault_store: Store, stack: RunningStack
) -> None:
    api = stack.api
    articles = iter(dev_articles(200))
    accepted: list[str] = []

    def post() -> httpx.Response:
        answer = api.post("/articles", json=next(articles).model_dump(mode="json"))
        if answer.status_code == 202:
            accepted.append(answer.json()["id"])
        return answer

    for _ in range(40):
        assert post().status_code == 202
    assert fault_store.count_by_status()[ArticleStatus.ENRICHED] < len(accepted)  # mid-stream

    redis_server.kill()  # no clean shutdown: only the append-only file speaks for Redis
    for _ in range(3):
        started = time.monotonic()
        refused = post()
        assert time.monotonic() - started < 3
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == PROBLEM
        assert int(refused.headers["retry-after"]) > 0
    # The archive is in PostgreSQL: reads go on while the message bus is away.
    assert api.get(f"/articles/{accepted[0]}").status_code == 200

    redis_server.start()
    wait_until(lambda: post().status_code == 202, timeout=20, interval=0.2, what="API recovers")
    for _ in range(20):
        assert post().status_code == 202

    wait_until(
        lambda: finished(fault_store, accepted), timeout=120, interval=0.2, what="all enriched"
    )
    statuses = {fault_store.article_status(article_id) for article_id in accepted}
    assert statuses == {ArticleStatus.ENRICHED}
    assert fault_store.count_by_status()[ArticleStatus.ENRICHED] == len(accepted)
