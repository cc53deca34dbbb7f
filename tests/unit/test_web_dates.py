"""TIMEX3 values in words, and the days a value covers."""

from __future__ import annotations

from datetime import date

import pytest

from services.api.web.dates import day_span, humanise


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        ("2016-09-22", "DATE", "Thu 22 Sep 2016"),
        ("2016-09-22T15:00", "TIME", "Thu 22 Sep 2016, 15:00"),
        ("2016-09-22TMO", "TIME", "Thu 22 Sep 2016, morning"),
        ("2016-09", "DATE", "September 2016"),
        ("2016-W38", "DATE", "week 38 of 2016"),
        ("2016-Q3", "DATE", "Q3 2016"),
        ("2016-SU", "DATE", "summer 2016"),
        ("2016", "DATE", "2016"),
        ("201", "DATE", "the 2010s"),
        ("XXXX-09-22", "DATE", "22 Sep"),
        ("PRESENT_REF", "DATE", "now"),
        ("PAST_REF", "DATE", "the past"),
        ("P1D", "DURATION", "1 day"),
        ("P3W", "DURATION", "3 weeks"),
        ("PT2H", "DURATION", "2 hours"),
        ("P1.5Y", "DURATION", "1.5 years"),
        ("PXY", "DURATION", "some years"),
        ("P1W", "SET", "every week"),
        ("XXXX-WXX-1", "SET", "every Monday"),
        ("2016-13-45", "DATE", "2016-13-45"),
        ("whatever", "DATE", "whatever"),
    ],
)
def test_values_read_as_a_reader_would_say_them(value: str, kind: str, shown: str) -> None:
    assert humanise(value, kind) == shown


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2016-09-22", (date(2016, 9, 22), date(2016, 9, 22))),
        ("2016-09-22T15:00", (date(2016, 9, 22), date(2016, 9, 22))),
        ("2016-02", (date(2016, 2, 1), date(2016, 2, 29))),
        ("2016-W38", (date(2016, 9, 19), date(2016, 9, 25))),
        ("2016-Q3", (date(2016, 7, 1), date(2016, 9, 30))),
        ("2016-H1", (date(2016, 1, 1), date(2016, 6, 30))),
        ("2016", (date(2016, 1, 1), date(2016, 12, 31))),
        ("P1D", None),
        ("PRESENT_REF", None),
        ("XXXX-09-22", None),
        ("2016-13-01", None),
    ],
)
def test_the_days_a_value_covers(value: str, span: tuple[date, date] | None) -> None:
    assert day_span(value) == span
