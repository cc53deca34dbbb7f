from datetime import UTC, datetime

import pytest

from services.ingest.entries import ArticleCandidate


def candidate(published: datetime | None) -> ArticleCandidate:
    return ArticleCandidate(
        guid="g", url="https://news.example/a", title="A", text="Words.", published=published,
        author=None, complete=True,
    )  # fmt: skip


@pytest.mark.parametrize("year", [1, 1799, 2201, 9999])
def test_a_feed_date_out_of_range_is_dropped_not_the_entry(year: int) -> None:
    article = candidate(datetime(year, 1, 1, tzinfo=UTC)).to_article_in()
    assert article is not None and article.published_at is None


def test_a_plausible_feed_date_is_kept() -> None:
    article = candidate(datetime(2016, 9, 23, tzinfo=UTC)).to_article_in()
    assert article is not None and article.published_at == datetime(2016, 9, 23, tzinfo=UTC)
