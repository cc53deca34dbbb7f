"""Polling feeds against a local HTTP server, with the real poller, store and queue (db 10:
no worker consumes it, so the queued tasks can be counted)."""

from __future__ import annotations

import gzip
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import redis

from services.ingest.fetch import Fetcher, FetchPolicy
from services.ingest.poller import FeedPoller
from services.ingest.safety import GuardedTransport
from services.ingest.worker import poll_due_feeds
from shared.bus import Bus
from shared.keys import Keys
from shared.models import Feed, FeedIn, FeedStatus
from shared.queue import ENRICH_QUEUE, EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import FeedStore, Store
from tests.integration.feed_site import (
    FOOTER,
    NAV,
    atom,
    make_story,
    rss,
    serve_feed,
    serve_pages,
)
from tests.unit.ingest_fixtures import FEEDS, LocalServer, Reply, ToLocalServer, local_server

pytestmark = pytest.mark.integration

HOLDER = "test-worker"


@dataclass
class Ingest:
    """The pieces a worker wires together, on a prefix of their own."""

    raw: redis.Redis
    store: Store
    feeds: FeedStore
    queue: EnrichQueue
    settings: Settings
    bus: Bus
    queued_before: int = 0

    def poller(self, fetcher: Fetcher) -> FeedPoller:
        return FeedPoller(self.feeds, self.store, self.queue, fetcher, self.bus)

    def add(self, url: str, interval_seconds: int = 900) -> Feed:
        return self.feeds.add_feed(FeedIn(url=url, interval_seconds=interval_seconds), 900)[0]

    def poll_due(self, fetcher: Fetcher) -> int:
        return poll_due_feeds(self.poller(fetcher), HOLDER, self.settings, threading.Event())

    def queued(self) -> int:
        """Tasks this test queued (the queue is shared by the tests on this db)."""
        return int(self.raw.llen(ENRICH_QUEUE)) - self.queued_before


@pytest.fixture
def ingest(store: Store, database_url: str, redis_url: str) -> Iterator[Ingest]:
    url = redis_url.rsplit("/", 1)[0] + "/10"
    raw = redis.Redis.from_url(url, decode_responses=True)
    keys = Keys(f"test-{uuid.uuid4().hex[:8]}")
    settings = Settings(redis_url=url, database_url=database_url)
    yield Ingest(
        raw, store, FeedStore(store.database), EnrichQueue(create_celery_app(settings)),
        settings, Bus(raw, keys), int(raw.llen(ENRICH_QUEUE)),
    )  # fmt: skip
    raw.close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchPolicy(allow_private=True)) as local:
        yield local


