"""What an article is indexed under."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.article_terms import (
    MAX_WORDS_PER_ARTICLE,
    DaySpan,
    bound_score,
    day_span,
    indexed_words,
    mentioned_spans,
    order_score,
    top_entities,
    words,
)
from shared.models import DateMention, EntitySummary


def test_order_score_orders_by_time_and_keeps_within_the_second() -> None:
    day = datetime(2016, 9, 23, tzinfo=UTC)
    later = datetime(2016, 9, 23, 0, 0, 1, tzinfo=UTC)
    ids = [f"{n:016x}" for n in range(200)]
    scores = {order_score(day, i) for i in ids}
    assert len(scores) > 190  # ties within one second are rare
    assert all(bound_score(day) <= s < bound_score(later) for s in scores)
    assert min(order_score(later, i) for i in ids) > max(scores)


@pytest.mark.parametrize(
    ("value", "span", "bucket"),
    [
        ("2016-09-23", DaySpan(date(2016, 9, 23), date(2016, 9, 23)), "day"),
        ("2016-09-23T10:30", DaySpan(date(2016, 9, 23), date(2016, 9, 23)), "day"),
        ("2016-02", DaySpan(date(2016, 2, 1), date(2016, 2, 29)), "month"),
        ("2016-12", DaySpan(date(2016, 12, 1), date(2016, 12, 31)), "month"),
        ("2016-W38", DaySpan(date(2016, 9, 19), date(2016, 9, 25)), "month"),
        ("2016", DaySpan(date(2016, 1, 1), date(2016, 12, 31)), "year"),
    ],
)
def test_day_spans_of_timex_values(value: str, span: DaySpan, bucket: str) -> None:
    assert day_span(value) == span
    assert span.bucket == bucket


@pytest.mark.parametrize("value", ["PRESENT_REF", "201X", "P1D", "2016-13", "2016-02-30", "XXXX"])
def test_vague_or_invalid_values_are_not_indexed(value: str) -> None:
    assert day_span(value) is None


def test_only_dates_and_times_are_mentioned_spans() -> None:
    def mention(kind: str, value: str) -> DateMention:
        return DateMention(text="x", type=kind, value=value, start=0, end=1)  # type: ignore[arg-type]

    spans = mentioned_spans(
        [mention("DATE", "2016-09-23"), mention("DATE", "2016-09-23"),
         mention("DURATION", "P1D"), mention("TIME", "2016-09-22T09:00")]
    )  # fmt: skip
    assert spans == {
        DaySpan(date(2016, 9, 23), date(2016, 9, 23)),
        DaySpan(date(2016, 9, 22), date(2016, 9, 22)),
    }


def test_words_are_folded_and_stop_words_dropped() -> None:
    assert words("The Truce in SYRIA, Lavrov's talks; a 2016 deal") == [
        "truce", "syria", "lavrov", "talks", "2016", "deal"
    ]  # fmt: skip


def test_indexed_words_are_distinct_title_first_and_bounded() -> None:
    assert indexed_words("Truce talks", "Talks on a truce in Syria.") == ["truce", "talks", "syria"]
    many = " ".join(f"w{n}" for n in range(MAX_WORDS_PER_ARTICLE * 2))
    assert len(indexed_words("Title", many)) == MAX_WORDS_PER_ARTICLE


def test_top_entities_by_salience_then_mentions() -> None:
    def entity(name: str, salience: float, mentions: int) -> EntitySummary:
        return EntitySummary(entity_id=f"x:{name}", name=name, label="ORG", mentions=mentions,
                             salience=salience)  # fmt: skip

    ranked = top_entities([entity(f"e{n}", n / 10, 1) for n in range(8)] + [entity("a", 0.7, 3)])
    assert [e.name for e in ranked] == ["a", "e7", "e6", "e5", "e4"]
