"""Feed entries to article candidates: full text in the feed, or the page to be read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.ingest.entries import (
    ArticleCandidate,
    candidate_from_entry,
    candidates_from_feed,
    content_hash,
    is_full_text,
)
from services.ingest.extract import extract_page
from services.ingest.feeds import FeedEntry, parse_feed
from tests.unit.ingest_fixtures import ARTICLE_PARAGRAPHS, FEEDS, article_page

LONG = " ".join(ARTICLE_PARAGRAPHS)  # about 110 words


def entry(**fields: object) -> FeedEntry:
    defaults: dict[str, object] = {
        "guid": "g1",
        "link": "https://news.example.com/story?utm_source=rss",
        "title": "A story",
        "summary": None,
        "content": None,
        "published": datetime(2026, 3, 10, tzinfo=UTC),
        "author": None,
    }
    return FeedEntry(**(defaults | fields))  # type: ignore[arg-type]


def test_each_sample_feed_splits_into_full_articles_and_pages_to_fetch() -> None:
    for name, complete in [
        ("rss2.xml", [True, False, False]),
        ("atom.xml", [False, True]),
        ("jsonfeed.json", [False, True]),
    ]:
        feed = parse_feed((FEEDS / name).read_bytes(), url=f"https://feeds.example/{name}")
        candidates = candidates_from_feed(feed)
        assert [c.complete for c in candidates] == complete, name
        assert all(c.needs_page is not c.complete for c in candidates), name


def test_a_full_content_entry_is_complete_with_a_canonical_url() -> None:
    candidate = candidate_from_entry(entry(content=LONG, summary="Short teaser."))
    assert candidate.complete
    assert not candidate.needs_page
    assert candidate.text == LONG
    assert candidate.url == "https://news.example.com/story"


def test_a_summary_only_entry_needs_its_page() -> None:
    candidate = candidate_from_entry(entry(summary="Short teaser."))
    assert not candidate.complete
    assert candidate.needs_page
    assert candidate.text == "Short teaser."


def test_short_content_is_not_taken_for_the_full_article() -> None:
    candidate = candidate_from_entry(entry(content="Just two sentences. Really.", summary=None))
    assert not candidate.complete


@pytest.mark.parametrize("ending", [" …", "...", " [...]", " Read more »", " Continue reading →"])
def test_a_long_text_ending_like_a_teaser_is_not_full(ending: str) -> None:
    assert is_full_text(LONG)
    assert not is_full_text(LONG + ending)


def test_an_entry_without_link_cannot_need_its_page() -> None:
    candidate = candidate_from_entry(entry(link=None, summary="Short teaser."))
    assert not candidate.complete
    assert not candidate.needs_page
    assert candidate.url is None


def test_the_extracted_page_completes_a_candidate_and_the_feed_fields_win() -> None:
    candidate = candidate_from_entry(entry(summary="Short teaser.", title="Feed title"))
    page = extract_page(article_page(), "https://courier.example/news/flood-barrier-opens")
    assert page is not None
    done = candidate.with_page(page)
    assert done.complete
    assert done.text.startswith(ARTICLE_PARAGRAPHS[0])
    assert done.url == "https://courier.example/news/flood-barrier-opens"  # rel=canonical
    assert done.title == "Feed title"
    assert done.published == datetime(2026, 3, 10, tzinfo=UTC)  # the feed's date
    assert done.author == "Jane Miller"  # the feed had none


def test_a_candidate_becomes_an_article_submission() -> None:
    article = candidate_from_entry(entry(content=LONG)).to_article_in(source="Valley Courier")
    assert article is not None
    assert article.title == "A story"
    assert article.text == LONG
    assert article.url == "https://news.example.com/story"
    assert article.source == "Valley Courier"
    assert article.published_at == datetime(2026, 3, 10, tzinfo=UTC)


def test_an_untitled_candidate_takes_its_title_from_the_text() -> None:
    candidate = ArticleCandidate(
        guid="g", url=None, title=None, text=LONG, published=None, author=None, complete=True
    )
    article = candidate.to_article_in()
    assert article is not None
    assert LONG.startswith(article.title.removesuffix("…"))
    assert len(article.title) <= 121


def test_a_candidate_without_text_is_no_article() -> None:
    empty = candidate_from_entry(entry(summary=None, content=None))
    assert empty.to_article_in() is None


def test_the_content_hash_ignores_whitespace_but_not_words() -> None:
    assert content_hash("A  story\n\nabout floods.") == content_hash(" A story about floods. ")
    assert content_hash("A story about floods.") != content_hash("A story about fires.")
    assert len(content_hash("x")) == 64


@pytest.mark.parametrize(
    "link", ["http://[::1/broken", "javascript:alert(1)", "mailto:desk@x.example"]
)
def test_an_unusable_link_leaves_the_candidate_without_url(link: str) -> None:
    candidate = candidate_from_entry(entry(link=link, summary="Short teaser."))
    assert candidate.url is None
    assert not candidate.needs_page
