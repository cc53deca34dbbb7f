"""PostgreSQL SIGKILLed mid-stream under `gazette up` (its embedded server): the API answers 503
problem+json fast while it is away, and once the supervisor has restarted it every accepted
article ends enriched, once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.fault.conftest import FAULT_SETTINGS, dev_articles
from tests.polling import wait_until
from tests.servers import RunningStack, gazette_stack

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PROBLEM = "application/problem+json"
# The embedded server's command line ends with this (services/postgres.py).
POSTGRES_ARGV = ("-c", "listen_addresses=127.0.0.1")


@pytest.fixture
def embedded_stack(tmp_path: Path) -> Iterator[RunningStack]:
    """`gazette up` with its own embedded PostgreSQL (no GAZETTE_DATABASE_URL) and Redis."""
    with gazette_stack(tmp_path, GAZETTE_DATABASE_POOL_TIMEOUT="1", **FAULT_SETTINGS) as up:
        yield up


def archive_rows(stack: RunningStack, sql: str) -> list[tuple[object, ...]]:
    url = (stack.data_dir / "postgres.url").read_text().strip()
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def test_postgres_killed_mid_stream_answers_503_then_enriches_every_202_once(
    embedded_stack: RunningStack,
) -> None:
    stack, api = embedded_stack, embedded_stack.api
    articles = iter(dev_articles(120))
    accepted: list[str] = []

    def post() -> httpx.Response:
        answer = api.post("/articles", json=next(articles).model_dump(mode="json"))
        if answer.status_code == 202:
            accepted.append(answer.json()["id"])
        return answer

    for _ in range(40):
        assert post().status_code == 202
    # Hold the supervisor, so that the outage lasts until we say so; then SIGKILL the server,
    # postmaster and backends (each backend is a process group of its own), as a killed
    # container would be.
    os.kill(stack.process.pid, signal.SIGSTOP)
    try:
        postmaster = stack.child(*POSTGRES_ARGV)
        backends = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        for pid in [postmaster, *map(int, backends)]:
            os.kill(pid, signal.SIGKILL)
        for request in (post, lambda: api.get(f"/articles/{accepted[0]}"),
                        lambda: api.get("/articles?q=talks")) * 2:  # fmt: skip
            started = time.monotonic()
            refused = request()
            assert time.monotonic() - started < 3, "the API must not hang on a dead database"
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"] == PROBLEM
            assert int(refused.headers["retry-after"]) > 0
    finally:
        os.kill(stack.process.pid, signal.SIGCONT)

    wait_until(lambda: post().status_code == 202, timeout=60, interval=0.2, what="API recovers")
    for _ in range(20):
        assert post().status_code == 202

    def all_enriched() -> bool:
        rows = archive_rows(stack, "SELECT status, count(*) FROM article_status GROUP BY status")
        return dict(rows) == {"enriched": len(accepted)}  # type: ignore[arg-type]

    wait_until(all_enriched, timeout=180, interval=0.5, what=f"all enriched ({stack.log})")
    for article_id in accepted:
        article = api.get(f"/articles/{article_id}").json()
        assert article["status"] == "enriched" and article["error"] is None
        spans = [(e["start"], e["end"], e["label"]) for e in article["entities"]]
        assert len(spans) == len(set(spans))  # one result, not two appended
    # One row per (article, entity) and entity counts that match them: stored once.
    [(pairs, distinct)] = archive_rows(
        stack, "SELECT count(*), count(DISTINCT (article_id, entity_key)) FROM article_entities"
    )
    assert pairs == distinct
    assert (
        archive_rows(
            stack,
            "SELECT e.id FROM entities e LEFT JOIN article_entities ae ON ae.entity_key = e.key "
            "GROUP BY e.id, e.articles HAVING e.articles <> count(ae.article_id)",
        )
        == []
    )
