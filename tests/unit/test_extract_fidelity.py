"""Article pages as publishers write them: dates by preference and in their own offset,
placeholder dates, notices instead of articles, teasers kept by precision mode."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.ingest.entries import ArticleCandidate
from services.ingest.extract import extract_page
from tests.unit.ingest_fixtures import ARTICLE_PARAGRAPHS

URL = "https://courier.example/news/flood-barrier-opens"
BODY = "".join(f"<p>{text}</p>" for text in ARTICLE_PARAGRAPHS)


def page(head: str = "", body: str = BODY) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Flood barrier opens</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<main><article><h1>Flood barrier opens</h1>{body}</article></main>"
        "<footer>Valley Courier</footer></body></html>"
    )


def ld(date: str) -> str:
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "datePublished": "{date}", "dateModified": "{date}"}}</script>'
    )


def test_the_publication_property_beats_a_newsletter_date_placed_before_it() -> None:
    head = (
        '<meta name="sailthru.date" content="2020-10-20T10:00:00+08:00">'
        '<meta property="og:article:published_time" content="2020-10-14T05:50:00+08:00">'
    )
    found = extract_page(page(head), URL)
    assert found is not None and found.published is not None
    assert found.published.isoformat() == "2020-10-14T05:50:00+08:00"  # offset kept


def test_a_placeholder_date_is_unknown_and_the_next_signal_is_used() -> None:
    head = ld("0001-01-01T00:00:00Z") + ('<meta name="date" content="2019-11-20T08:00:00-05:00">')
    found = extract_page(page(head), URL)
    assert found is not None and found.published is not None
    assert found.published.isoformat() == "2019-11-20T08:00:00-05:00"


@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
                                         "2999-01-01T00:00:00Z"])  # fmt: skip
def test_a_page_with_only_a_placeholder_date_has_no_date_but_keeps_its_text(
    placeholder: str,
) -> None:
    found = extract_page(page(ld(placeholder)), URL)
    assert found is not None
    assert found.published is None
    assert found.text.startswith(ARTICLE_PARAGRAPHS[0])


def test_a_date_in_the_future_beyond_a_day_is_a_placeholder() -> None:
    soon = datetime.now().astimezone() + timedelta(hours=2)
    later = soon + timedelta(days=3)
    head = ld(later.isoformat()) + f'<meta name="date" content="{soon.isoformat()}">'
    found = extract_page(page(head), URL)
    assert found is not None and found.published == soon


def test_the_page_date_is_kept_when_there_is_no_article_text() -> None:
    head = '<meta property="article:published_time" content="2020-10-14T05:50:00+08:00">'
    found = extract_page(page(head, body="<p>Home</p>"), URL)
    assert found is not None
    assert found.text == ""
    assert found.published is not None
    assert found.published.isoformat() == "2020-10-14T05:50:00+08:00"


def test_without_metadata_htmldate_reads_the_date_from_the_url() -> None:
    found = extract_page(page(), "https://courier.example/2020/10/14/flood-barrier-opens")
    assert found is not None and found.published is not None
    assert found.published.date().isoformat() == "2020-10-14"


NOTICE = (
    "This copy is for your personal, non-commercial use only. Distribution and use of this "
    "material are governed by our Subscriber Agreement and by copyright law. For "
    "non-personal use or to order multiple copies, please contact Dow Jones Reprints."
)


def test_a_subscription_notice_is_not_article_text() -> None:
    head = '<meta property="article:published_time" content="2020-10-14T05:50:00+08:00">'
    found = extract_page(page(head, body=f"<p>{NOTICE}</p>"), URL)
    assert found is not None
    assert found.text == ""
    assert found.published is not None  # the date still counts


def test_no_date_and_no_text_is_no_page() -> None:
    assert extract_page(page(body=f"<p>{NOTICE}</p>"), URL) is None


def test_a_body_that_precision_mode_drops_is_read_in_recall_mode() -> None:
    """A lede in a paragraph and the rest in a layout table: precision mode keeps the lede."""
    paragraphs = list(ARTICLE_PARAGRAPHS) * 3
    body = f"<p>{paragraphs[0]}</p><table>" + "".join(
        f"<tr><td>{text}</td></tr>" for text in paragraphs[1:]
    ) + "</table>"  # fmt: skip
    found = extract_page(page(body=body), URL)
    assert found is not None
    assert len(found.text.split()) > 300
    assert ARTICLE_PARAGRAPHS[-1] in found.text


def candidate(teaser: str) -> ArticleCandidate:
    return ArticleCandidate(
        guid="g", url=URL, title="Flood barrier opens", text=teaser, published=None,
        author=None, complete=False,
    )  # fmt: skip


def test_a_main_text_sharing_nothing_with_the_teaser_leaves_the_teaser() -> None:
    head = '<meta property="article:published_time" content="2020-10-14T05:50:00+08:00">'
    other = "<p>" + " ".join(["Subscribers enjoy unlimited crosswords, recipes and games."] * 3)
    found = extract_page(page(head, body=other + "</p>"), URL)
    assert found is not None and found.text
    teaser = "The river authority opened the new flood barrier after four years of building."
    done = candidate(teaser).with_page(found)
    assert done.text == teaser
    assert done.published is not None and done.published.isoformat().endswith("+08:00")


def test_a_main_text_sharing_the_teasers_words_replaces_it() -> None:
    found = extract_page(page(), URL)
    assert found is not None
    teaser = "The river authority opened the new flood barrier after four years of building."
    assert candidate(teaser).with_page(found).text == found.text
