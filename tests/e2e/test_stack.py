"""`gazette up` as a user runs it: embedded Redis, API, workers; the seed article end to end."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.polling import wait_until
from tests.servers import free_port, gazette_env, gazette_process

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles"


class Stack:
    def __init__(
        self, process: subprocess.Popen[bytes], base_url: str, log: Path, data_dir: Path
    ) -> None:
        self.process = process
        self.api = httpx.Client(base_url=base_url, timeout=10)
        self.log = log
        self.data_dir = data_dir


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    home = tmp_path_factory.mktemp("stack")
    port = free_port()
    env = gazette_env(
        GAZETTE_API_PORT=str(port),
        GAZETTE_DATA_DIR=str(home / "data"),
        GAZETTE_ENRICH_CONCURRENCY="1",
    )
    log = home / "gazette-up.log"
    with gazette_process(["up"], env, log) as process:
        running = Stack(process, f"http://127.0.0.1:{port}", log, home / "data")
        wait_until(
            lambda: running.api.get("/readyz").status_code == 200,
            timeout=90,
            what=f"a ready stack ({log})",
        )
        yield running


def wait_enriched(stack: Stack, location: str) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        article: dict[str, Any] = stack.api.get(location).json()
        return article if article["status"] in ("enriched", "failed") else None

    return wait_until(finished, timeout=60, what=f"enrichment of {location}")


def test_seed_article_end_to_end(stack: Stack) -> None:
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


def test_ingest_command_queues_files_into_the_running_stack(stack: Stack, tmp_path: Path) -> None:
    # No GAZETTE_REDIS_URL: the command finds the embedded Redis the running stack announced.
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
    port = free_port()
    env = gazette_env(GAZETTE_API_PORT=str(port), GAZETTE_DATA_DIR=str(tmp_path / "data"))
    log = tmp_path / "up.log"
    with gazette_process(["up"], env, log) as process:
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5)
        wait_until(lambda: api.get("/readyz").status_code == 200, timeout=90, what="ready stack")
        children = _child_pids(process.pid)
        assert len(children) == 4  # redis, enrich, ingest, api
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
        assert not (tmp_path / "data" / "redis.url").exists()  # no stale pointer left behind
        with pytest.raises(httpx.ConnectError):
            api.get("/healthz")


def _child_pids(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def _gazette() -> list[str]:
    import sys

    return [sys.executable, "-m", "services.cli"]
