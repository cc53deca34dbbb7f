"""A small news site for the feed tests: article pages with navigation and footer, and RSS and
Atom feeds whose entries carry only a summary and link to those pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from tests.unit.ingest_fixtures import LocalServer, Reply

NAV = "Home World Politics Sports Weather Subscribe"
FOOTER = "Copyright 2026 Valley Courier Media Group. All rights reserved. Privacy policy"
TOPICS = ("harbour", "library", "railway", "orchard", "bridge", "museum", "stadium", "market")


@dataclass(frozen=True)
class Story:
    """One article of the site; its page is at `path`, its feed link adds tracking noise."""

    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime

    @property
    def path(self) -> str:
        return f"/news/{self.slug}"

    @property
    def body(self) -> str:
        """The article's text as the page shows it: paragraphs apart by a blank line."""
        return "\n\n".join(self.paragraphs)


def make_story(number: int) -> Story:
    """A distinct story: its own words, so no two stories share a content hash."""
    topic = TOPICS[number % len(TOPICS)]
    paragraphs = (
        f"The council said on Monday that work on the {topic} project number {number} would "
        f"begin in the spring, after residents asked for a clearer plan and a firm budget.",
        f"Officials told reporters that the {topic} plan had been revised {number + 2} times "
        "since the consultation, and that the latest version kept the older building intact.",
        f"Several shop owners near the {topic} said they welcomed the decision but worried "
        "about the noise and the road closures that the first months of work would bring.",
        f"A final vote on the {topic} contract, story {number}, is expected next month, when "
        "the regional authority will also publish the results of its environmental survey.",
    )
    return Story(
        slug=f"{topic}-{number}",
        title=f"Work on the {topic} project {number} to begin in spring",
        paragraphs=paragraphs,
        published=datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(hours=number),
    )


def page(story: Story) -> bytes:
    """A realistic page: head metadata, nav, the article, a sidebar, a footer."""
    paragraphs = "\n".join(f"<p>{escape(text)}</p>" for text in story.paragraphs)
    links = "".join(f"<li><a href='/{word.lower()}'>{word}</a></li>" for word in NAV.split())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(story.title)} | Valley Courier</title>
<meta property="og:title" content="{escape(story.title)}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<link rel="canonical" href="{story.path}">
</head><body>
<header><div class="logo">Valley Courier</div><nav><ul>{links}</ul></nav></header>
<main><article><h1>{escape(story.title)}</h1>
{paragraphs}
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/r">Ten recipes</a></li></ul></aside>
</main>
<footer><p>{FOOTER}</p></footer>
</body></html>""".encode()


def feed_link(server: LocalServer, story: Story) -> str:
    return server.url(f"{story.path}?utm_source=rss&utm_medium=feed#top")


def rss(server: LocalServer, stories: list[Story], title: str = "Valley Courier") -> bytes:
    items = "".join(
        f"""<item><title>{escape(s.title)}</title>
<link>{escape(feed_link(server, s))}</link>
<guid isPermaLink="false">courier-{s.slug}</guid>
<pubDate>{format_datetime(s.published)}</pubDate>
<description>{escape(s.paragraphs[0][:60])}… Read more</description></item>"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{server.base_url}/</link>
<description>News</description>{items}</channel></rss>""".encode()


def atom(server: LocalServer, stories: list[Story], title: str = "Harbour Gazette") -> bytes:
    entries = "".join(
        f"""<entry><title>{escape(s.title)}</title>
<link rel="alternate" href="{escape(feed_link(server, s))}"/>
<id>tag:harbour.test,2026:{s.slug}</id>
<updated>{s.published.isoformat()}</updated>
<summary>{escape(s.paragraphs[0][:60])}…</summary></entry>"""
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>
<id>urn:harbour</id><updated>2026-03-11T12:00:00Z</updated>{entries}</feed>""".encode()


def serve_pages(server: LocalServer, stories: list[Story]) -> None:
    for story in stories:
        server.routes[story.path] = Reply(
            body=page(story), headers={"Content-Type": "text/html; charset=utf-8"}
        )


def serve_feed(server: LocalServer, path: str, body: bytes, etag: str, **reply: bool) -> None:
    """Serve a feed with an ETag, answering 304 to a request that already has it."""
    content_type = "application/atom+xml" if b"<feed" in body[:300] else "application/rss+xml"

    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        return Reply(body=body, headers={"ETag": etag, "Content-Type": content_type}, **reply)

    server.routes[path] = answer
