"""What a user of the compose stack sees, checked against a running stack (make compose-test).

usage: python -m tests.compose.check_stack --api URL --inbox DIR --enrich-container ID
                                           --compose "docker-compose --project-name NAME"

1. the seed article, POSTed with its publication date, comes back enriched: Sergei Lavrov, and
   "Thursday" as 2016-09-22;
2. a file dropped into the inbox is ingested and enriched;
3. articles POSTed around a crash of the enrich container (SIGKILL from outside Docker) and around
   `docker kill` of it all end enriched: the restart policy brings it back from the first,
   `docker-compose up -d` from the second (Docker holds restart policies after `docker kill`).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.polling import wait_until

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "articles" / "world-powers-fail-to-salvage-syrian-truce.txt"
SAMPLE = ROOT / "tests" / "data" / "meantime-sample.jsonl"
AROUND_THE_KILL = 10
# A task a kill interrupted is re-queued by the sweeper (150 s by default, plus a round).
RECOVERY_SECONDS = 300


def log(message: str) -> None:
    print(f"compose-test: {message}", flush=True)


def article(api: httpx.Client, article_id: str) -> dict[str, Any]:
    answer = api.get(f"/articles/{article_id}")
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


def wait_enriched(api: httpx.Client, article_id: str, timeout: float) -> dict[str, Any]:
    wait_until(
        lambda: article(api, article_id)["status"] in ("enriched", "failed"),
        timeout=timeout, interval=0.1, what=f"article {article_id} enriched",
    )  # fmt: skip
    found = article(api, article_id)
    assert found["status"] == "enriched", found.get("error")
    return found


def check_seed_article(api: httpx.Client) -> None:
    title, _, text = SEED.read_text(encoding="utf-8").partition("\n")
    started = time.perf_counter()
    body = {"title": title, "text": text, "published_at": "2016-09-23"}
    answer = api.post("/articles", json=body)
    assert answer.status_code == 202, answer.text
    found = wait_enriched(api, answer.json()["id"], timeout=120)
    seconds = time.perf_counter() - started
    people = {e["text"] for e in found["entities"] if e["label"] == "PERSON"}
    assert "Sergei Lavrov" in people, people
    thursday = [d for d in found["dates"] if d["text"] == "Thursday"]
    assert thursday and thursday[0]["value"] == "2016-09-22", found["dates"]
    log(f"TIMING article enriched (POST to enriched): {seconds:.2f} s")
    log("seed article: Sergei Lavrov (PERSON), Thursday -> 2016-09-22")


def check_inbox(api: httpx.Client, inbox: Path) -> None:
    token = uuid.uuid4().hex[:8]
    title = f"Inbox check {token}"
    name = f"compose-test-{token}.txt"
    # Written beside the inbox's files, then renamed in: the worker never sees half a file.
    part = inbox / f".{name}.part"
    part.write_text(f"{title}\nSergei Lavrov met John Kerry in Geneva on Thursday.\n", "utf-8")
    part.rename(inbox / name)

    def enriched_by_title() -> bool:
        listed = api.get("/articles", params={"status": "enriched", "limit": 50}).json()
        return any(item["title"] == title for item in listed["items"])

    wait_until(enriched_by_title, timeout=120, interval=0.2, what=f"inbox file {name} enriched")
    assert (inbox / "done" / name).exists(), sorted(p.name for p in inbox.rglob("*"))
    log(f"inbox: {name} ingested, enriched and moved to done/")


def sample_articles(count: int) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    run = uuid.uuid4().hex[:8]
    picked = [rows[i % len(rows)] for i in range(count)]
    return [
        {"title": f"{row['title']} [{run}-{i}]", "text": row["text"]}
        for i, row in enumerate(picked)
    ]


def inspect(container: str, template: str) -> str:
    out = subprocess.run(
        ["docker", "inspect", "--format", template, container],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


def post_all(api: httpx.Client, articles: list[dict[str, str]]) -> list[str]:
    ids = []
    for body in articles:
        answer = api.post("/articles", json=body)
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    return ids


def wait_back(container: str, restarts: int, what: str) -> None:
    """The container running again, `restarts` restarts counted so far (-1: any)."""
    wait_until(
        lambda: inspect(container, "{{.State.Running}}") == "true"
        and int(inspect(container, "{{.RestartCount}}")) > restarts,
        timeout=120, interval=0.2, what=what,
    )  # fmt: skip


def check_killed_worker(api: httpx.Client, container: str, compose: list[str]) -> None:
    """Articles posted around a crash and around `docker kill` all end enriched."""
    everything = sample_articles(4 * AROUND_THE_KILL)
    size = AROUND_THE_KILL
    batches = [everything[i : i + size] for i in range(0, len(everything), size)]
    started = time.perf_counter()

    # A crash: the container's main process SIGKILLed from outside Docker, as the kernel's OOM
    # killer does it. The restart policy brings it back.
    ids = post_all(api, batches[0])
    restarts = int(inspect(container, "{{.RestartCount}}"))
    os.kill(int(inspect(container, "{{.State.Pid}}")), signal.SIGKILL)
    ids += post_all(api, batches[1])
    wait_back(container, restarts, "the restart policy restarting the crashed enrich container")
    seconds = time.perf_counter() - started
    log(f"crash: enrich SIGKILLed, back by its restart policy in {seconds:.1f} s")

    # `docker kill`: Docker takes it for the operator's own stop and holds every restart policy
    # (always included) until the container is started again, which `up -d` does.
    ids += post_all(api, batches[2])
    killed_at = time.perf_counter()
    subprocess.run(["docker", "kill", container], check=True, capture_output=True)
    ids += post_all(api, batches[3])
    subprocess.run([*compose, "up", "-d"], check=True, capture_output=True)
    wait_back(container, -1, "compose starting the killed enrich container again")
    log(f"docker kill: enrich back by `up -d` in {time.perf_counter() - killed_at:.1f} s")

    def all_done() -> bool:
        return all(article(api, i)["status"] in ("enriched", "failed") for i in ids)

    wait_until(all_done, timeout=RECOVERY_SECONDS, interval=1, what="every article enriched")
    statuses = [article(api, i) for i in ids]
    failed = [a["id"] for a in statuses if a["status"] != "enriched"]
    assert not failed, f"not enriched: {failed}"
    again = sum(1 for a in statuses if a["attempts"] >= 2)
    log(
        f"killed worker: all {len(ids)} articles posted around the two kills enriched,"
        f" {again} of them delivered again, {time.perf_counter() - started:.1f} s in all"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--enrich-container", required=True)
    parser.add_argument("--compose", required=True, help="the compose command, project included")
    args = parser.parse_args(argv)
    with httpx.Client(base_url=args.api, timeout=10) as api:
        check_seed_article(api)
        check_inbox(api, args.inbox)
        check_killed_worker(api, args.enrich_container, shlex.split(args.compose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
