"""The real ingest worker (a `gazette worker ingest` process) polling feeds from a local HTTP
server, with the session's enrich worker turning what it queues into enriched articles (db 0)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from shared.bus import Bus
from shared.models import Article, ArticleStatus, Feed, FeedIn, FeedStatus
from shared.store import FeedStore, Store
from tests.integration.feed_site import FOOTER, atom, make_story, rss, serve_feed, serve_pages
from tests.polling import wait_until
from tests.servers import gazette_env, gazette_process
from tests.unit.ingest_fixtures import FEEDS, LocalServer, Reply, local_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    with local_server() as server:
        yield server


@pytest.fixture(scope="module")
def ingest_worker(
    redis_url: str,
    database_url: str,
    enrich_worker: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """A real ingest worker on db 0 that may fetch from 127.0.0.1; yields its log's path."""
    folder = tmp_path_factory.mktemp("ingest")
    log = folder / "ingest.log"
    env = gazette_env(
        GAZETTE_REDIS_URL=redis_url,
        GAZETTE_DATABASE_URL=database_url,
        GAZETTE_ALLOW_PRIVATE_URLS="true",
        GAZETTE_INGEST_POLL_SECONDS="0.1",
        GAZETTE_DATA_DIR=str(folder),
    )
    with gazette_process(["worker", "ingest"], env, log):
        probe = Bus.from_url(redis_url)
        wait_until(lambda: probe.live_workers("ingest", 5.0), timeout=30, what=f"worker ({log})")
        probe.close()
        yield log


@pytest.fixture
def stores(database_url: str) -> Iterator[tuple[Store, FeedStore]]:
    store = Store.from_url(database_url)
    yield store, FeedStore(store.database)
    store.close()


def polled_since(feeds: FeedStore, feed_id: str, since: Feed | None = None) -> Feed | None:
    feed = feeds.get_feed(feed_id)
    if feed.last_polled_at is None or (since and feed.last_polled_at == since.last_polled_at):
        return None
    return feed


def enriched(store: Store, ids: list[str]) -> list[Article] | None:
    articles = [store.get_article(i) for i in ids]
    failed = [a for a in articles if a.status is ArticleStatus.FAILED]
    assert not failed, failed[0].error
    return articles if all(a.status is ArticleStatus.ENRICHED for a in articles) else None


def test_every_feed_entry_becomes_one_enriched_article_and_a_repoll_gets_304(
    ingest_worker: Path, site: LocalServer, stores: tuple[Store, FeedStore]
) -> None:
    store, feeds = stores
    stories = [make_story(n) for n in range(100, 106)]
    serve_pages(site, stories)
    serve_feed(site, "/worker/rss.xml", rss(site, stories[:3]), '"w1"')
    serve_feed(site, "/worker/atom.xml", atom(site, stories[3:]), '"w2"', gzip=True)
    site.routes["/worker/broken.xml"] = Reply(body=(FEEDS / "malformed.xml").read_bytes())
    added = [
        feeds.add_feed(FeedIn(url=site.url(path)), 900)[0]
        for path in ("/worker/broken.xml", "/worker/rss.xml", "/worker/atom.xml")
    ]
    broken, *good = added

    first = [wait_until(partial(polled_since, feeds, f.id), timeout=30) for f in added]
    ids = [i for feed in good for i in feeds.feed_article_ids(feed.id)]
    assert len(ids) == len(stories)
    articles = wait_until(lambda: enriched(store, ids), timeout=120, what="enriched articles")
    by_url = {a.url: a for a in articles}
    for story in stories:
        article = by_url[site.url(story.path)]
        assert article.text == story.body and FOOTER not in article.text
        assert article.published_at == story.published
        assert {"Monday", "next month"} <= {d.text for d in article.dates}  # enriched
    assert first[0].last_status is FeedStatus.ERROR
    assert first[0].last_error is not None and "not a readable" in first[0].last_error

    # Poll again: the worker kept going after the broken feed, and nothing new is queued.
    site.seen.clear()
    for feed in good:
        feeds.request_poll(feed.id)
    again = [
        wait_until(partial(polled_since, feeds, f.id, before), timeout=30)
        for f, before in zip(good, first[1:], strict=True)
    ]
    assert [(f.last_status, f.articles) for f in again] == [
        (FeedStatus.NOT_MODIFIED, 3),
        (FeedStatus.NOT_MODIFIED, 3),
    ]
    assert not any(path.startswith("/news/") for path, _ in site.seen)
    assert feeds.get_feed(broken.id).error_count == 1  # not due again yet: it backs off
