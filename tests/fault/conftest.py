"""Fault-test fixtures: a Redis of each test's own (append-only), the session's PostgreSQL
emptied per test, workers as process groups."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared.bus import Bus
from shared.models import ArticleIn, ArticleStatus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from tests.polling import wait_until
from tests.servers import (
    ROOT,
    RedisProcess,
    RunningStack,
    empty_archive,
    gazette_env,
    gazette_stack,
    redis_process,
)

# News texts shipped with the tests (tests/data/README.md says where they come from).
NEWS_SAMPLE = ROOT / "tests" / "data" / "meantime-sample.jsonl"

# Small clock values so that the sweeper and dead-lettering act within a test's patience.
FAULT_SETTINGS = {
    "GAZETTE_ENRICH_CONCURRENCY": "2",
    "GAZETTE_SWEEP_AFTER_SECONDS": "3",
    "GAZETTE_SWEEP_EVERY_SECONDS": "0.5",
    "GAZETTE_MAX_ATTEMPTS": "3",
    "GAZETTE_WORKER_HEARTBEAT_SECONDS": "3",
}


@pytest.fixture
def redis_server() -> Iterator[RedisProcess]:
    with redis_process(appendonly=True) as server:
        yield server


@pytest.fixture
def fault_store(database_url: str) -> Iterator[Store]:
    empty_archive(database_url)
    store = Store.from_url(database_url)
    yield store
    store.close()


@pytest.fixture
def fault_bus(redis_server: RedisProcess) -> Iterator[Bus]:
    bus = Bus.from_url(redis_server.url)
    yield bus
    bus.close()


@pytest.fixture
def fault_queue(redis_server: RedisProcess) -> EnrichQueue:
    return EnrichQueue(create_celery_app(Settings(redis_url=redis_server.url)))


class Worker:
    """An enrich worker (main process and pool) in a process group of its own."""

    def __init__(
        self, url: str, database_url: str, log: Path, module: str = "services.cli"
    ) -> None:
        args = ["worker", "enrich"] if module == "services.cli" else []
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=ROOT,
                env=gazette_env(
                    GAZETTE_REDIS_URL=url, GAZETTE_DATABASE_URL=database_url, **FAULT_SETTINGS
                ),
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def wait_ready(self, bus: Bus) -> None:
        pid = f"-{self.process.pid}"
        wait_until(
            lambda: any(name.endswith(pid) for name in bus.live_workers("enrich", 3.0)),
            timeout=90, interval=0.1, what=f"enrich worker ready ({self.log})",
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the whole group: what a killed container or an OOM-killed host looks like."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def start_worker(
    redis_server: RedisProcess, database_url: str, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(module: str = "services.cli") -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        worker = Worker(redis_server.url, database_url, log, module)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def dev_articles(count: int) -> list[ArticleIn]:
    """`count` real news texts, each made unique so that none is deduplicated."""
    with NEWS_SAMPLE.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    run = uuid.uuid4().hex[:8]
    picked = [rows[i % len(rows)] for i in range(count)]
    return [
        ArticleIn(title=f"{row['title']} [{run}-{i}]", text=row["text"])
        for i, row in enumerate(picked)
    ]


def finished(store: Store, ids: list[str]) -> bool:
    """Every article enriched or failed."""
    done = {ArticleStatus.ENRICHED, ArticleStatus.FAILED}
    return all(store.article_status(i) in done for i in ids)


@pytest.fixture
def stack(
    redis_server: RedisProcess, fault_store: Store, database_url: str, tmp_path: Path
) -> Iterator[RunningStack]:
    """`gazette up` on the test's Redis and the session's (emptied) PostgreSQL: the API and
    workers, supervised as in production."""
    with gazette_stack(
        tmp_path,
        GAZETTE_REDIS_URL=redis_server.url,
        GAZETTE_DATABASE_URL=database_url,
        **FAULT_SETTINGS,
    ) as up:
        yield up
