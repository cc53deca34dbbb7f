"""`gazette up` as a user runs it: embedded PostgreSQL and Redis, API, workers; the seed
article end to end."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.polling import wait_until
from tests.servers import RunningStack, gazette_env, gazette_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with gazette_stack(tmp_path_factory.mktemp("stack"), GAZETTE_ENRICH_CONCURRENCY="1") as up:
        yield up


def wait_enriched(stack: RunningStack, location: str) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        article: dict[str, Any] = stack.api.get(location).json()
        return article if article["status"] in ("enriched", "failed") else None

    return wait_until(finished, timeout=60, what=f"enrichment of {location}")


def test_seed_article_end_to_end(stack: RunningStack) -> None:
    text = (SEED / "world-powers-fail-to-salvage-syrian-truce.txt").read_text()
    title, _, body = text.partition("\n")
    answer = stack.api.post(
        "/articles", json={"title": title, "text": body, "published_at": "2016-09-23"}
    )
    assert answer.status_code == 202, answer.text
    article = wait_enriched(stack, answer.headers["location"])

    assert article["status"] == "enriched", article["error"]
    people = {e["text"] for e in article["entities"] if e["label"] == "PERSON"}
    assert {"Sergei Lavrov", "John Kerry", "Jean-Marc Ayrault"} <= people
    thursdays = [d for d in article["dates"] if d["text"] == "Thursday"]
    assert thursdays and all(d["value"] == "2016-09-22" for d in thursdays)
    on_thursday = body.index("on Thursday") + len("on ")
    assert any(d["start"] == on_thursday and d["value"] == "2016-09-22" for d in thursdays)
    for mention in [*article["entities"], *article["dates"]]:
        assert body[mention["start"] : mention["end"]] == mention["text"]


def test_ingest_command_queues_files_into_the_running_stack(
    stack: RunningStack, tmp_path: Path
) -> None:
    # No GAZETTE_REDIS_URL nor GAZETTE_DATABASE_URL: the command finds the embedded servers the
    # running stack announced.
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        '{"title": "Merkel visits Paris", "text": "Angela Merkel met Emmanuel Macron in Paris '
        'on Monday.", "published_at": "2017-06-01"}\n'
    )
    result = subprocess.run(
        [*_gazette(), "ingest", str(batch)],
        env=gazette_env(GAZETTE_DATA_DIR=str(stack.data_dir)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    article_id, status, origin = result.stdout.strip().split("\t")
    assert status == "queued" and origin == f"{batch}:1"
    article = wait_enriched(stack, f"/articles/{article_id}")
    assert {"Angela Merkel", "Emmanuel Macron"} <= {e["text"] for e in article["entities"]}
    assert any(d["text"] == "Monday" for d in article["dates"])


def test_sigterm_stops_every_process(tmp_path: Path) -> None:
    with gazette_stack(tmp_path) as up:
        children = up.child_pids()
        assert len(children) == 5  # redis, postgres, enrich, ingest, api
        up.process.send_signal(signal.SIGTERM)
        assert up.process.wait(timeout=30) == 0
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
        # No stale pointer left behind.
        assert not (up.data_dir / "redis.url").exists()
        assert not (up.data_dir / "postgres.url").exists()
        with pytest.raises(httpx.ConnectError):
            up.api.get("/healthz")


def test_the_archive_is_kept_across_restarts(tmp_path: Path) -> None:
    body = {"title": "Kept", "text": "Angela Merkel met Emmanuel Macron in Paris on Monday."}
    with gazette_stack(tmp_path, GAZETTE_ENRICH_CONCURRENCY="1") as up:
        location = up.api.post("/articles", json=body).headers["location"]
        before = wait_enriched(up, location)
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    with gazette_stack(tmp_path, GAZETTE_ENRICH_CONCURRENCY="1") as again:
        assert again.api.get(location).json() == before
        assert again.api.post("/articles", json=body).json()["id"] == before["id"]


def _gazette() -> list[str]:
    import sys

    return [sys.executable, "-m", "services.cli"]
