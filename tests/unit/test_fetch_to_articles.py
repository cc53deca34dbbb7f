"""The whole ingest core in the order a worker calls it, against a real local server."""

from __future__ import annotations

from services.ingest.entries import candidates_from_feed, content_hash
from services.ingest.extract import extract_page
from services.ingest.feeds import parse_feed
from services.ingest.fetch import PAGE_ACCEPT, Fetched, Fetcher, FetchPolicy, NotModified
from shared.models import ArticleIn
from tests.unit.ingest_fixtures import ARTICLE_PARAGRAPHS, FEEDS, Reply, article_page, local_server


def test_a_feed_becomes_articles_and_a_second_poll_is_not_modified() -> None:
    with local_server() as server, Fetcher(FetchPolicy(allow_private=True)) as fetcher:
        rss = (
            (FEEDS / "rss2.xml")
            .read_bytes()
            .replace(
                b"https://courier.example/news/cycle-lanes-approved", server.url("/cycle").encode()
            )
        )
        server.routes["/feed.xml"] = lambda headers: (
            Reply(304)
            if headers.get("if-none-match") == '"v7"'
            else Reply(body=rss, headers={"ETag": '"v7"', "Content-Type": "application/rss+xml"})
        )
        server.routes["/cycle"] = Reply(
            body=article_page(canonical="/news/cycle-lanes").encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )

        first = fetcher.fetch(server.url("/feed.xml"))
        assert isinstance(first, Fetched)
        feed = parse_feed(first.content, content_type=first.content_type, url=first.final_url)
        articles: list[ArticleIn] = []
        for candidate in candidates_from_feed(feed):
            # Only links to the local server are followed: the others are .example hosts.
            if candidate.needs_page and candidate.url and candidate.url.startswith(server.base_url):
                page = fetcher.fetch(candidate.url, accept=PAGE_ACCEPT)
                extracted = (
                    extract_page(page.content, page.final_url)
                    if isinstance(page, Fetched)
                    else None
                )
                if extracted is not None:  # else the summary is all there is
                    candidate = candidate.with_page(extracted)
            article = candidate.to_article_in(source=feed.title)
            assert article is not None
            articles.append(article)

        second = fetcher.fetch(server.url("/feed.xml"), etag=first.etag)

    flood, cycle, market = articles
    assert flood.url == "https://courier.example/news/flood-barrier-opens"  # utm_* dropped
    assert len(flood.text.split()) > 100
    assert cycle.title == "Council approves new cycle lanes & bus stops"
    assert cycle.text.split("\n\n") == list(ARTICLE_PARAGRAPHS)
    assert cycle.url == server.url("/news/cycle-lanes")  # the page's rel=canonical
    # Its relative link resolved against the feed URL, where the page is a 404: summary kept.
    assert market.url == server.url("/news/market-hall-reopens")
    assert market.text == "Traders return on Saturday."
    assert len({content_hash(a.text) for a in articles}) == 3
    assert isinstance(second, NotModified)
    assert second.etag == '"v7"'
