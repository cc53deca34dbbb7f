"""Entries per second through feed parsing and entries → article candidates (no network).

Builds an RSS 2.0 feed of N entries (half with full `content:encoded`, half summary-only) and
times `parse_feed` + `candidates_from_feed` + `to_article_in` + `content_hash` over it.

    .venv/bin/python bench/feed_parse.py [--entries 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from services.ingest.entries import candidates_from_feed, content_hash
from services.ingest.feeds import parse_feed

PARAGRAPH = (
    "The council met on Tuesday evening to discuss the budget for the coming year, and "
    "several members asked why the library and the swimming pool were again at the top of "
    "the list of savings, while the road repairs promised last spring had still not started."
)


def build_feed(entries: int) -> bytes:
    start = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    items = []
    for index in range(entries):
        body = "".join(f"<p>{PARAGRAPH} ({index}.{p})</p>" for p in range(3))
        content = f"<content:encoded><![CDATA[{body}]]></content:encoded>" if index % 2 else ""
        items.append(
            f"<item><title>Story number {index} &amp; more</title>"
            f"<link>https://news.example.com/{index}?utm_source=rss&amp;id={index}</link>"
            f"<guid isPermaLink='false'>story-{index}</guid>"
            f"<pubDate>{format_datetime(start - timedelta(minutes=index))}</pubDate>"
            f"<description>{escape(f'<p>Teaser for story {index}.</p>')}</description>"
            f"{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Bench</title><link>https://news.example.com/</link>"
        f"<description>bench</description>{''.join(items)}</channel></rss>"
    ).encode()


def run_once(feed: bytes) -> int:
    parsed = parse_feed(feed, content_type="application/rss+xml")
    count = 0
    for candidate in candidates_from_feed(parsed):
        article = candidate.to_article_in(source="bench")
        if article is not None:
            content_hash(article.text)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    feed = build_feed(args.entries)
    assert run_once(feed) == args.entries  # warm-up, and a check that nothing was lost
    timings = []
    for _ in range(args.rounds):
        began = time.perf_counter()
        run_once(feed)
        timings.append(time.perf_counter() - began)
    best, median = min(timings), statistics.median(timings)
    print(
        f"feed_parse: {args.entries} entries, {len(feed) / 1e6:.2f} MB, {args.rounds} rounds: "
        f"median {median * 1000:.0f} ms = {args.entries / median:,.0f} entries/s "
        f"(best {args.entries / best:,.0f} entries/s)"
    )


if __name__ == "__main__":
    main()
