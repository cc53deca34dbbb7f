"""What an article is filed under: its order key, the days its dates cover, its top entities."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.models import DateMention, EntitySummary
from shared.store.terms import (
    DaySpan,
    bound_score,
    day_span,
    mentioned_spans,
    order_score,
    top_entities,
)


def test_order_score_orders_by_time_and_keeps_within_the_second() -> None:
    day = datetime(2016, 9, 23, tzinfo=UTC)
    later = datetime(2016, 9, 23, 0, 0, 1, tzinfo=UTC)
    ids = [f"{n:016x}" for n in range(200)]
    scores = {order_score(day, i) for i in ids}
    assert len(scores) > 190  # ties within one second are rare
    assert all(bound_score(day) <= s < bound_score(later) for s in scores)
    assert min(order_score(later, i) for i in ids) > max(scores)


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2016-09-23", DaySpan(date(2016, 9, 23), date(2016, 9, 23))),
        ("2016-09-23T10:30", DaySpan(date(2016, 9, 23), date(2016, 9, 23))),
        ("2016-02", DaySpan(date(2016, 2, 1), date(2016, 2, 29))),
        ("2016-12", DaySpan(date(2016, 12, 1), date(2016, 12, 31))),
        ("2016-W38", DaySpan(date(2016, 9, 19), date(2016, 9, 25))),
        ("2016", DaySpan(date(2016, 1, 1), date(2016, 12, 31))),
    ],
)
def test_day_spans_of_timex_values(value: str, span: DaySpan) -> None:
    assert day_span(value) == span


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


def test_top_entities_by_salience_then_mentions() -> None:
    def entity(name: str, salience: float, mentions: int) -> EntitySummary:
        return EntitySummary(entity_id=f"x:{name}", name=name, label="ORG", mentions=mentions,
                             salience=salience)  # fmt: skip

    ranked = top_entities([entity(f"e{n}", n / 10, 1) for n in range(8)] + [entity("a", 0.7, 3)])
    assert [e.name for e in ranked] == ["a", "e7", "e6", "e5", "e4"]
