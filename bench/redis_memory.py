"""Redis memory per enriched article on `gazette up`: it must stay flat (the archive is in
PostgreSQL; Redis carries only the queue, events, heartbeats and counters).

Starts `gazette up` in a temporary folder (embedded PostgreSQL and Redis), reads Redis'
`used_memory`, submits N articles (the seed Wikinews texts, made unique) in batches, waits until
every one is enriched, and reads `used_memory` again.

    .venv/bin/python -m bench.redis_memory [--articles 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import redis

from bench.query import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "articles" / "wikinews-sample.jsonl"
BATCH = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    rows = [json.loads(line) for line in SEED.read_text().splitlines() if line.strip()]
    run = uuid.uuid4().hex[:8]
    bodies = [
        {
            "title": f"{rows[n % len(rows)]['title']} [{run}-{n}]",
            "text": rows[n % len(rows)]["text"],
        }
        for n in range(args.articles)
    ]
    with tempfile.TemporaryDirectory(prefix="gazette-bench-") as home:
        data = Path(home) / "data"
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
        env.update(GAZETTE_DATA_DIR=str(data), GAZETTE_API_PORT=str(port),
                   GAZETTE_LOG_LEVEL="WARNING")  # fmt: skip
        log = (Path(home) / "up.log").open("wb")
        up = subprocess.Popen([sys.executable, "-m", "services.cli", "up"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        try:
            wait_for(lambda: api.get("/readyz").status_code == 200, "a ready stack", 120)
            broker = redis.Redis.from_url((data / "redis.url").read_text().strip())
            database = (data / "postgres.url").read_text().strip()
            before = int(broker.info("memory")["used_memory"])
            began = time.perf_counter()
            for first in range(0, len(bodies), BATCH):
                answer = api.post(
                    "/articles/batch", json={"articles": bodies[first : first + BATCH]}
                )
                answer.raise_for_status()

            def enriched() -> bool:
                with psycopg.connect(database) as conn:
                    row = conn.execute(
                        "SELECT count(*) FROM article_status WHERE status = 'enriched'"
                    )
                    return int(row.fetchone()[0]) >= len(bodies)  # type: ignore[index]

            wait_for(enriched, f"{len(bodies)} enriched articles", 3600)
            took = time.perf_counter() - began
            after = int(broker.info("memory")["used_memory"])
            with psycopg.connect(database) as conn:
                size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            grown = after - before
            print(f"{len(bodies)} articles enriched in {took:.1f}s")
            print(f"redis used_memory: {before} -> {after} bytes, grown {grown} bytes = "
                  f"{grown / len(bodies):.1f} bytes/article (budget 1024)")  # fmt: skip
            print(f"postgres database size: {size[0] / 2**20:.1f} MiB")  # type: ignore[index]
        finally:
            api.close()
            up.terminate()
            up.wait(timeout=60)
            log.close()


if __name__ == "__main__":
    main()
