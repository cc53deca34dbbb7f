"""Two checkouts' APIs on one kept archive, the same questions alternated: an A/B of a change.

Starts the archive `bench/archive.py --data-dir DIR` kept (it must be loaded already) and one
`gazette api` process from each checkout (this one and `--other`, e.g. a `git worktree` of the
commit before), then asks both the same questions of each kind, at concurrency 8, in turns
(A, B, A, B, ...), so that both meet the same page cache and the same noise.

usage: python -m bench.api_compare --data-dir DIR --other CHECKOUT [--kinds q,entity]
                                   [--rounds 3] [--requests 3000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.archive import article_count, drive, query_paths
from bench.devset import announce_dev_set
from bench.query import api_server, percentiles
from tests.servers import postgres_process, redis_process

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="an archive bench/archive.py kept")
    parser.add_argument("--other", required=True, type=Path, help="the checkout to compare")
    parser.add_argument("--kinds", default="q,entity", help="of entity, window, q, by_id")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    announce_dev_set()
    checkouts = {"A (this)": ROOT, f"B ({args.other})": args.other.resolve()}
    with (
        postgres_process(Path(args.data_dir)) as pg,
        redis_process() as broker,
        tempfile.TemporaryDirectory() as logs,
        ExitStack() as apis,
    ):
        print(f"{article_count(pg.url)} articles", flush=True)
        bases = {
            name: apis.enter_context(
                api_server(pg.url, broker.url, Path(logs) / f"api-{n}.log", checkout)
            )
            for n, (name, checkout) in enumerate(checkouts.items())
        }
        paths = query_paths(next(iter(bases.values())), args.requests)
        for kind in args.kinds.split(","):
            for base in bases.values():
                drive(base, paths[kind][: args.requests // 10], args.concurrency)  # warm up
            for round_ in range(args.rounds):
                for name, base in bases.items():
                    began = time.perf_counter()
                    latencies, failed = drive(base, paths[kind], args.concurrency)
                    rate = len(paths[kind]) / (time.perf_counter() - began)
                    stats = percentiles(latencies)
                    figures = "  ".join(f"{k}={v:.1f}" for k, v in stats.items())
                    print(f"  {kind:7} {name:30} round {round_}  {figures}  rps={rate:.0f}"
                          f"  failed={failed}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
