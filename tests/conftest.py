"""Session-wide fixtures: a real Redis on a free port, a real Celery worker, the real model."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.keys import Keys
from shared.settings import Settings
from shared.store import Store
from tests.containers import redis_choice
from tests.polling import wait_until
from tests.servers import gazette_env, gazette_process, test_redis_url

SEED = Path(__file__).resolve().parent.parent / "seeds"


def pytest_report_header() -> str:
    choice = redis_choice()
    where = "a container" if choice.containers else "a local redis-server"
    return f"redis: {where} ({choice.reason})"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with test_redis_url() as url:
        yield url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def store(redis_url: str) -> Iterator[Store]:
    """A store under a prefix of its own, so that tests never see each other's keys."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield Store(client, Keys(f"test-{uuid.uuid4().hex[:8]}"))
    client.close()


@pytest.fixture(scope="session")
def settings(redis_url: str) -> Settings:
    return Settings(redis_url=redis_url, enrich_concurrency=1)


@pytest.fixture(scope="session")
def enrich_worker(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A real `gazette worker enrich` process on the session's Redis."""
    log = tmp_path_factory.mktemp("worker") / "enrich.log"
    env = gazette_env(GAZETTE_REDIS_URL=redis_url, GAZETTE_ENRICH_CONCURRENCY="1")
    with gazette_process(["worker", "enrich"], env, log):
        probe = Store.from_url(redis_url)
        wait_until(
            lambda: probe.live_workers("enrich", 5.0), timeout=60, what=f"enrich worker ({log})"
        )
        probe.close()
        yield
