from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from shared.models import ArticleIn


def test_a_bare_date_is_midnight_utc_and_a_naive_time_is_utc() -> None:
    assert ArticleIn(title="t", text="x", published_at="2016-09-23").published_at == datetime(
        2016, 9, 23, tzinfo=UTC
    )
    naive = ArticleIn(title="t", text="x", published_at="2016-09-23T10:30:00")
    assert naive.published_at == datetime(2016, 9, 23, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "text": "x"},
        {"title": "t"},
        {"title": "t", "text": "x", "published_at": "yesterday"},
        {"title": "t", "text": "x", "colour": "red"},
    ],
)
def test_invalid_submissions_are_refused(body: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ArticleIn.model_validate(body)


@pytest.mark.parametrize(
    "fields",
    [{"text": "nul \x00 inside"}, {"title": "lone \udb02 surrogate"}, {"source": "a\x00b"}],
)
def test_text_the_archive_cannot_keep_exactly_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ArticleIn.model_validate({"title": "T", "text": "x", **fields})


@pytest.mark.parametrize(
    "published_at",
    ["0001-01-01", "9999-12-31", 1474588800, 1474588800.5, "1474588800", "", datetime(1700, 1, 1)],
)
def test_publication_dates_are_iso_8601_within_1800_to_2200(published_at: object) -> None:
    with pytest.raises(ValidationError, match="published_at"):
        ArticleIn.model_validate({"title": "t", "text": "x", "published_at": published_at})


def test_publication_dates_at_the_edges_and_from_python_code_are_accepted() -> None:
    assert ArticleIn(title="t", text="x", published_at="1800-01-01").published_at == datetime(
        1800, 1, 1, tzinfo=UTC
    )
    late = ArticleIn(title="t", text="x", published_at=datetime(2200, 12, 31, 23, 59))
    assert late.published_at == datetime(2200, 12, 31, 23, 59, tzinfo=UTC)
    week = ArticleIn(title="t", text="x", published_at="2016-W38-5")  # ISO 8601 week date
    assert week.published_at == datetime(2016, 9, 23, tzinfo=UTC)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:,x", "mailto:a@b.example", "/a"])
def test_article_urls_are_http_or_https(url: str) -> None:
    with pytest.raises(ValidationError, match="url"):
        ArticleIn(title="t", text="x", url=url)
