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