def test_every_entry_of_an_rss_and_an_atom_feed_becomes_one_article_with_its_page_text(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    stories = [make_story(n) for n in range(5)]
    serve_pages(server, stories)
    serve_feed(server, "/rss.xml", rss(server, stories[:3]), '"r1"')
    # The Atom feed is gzip'd and repeats story 2 under the same tracking-laden link.
    serve_feed(server, "/atom.xml", atom(server, stories[2:]), '"a1"', gzip=True)
    rss_feed, atom_feed = ingest.add(server.url("/rss.xml")), ingest.add(server.url("/atom.xml"))

    assert ingest.poll_due(fetcher) == 2

    ids = ingest.feeds.feed_article_ids(rss_feed.id) + ingest.feeds.feed_article_ids(atom_feed.id)
    articles = {a.url: a for a in (ingest.store.get_article(i) for i in ids)}
    assert set(articles) == {server.url(s.path) for s in stories}  # canonical URLs, one each
    assert len(ids) == len(stories)
    for story in stories:
        article = articles[server.url(story.path)]
        assert article.text == story.body  # the article, not the navigation or footer
        assert NAV.split()[-1] not in article.text and FOOTER not in article.text
        assert article.title == story.title
        assert article.published_at == story.published
    assert ingest.queued() == len(stories)
    polled = ingest.feeds.get_feed(rss_feed.id)
    assert (polled.last_status, polled.articles, polled.etag) == (FeedStatus.OK, 3, '"r1"')
    assert polled.last_error is None and polled.title == "Valley Courier"
    assert ingest.feeds.get_feed(atom_feed.id).articles == 2  # story 2 was the RSS feed's


def test_a_second_poll_gets_304_and_a_changed_feed_adds_only_its_new_entries(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    stories = [make_story(n) for n in range(10, 14)]
    serve_pages(server, stories)
    serve_feed(server, "/rss.xml", rss(server, stories[:2]), '"v1"')
    feed = ingest.add(server.url("/rss.xml"))
    ingest.poll_due(fetcher)
    assert ingest.queued() == 2

    ingest.feeds.request_poll(feed.id)
    server.seen.clear()
    assert ingest.poll_due(fetcher) == 1
    assert [(path, headers.get("if-none-match")) for path, headers in server.seen] == [
        ("/rss.xml", '"v1"')
    ]  # a 304: no page fetched, nothing parsed
    after_304 = ingest.feeds.get_feed(feed.id)
    assert (after_304.last_status, after_304.articles) == (FeedStatus.NOT_MODIFIED, 2)
    assert ingest.queued() == 2

    serve_feed(server, "/rss.xml", rss(server, stories), '"v2"')  # two entries added on top
    ingest.feeds.request_poll(feed.id)
    server.seen.clear()
    ingest.poll_due(fetcher)
    fetched_pages = sorted(path for path, _ in server.seen if path.startswith("/news/"))
    assert fetched_pages == sorted(s.path for s in stories[2:])  # seen entries cost nothing
    changed = ingest.feeds.get_feed(feed.id)
    assert (changed.last_status, changed.articles, changed.etag) == (FeedStatus.OK, 4, '"v2"')
    assert ingest.queued() == 4


def test_a_malformed_feed_records_its_error_and_the_other_feeds_are_still_polled(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    story = make_story(20)
    serve_pages(server, [story])
    server.routes["/broken.xml"] = Reply(body=(FEEDS / "malformed.xml").read_bytes())
    server.routes["/bomb.xml"] = Reply(body=(FEEDS / "entity-bomb.xml").read_bytes())
    serve_feed(server, "/good.xml", rss(server, [story]), '"g"')
    broken = ingest.add(server.url("/broken.xml"))
    bomb = ingest.add(server.url("/bomb.xml"))
    good = ingest.add(server.url("/good.xml"))

    assert ingest.poll_due(fetcher) == 3

    before = datetime.now(UTC)
    for failed, reason in ((broken, "not a readable"), (bomb, "declares XML entities")):
        found = ingest.feeds.get_feed(failed.id)
        assert found.last_status is FeedStatus.ERROR
        assert found.last_error is not None and reason in found.last_error
        assert found.error_count == 1 and found.articles == 0
        assert found.next_poll_at is not None and found.next_poll_at > before + timedelta(
            seconds=800
        )
    assert ingest.feeds.get_feed(good.id).articles == 1


def test_errors_grow_the_backoff_and_retry_after_is_honoured(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/busy.xml"] = Reply(429, headers={"Retry-After": "7200"})
    server.routes["/gone.xml"] = Reply(500)
    busy = ingest.add(server.url("/busy.xml"))
    gone = ingest.add(server.url("/gone.xml"), interval_seconds=60)  # shorter than any backoff
    gaps = []
    for _ in range(3):
        for feed in (busy, gone):
            ingest.feeds.request_poll(feed.id)
        start = datetime.now(UTC)
        ingest.poll_due(fetcher)
        polled = ingest.feeds.get_feed(gone.id)
        assert polled.next_poll_at is not None
        gaps.append(polled.next_poll_at - start)
    assert ingest.feeds.get_feed(gone.id).error_count == 3
    assert timedelta(seconds=60) < gaps[0] < gaps[1] < gaps[2]
    waiting = ingest.feeds.get_feed(busy.id)
    assert waiting.last_status is FeedStatus.RETRY_LATER and waiting.last_error == (
        "HTTP 429 Too Many Requests"
    )
    assert waiting.next_poll_at is not None
    assert waiting.next_poll_at >= datetime.now(UTC) + timedelta(seconds=7000)


@pytest.fixture
def public_fetcher() -> Iterator[Fetcher]:
    """A fetcher that refuses private addresses, for which `public.test` is a public address
    (93.184.216.34) that in fact reaches the local server."""
    transport = GuardedTransport(
        allow_private=False,
        resolver=lambda _host, _port: ["93.184.216.34"],
        network=ToLocalServer(),
    )
    with Fetcher(FetchPolicy(allow_private=False), transport=transport) as guarded:
        yield guarded


def public(server: LocalServer, path: str) -> str:
    return server.url(path).replace("127.0.0.1", "public.test")


def test_a_feed_or_a_page_that_redirects_to_127_0_0_1_is_refused(
    ingest: Ingest, server: LocalServer, public_fetcher: Fetcher
) -> None:
    story = make_story(30)
    serve_pages(server, [story])
    serve_feed(server, "/private-feed.xml", rss(server, [make_story(31)]), '"p"')
    server.routes["/feed.xml"] = Reply(302, headers={"Location": server.url("/private-feed.xml")})
    server.routes["/moved"] = Reply(302, headers={"Location": server.url(story.path)})
    # The feed's one entry links (publicly) to a page that redirects to 127.0.0.1.
    linked = rss(server, [story]).replace(
        server.url(story.path).encode(), public(server, "/moved").encode()
    )
    serve_feed(server, "/linked.xml", linked, '"l"')
    redirecting = ingest.add(public(server, "/feed.xml"))
    with_page = ingest.add(public(server, "/linked.xml"))

    ingest.poll_due(public_fetcher)

    refused = ingest.feeds.get_feed(redirecting.id)
    assert refused.last_status is FeedStatus.ERROR and refused.articles == 0
    assert (
        refused.last_error is not None and "refused to connect to 127.0.0.1" in refused.last_error
    )
    requested = [path for path, _ in server.seen]
    assert "/feed.xml" in requested and "/moved" in requested  # the public hops were made
    assert "/private-feed.xml" not in requested and story.path not in requested
    # The page was refused, so the entry's summary is all the article there is.
    [article_id] = ingest.feeds.feed_article_ids(with_page.id)
    article = ingest.store.get_article(article_id)
    assert article.text.startswith(story.paragraphs[0][:40]) and len(article.text) < 100


def test_two_workers_never_poll_one_feed_at_once(ingest: Ingest) -> None:
    feed_ids = [ingest.add(f"https://feeds.test/{n}.xml").id for n in range(40)]
    claims: list[list[str]] = []
    lock = threading.Lock()

    def claim_all(holder: str) -> None:
        for _ in range(20):
            got = ingest.feeds.claim_due_feeds(holder, 3, 60)
            with lock:
                claims.append(got)

    workers = [threading.Thread(target=claim_all, args=(f"w{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    claimed = [feed_id for batch in claims for feed_id in batch]
    assert sorted(claimed) == sorted(feed_ids)  # each once, none twice
    assert ingest.feeds.claim_due_feeds("late", 10, 60) == []


def test_a_feed_deleted_while_it_is_polled_is_not_brought_back(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    serve_feed(server, "/rss.xml", rss(server, []), '"e"')
    feed = ingest.add(server.url("/rss.xml"))
    [claimed] = ingest.feeds.claim_due_feeds(HOLDER, 5, 60)
    ingest.feeds.delete_feed(feed.id)
    assert ingest.poller(fetcher).poll(claimed, HOLDER) is None
    assert ingest.feeds.list_feeds() == []


def test_an_entry_is_marked_seen_once_whichever_identity_repeats(ingest: Ingest) -> None:
    results: dict[int, bool] = {}

    def mark(n: int) -> None:
        results[n] = ingest.feeds.mark_entry_seen([f"https://a.test/{n}"], ["same-guid"], [f"h{n}"])

    threads = [threading.Thread(target=mark, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [False] * 7 + [True]
    [winner] = [n for n, marked in results.items() if marked]
    # The winner's content hash is known now; the losers' marked nothing.
    assert not ingest.feeds.mark_entry_seen(["https://new.test/"], ["new"], [f"h{winner}"])
    loser = (winner + 1) % 8
    assert ingest.feeds.mark_entry_seen([f"https://a.test/{loser}"], ["other"], [f"h{loser}"])


def test_a_poll_fetches_at_most_its_page_budget_and_the_feed_comes_back_for_the_rest(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    stories = [make_story(n) for n in range(40, 45)]
    serve_pages(server, stories)
    serve_feed(server, "/rss.xml", rss(server, stories), '"b"')
    feed = ingest.add(server.url("/rss.xml"))
    poller = FeedPoller(ingest.feeds, ingest.store, ingest.queue, fetcher, ingest.bus, max_pages=2)

    [claimed] = ingest.feeds.claim_due_feeds(HOLDER, 1, 60)
    first = poller.poll(claimed, HOLDER)
    assert first is not None and first.new_articles == 2
    assert first.next_poll_at == first.polled_at  # due again at once for the rest
    assert ingest.feeds.get_feed(feed.id).etag is None  # so the next poll is not a 304

    polls = poll_due_feeds(poller, HOLDER, ingest.settings, threading.Event())
    assert polls == 2
    done = ingest.feeds.get_feed(feed.id)
    assert (done.articles, done.etag, done.last_status) == (5, '"b"', FeedStatus.OK)
    assert ingest.queued() == 5
    pages = [path for path, _ in server.seen if path.startswith("/news/")]
    assert sorted(pages) == sorted(s.path for s in stories)  # each page fetched once


def test_a_feed_that_moved_for_good_is_polled_at_its_new_url(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    server.routes["/old.xml"] = Reply(301, headers={"Location": "/new.xml"})
    serve_feed(server, "/new.xml", rss(server, []), '"n"')
    feed = ingest.add(server.url("/old.xml"))
    ingest.poll_due(fetcher)
    moved = ingest.feeds.get_feed(feed.id)
    assert (moved.url, moved.last_status) == (server.url("/new.xml"), FeedStatus.OK)

    ingest.feeds.request_poll(feed.id)
    server.seen.clear()
    ingest.poll_due(fetcher)
    assert [path for path, _ in server.seen] == ["/new.xml"]
    assert ingest.feeds.get_feed(feed.id).last_status is FeedStatus.NOT_MODIFIED


def test_a_worker_that_is_stopping_leaves_the_pages_for_the_next_poll(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    stories = [make_story(n) for n in range(50, 53)]
    serve_pages(server, stories)
    serve_feed(server, "/rss.xml", rss(server, stories), '"s"')
    feed = ingest.add(server.url("/rss.xml"))
    stopping = FeedPoller(
        ingest.feeds, ingest.store, ingest.queue, fetcher, ingest.bus, stopping=lambda: True
    )
    [claimed] = ingest.feeds.claim_due_feeds(HOLDER, 1, 60)
    outcome = stopping.poll(claimed, HOLDER)
    assert outcome is not None and outcome.new_articles == 0
    assert [path for path, _ in server.seen] == ["/rss.xml"]
    # Released and due at once, for the next worker to read the whole feed again.
    assert ingest.feeds.claim_due_feeds("next", 1, 60) == [feed.id]
    assert ingest.feeds.get_feed(feed.id).etag is None


def test_a_full_enrich_queue_holds_the_rest_back_without_counting_an_error(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    stories = [make_story(n) for n in range(60, 64)]
    serve_pages(server, stories)
    serve_feed(server, "/rss.xml", rss(server, stories), '"q"')
    feed = ingest.add(server.url("/rss.xml"))
    app = create_celery_app(ingest.settings)
    room_for_two = EnrichQueue(app, max_depth=ingest.queued_before + 2)
    poller = FeedPoller(ingest.feeds, ingest.store, room_for_two, fetcher, ingest.bus)
    [claimed] = ingest.feeds.claim_due_feeds(HOLDER, 1, 60)
    outcome = poller.poll(claimed, HOLDER)

    assert outcome is not None and outcome.new_articles == 2
    held = ingest.feeds.get_feed(feed.id)
    assert (held.last_status, held.error_count, held.etag) == (FeedStatus.OK, 0, None)
    assert held.last_error is not None and "queue is full" in held.last_error
    assert held.next_poll_at is not None and held.next_poll_at > outcome.polled_at

    ingest.feeds.request_poll(feed.id)
    ingest.poll_due(fetcher)  # the queue has room again
    assert ingest.feeds.get_feed(feed.id).articles == 4
    assert ingest.queued() == 4


def test_a_poll_stops_fetching_pages_when_its_time_budget_is_spent(
    ingest: Ingest, server: LocalServer
) -> None:
    """Pages that trickle their headers: the first is cut at the poll's budget, the rest wait.

    Each page would take about 20 s; without a poll budget, five of them hold the claim for
    minutes.
    """
    stories = [make_story(n) for n in range(60, 65)]
    for story in stories:
        server.routes[story.path] = Reply(body=b"<html></html>", headers={"X": "p" * 80},
                                          trickle=0.2)  # fmt: skip
    serve_feed(server, "/rss.xml", rss(server, stories), '"t"')
    feed = ingest.add(server.url("/rss.xml"))
    with Fetcher(FetchPolicy(allow_private=True, read_timeout=5)) as fetcher:
        poller = FeedPoller(
            ingest.feeds, ingest.store, ingest.queue, fetcher, ingest.bus, budget_seconds=1.0
        )
        [claimed] = ingest.feeds.claim_due_feeds(HOLDER, 1, 60)
        outcome = poller.poll(claimed, HOLDER)
    assert outcome is not None and outcome.status is FeedStatus.OK
    assert outcome.new_articles == 0
    # The rest waits for the feed's next poll, not at once: pages this slow would otherwise
    # have the feed hold the worker for good.
    assert outcome.next_poll_at == outcome.polled_at + timedelta(seconds=900)
    pages = [path for path, _ in server.seen if path.startswith("/news/")]
    assert pages == [stories[0].path]  # the first page was cut short, the others never asked
    assert ingest.feeds.get_feed(feed.id).etag is None


def test_the_poll_budget_must_fit_in_the_claim() -> None:
    with pytest.raises(ValueError, match="GAZETTE_FEED_POLL_SECONDS"):
        Settings(feed_poll_seconds=600, feed_claim_seconds=600)


def test_a_gb2312_feed_is_polled_and_its_dates_keep_the_publishers_offset(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    body = "".join(f"<p>{line}</p>" for line in (
        "气象局表示，台风预计今晚在东部沿海登陆，沿海地区居民已经开始撤离。",
        "当地政府宣布学校停课一天，并在各区开放了临时避难所，供居民使用。",
        "交通部门说，部分航班和渡轮服务将暂停，直到风力减弱为止。",
    ) * 4)  # fmt: skip
    server.routes["/a/1"] = Reply(
        body=f"<html><head><meta charset='gb2312'><title>台风今晚登陆</title></head><body>"
        f"<article><h1>台风今晚登陆</h1>{body}</article></body></html>".encode("gb2312"),
        headers={"Content-Type": "text/html; charset=gb2312"},
    )
    feed_xml = (
        '<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>新华网</title>'
        f"<link>{server.base_url}/</link><item><title>台风今晚登陆</title>"
        f"<link>{server.url('/a/1')}</link><description>气象局表示，台风预计今晚登陆。</description>"
        "<pubDate>Wed, 14 Oct 2020 05:50 +0800</pubDate></item></channel></rss>"
    )
    server.routes["/gb.xml"] = Reply(
        body=feed_xml.encode("gb2312"), headers={"Content-Type": "text/xml; charset=gb2312"}
    )
    feed = ingest.add(server.url("/gb.xml"))
    ingest.poll_due(fetcher)
    polled = ingest.feeds.get_feed(feed.id)
    assert (polled.last_status, polled.articles, polled.title) == (FeedStatus.OK, 1, "新华网")
    [article_id] = ingest.feeds.feed_article_ids(feed.id)
    article = ingest.store.get_article(article_id)
    assert article.title == "台风今晚登陆"
    assert "沿海地区居民已经开始撤离" in article.text
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2020-10-14T05:50:00+08:00"


def test_a_feed_with_stacked_encodings_records_the_refusal(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * 20_000_000))
    server.routes["/bomb.xml"] = Reply(body=bomb, headers={"Content-Encoding": "gzip, gzip"})
    feed = ingest.add(server.url("/bomb.xml"))
    ingest.poll_due(fetcher)
    found = ingest.feeds.get_feed(feed.id)
    assert found.last_status is FeedStatus.ERROR
    assert found.last_error == (
        "refused: stacked Content-Encoding 'gzip, gzip' (one layer of gzip or deflate at most)"
    )


def test_the_inbox_gets_a_turn_after_each_feed(
    ingest: Ingest, server: LocalServer, fetcher: Fetcher
) -> None:
    serve_feed(server, "/a.xml", rss(server, []), '"a"')
    serve_feed(server, "/b.xml", rss(server, []), '"b"')
    ingest.add(server.url("/a.xml"))
    ingest.add(server.url("/b.xml"))
    turns: list[int] = []
    poller = ingest.poller(fetcher)
    polled = poll_due_feeds(
        poller, HOLDER, ingest.settings, threading.Event(), between=lambda: turns.append(1)
    )
    assert polled == 2 and len(turns) == 2
