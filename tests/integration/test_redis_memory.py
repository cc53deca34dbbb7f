"""Redis holds only the message bus: enriching hundreds of articles leaves its memory flat (the
archive grew in PostgreSQL, not in Redis)."""

from __future__ import annotations

import json
import uuid

import pytest
import redis

from shared.bus import Bus
from shared.models import ArticleIn, ArticleStatus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_articles
from tests.conftest import SEED
from tests.polling import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.usefixtures("enrich_worker")]

ARTICLES = 300
# Before the move, one enriched article cost about 32 KiB of Redis memory.
BUDGET_PER_ARTICLE = 1024


def articles(count: int) -> list[ArticleIn]:
    rows = [
        json.loads(line)
        for line in (SEED / "articles" / "wikinews-sample.jsonl").read_text().splitlines()
        if line.strip()
    ]
    run = uuid.uuid4().hex[:8]
    return [
        ArticleIn(
            title=f"{rows[n % len(rows)]['title']} [{run}-{n}]", text=rows[n % len(rows)]["text"]
        )
        for n in range(count)
    ]


def test_redis_memory_stays_flat_while_the_archive_grows(
    store: Store, settings: Settings, redis_client: redis.Redis
) -> None:
    bus = Bus.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    before = int(redis_client.info("memory")["used_memory"])
    ids = [accepted.id for accepted, _ in submit_articles(store, bus, queue, articles(ARTICLES))]
    wait_until(
        lambda: store.count_by_status()[ArticleStatus.ENRICHED] == ARTICLES,
        timeout=600, interval=0.5, what=f"{ARTICLES} articles enriched",
    )  # fmt: skip
    grown = int(redis_client.info("memory")["used_memory"]) - before
    assert grown < BUDGET_PER_ARTICLE * len(ids), f"Redis grew {grown} bytes for {len(ids)}"
    bus.close()
