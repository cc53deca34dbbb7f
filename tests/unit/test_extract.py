"""Main text out of article pages and feed HTML, offline."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from services.ingest.extract import extract_page, html_to_text
from tests.unit.ingest_fixtures import (
    ARTICLE_PARAGRAPHS,
    FOOTER_TEXT,
    NAV_TEXT,
    SIDEBAR_TEXT,
    article_page,
)

PAGE_URL = "https://Courier.example/news/flood-barrier-opens?utm_source=rss#top"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("extraction tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.usefixtures("no_network")
def test_the_article_text_is_kept_and_the_page_furniture_is_not() -> None:
    page = extract_page(article_page(), PAGE_URL)
    assert page is not None
    assert page.text.split("\n\n") == list(ARTICLE_PARAGRAPHS)
    for furniture in (NAV_TEXT, "Subscribe", FOOTER_TEXT, "All rights reserved", SIDEBAR_TEXT):
        assert furniture not in page.text
    assert "do not include me" not in page.text


@pytest.mark.usefixtures("no_network")
def test_the_page_metadata_is_read() -> None:
    page = extract_page(article_page().encode("utf-8"), PAGE_URL)
    assert page is not None
    assert page.title == "Flood barrier opens on the lower valley"
    assert page.published == datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
    assert page.author == "Jane Miller"
    assert page.canonical_url == "https://courier.example/news/flood-barrier-opens"


def test_without_rel_canonical_the_page_url_is_canonicalised() -> None:
    page = extract_page(article_page(canonical=None), PAGE_URL)
    assert page is not None
    assert page.canonical_url == "https://courier.example/news/flood-barrier-opens"


def test_a_canonical_on_another_path_is_followed() -> None:
    html = article_page(canonical="https://www.courier.example/2026/03/10/flood-barrier")
    page = extract_page(html, PAGE_URL)
    assert page is not None
    assert page.canonical_url == "https://www.courier.example/2026/03/10/flood-barrier"


def test_the_date_comes_from_json_ld_when_there_is_no_meta_tag() -> None:
    html = article_page().replace(
        '<meta property="article:published_time" content="2026-03-10T08:30:00+01:00">',
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
        '[{"@type": "NewsArticle", "datePublished": "2026-03-09T22:00:00-05:00"}]}</script>',
    )
    page = extract_page(html, PAGE_URL)
    assert page is not None
    assert page.published == datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("html", ["", "   ", "<html><body><nav>Home</nav></body></html>"])
def test_a_page_without_article_text_gives_none(html: str) -> None:
    assert extract_page(html, PAGE_URL) is None


def test_feed_html_becomes_paragraphs_of_plain_text() -> None:
    html = (
        "<p>First <b>bold</b> &amp; <a href='#'>linked</a>.</p>"
        "<ul><li>one</li><li>two</li></ul><p>Line<br>break</p>"
        "<script>alert(1)</script><style>p{}</style>trailing text"
    )
    assert (
        html_to_text(html) == "First bold & linked.\n\none\n\ntwo\n\nLine\nbreak\n\ntrailing text"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain   text\r\n\r\n\r\nnext", "plain text\n\nnext"),
        ("", ""),
        ("<", "<"),
        ("a < b and c > d", "a < b and c > d"),
    ],
)
def test_text_without_markup_is_only_tidied(text: str, expected: str) -> None:
    assert html_to_text(text) == expected
