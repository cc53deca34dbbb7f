"""Cursors and the checks of a query."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

import pytest

from shared.errors import InvalidQuery
from shared.store.query import ArticleQuery, Cursor


def test_cursor_round_trips_exactly() -> None:
    cursor = Cursor(1474588800.4562340, "78a024e0610f5003")
    token = cursor.encode()
    assert "=" not in token and "/" not in token and "+" not in token  # safe in a URL
    assert Cursor.decode(token) == cursor


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64!",
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b'{"s": 1}').decode(),
        base64.urlsafe_b64encode(b'[true, "x"]').decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_anything_else_is_an_invalid_query(token: str) -> None:
    with pytest.raises(InvalidQuery):
        Cursor.decode(token)


@pytest.mark.parametrize(
    "query",
    [
        ArticleQuery(limit=0),
        ArticleQuery(limit=101),
        ArticleQuery(
            published_from=datetime(2016, 9, 2, tzinfo=UTC),
            published_before=datetime(2016, 9, 1, tzinfo=UTC),
        ),
        ArticleQuery(mentions_from=date(2016, 9, 2), mentions_to=date(2016, 9, 1)),
    ],
)
def test_impossible_queries_are_refused(query: ArticleQuery) -> None:
    with pytest.raises(InvalidQuery):
        query.check()


def test_relevance_needs_words_to_rank_by() -> None:
    with pytest.raises(InvalidQuery):
        ArticleQuery(by_relevance=True).check()
    ArticleQuery(text="truce", by_relevance=True).check()


def test_a_one_day_mention_range_is_fine() -> None:
    ArticleQuery(mentions_from=date(2016, 9, 1), mentions_to=date(2016, 9, 1)).check()
