"""Calendar arithmetic for TIMEX3 values: shifting, nearest weekday or month, ISO formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Tense = Literal["past", "future"]


@dataclass(frozen=True)
class Reference:
    """What a relative expression is resolved against."""

    anchor: date | None  # the publication date, in the publisher's own day
    focus: date | None  # the last fully specified day the text spoke of ("the same day")
    tense: Tense | None  # the direction of the clause around the expression
    # The year the text names as its subject ("the 2020 tour"), when it is this year or next.
    topic_year: int | None = None
    # The last quarter the text named ("1989-Q3"): "the quarter", "a year earlier" refer to it.
    period: str | None = None
    # The month the text last named ("2009-01"): "the following month", "the same month".
    month: str | None = None


def day_value(day: date) -> str:
    return day.isoformat()


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """The (year, month) `months` after the given one (negative goes back)."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def shift_day(day: date, months: int = 0, days: int = 0) -> date:
    """Move a day by whole months (clamped to the month's end) and days."""
    year, month = add_months(day.year, day.month, months)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last)) + timedelta(days=days)
        except ValueError:
            continue
    raise ValueError(day)


def nearest_weekday(anchor: date, weekday: int, tense: Tense | None) -> date:
    """The weekday (1 = Monday) on or before the anchor, or on or after it in a future clause."""
    delta = weekday - anchor.isoweekday()
    if tense == "future":
        return anchor + timedelta(days=delta % 7)
    return anchor - timedelta(days=(-delta) % 7)


# How far the clause's tense may send a date given without a year from the nearest occurrence:
# "fell in March" in an October article is this March (7 months back), but "qualified for the
# December debate" in November is next month's debate, not one eleven months ago.
TENSE_REACH_DAYS = 290


def _days_between(anchor: date, year: int, month: int, day: int | None) -> int:
    """Days from the anchor to the day (or the month's middle), in a calendar without its ends."""
    months = (year - anchor.year) * 12 + month - anchor.month
    if day is None:
        return months * 30 + 15 - min(anchor.day, 30) if months else 0
    return months * 30 + min(day, 30) - min(anchor.day, 30)


def nearest_year(
    anchor: date, month: int, day: int | None, tense: Tense | None, topic_year: int | None = None
) -> int:
    """The year of a month (and day) given without one.

    The nearest occurrence, unless the clause's tense points the other way and its occurrence in
    that direction is within reach, or the text is about a year of its own (a listing of next
    year's dates) and the date falls within a year of publication there.
    """
    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    nearest = min(
        years, key=lambda year: (abs(_days_between(anchor, year, month, day)), year != anchor.year)
    )
    in_topic = tense is None and topic_year is not None and topic_year in years[1:]
    if in_topic and abs(_days_between(anchor, topic_year, month, day)) <= 366:  # type: ignore[arg-type]
        return topic_year  # type: ignore[return-value]
    away = _days_between(anchor, nearest, month, day)
    step = -1 if tense == "past" and away > 0 else 1 if tense == "future" and away < 0 else 0
    if step and abs(_days_between(anchor, nearest + step, month, day)) <= TENSE_REACH_DAYS:
        return nearest + step
    return nearest


def period_year(anchor: date, first_month: int, tense: Tense | None) -> int:
    """The year of a season or quarter starting in `first_month`, in the clause's direction."""
    if tense == "past" and first_month > anchor.month:
        return anchor.year - 1
    if tense == "future" and first_month + 2 < anchor.month:
        return anchor.year + 1
    return anchor.year


def quarter_year(anchor: date, quarter: int, tense: Tense | None) -> int:
    """The year of a quarter given without one: this year's, unless it is still ahead in a past
    clause (last year's) or long gone in a future one (next year's). "Third-quarter results" in
    October are this year's; "the fourth quarter" in February is last year's."""
    current = quarter_of(anchor.month)
    if tense == "future":
        return anchor.year + 1 if quarter <= current - 2 else anchor.year
    if quarter > current + (0 if tense == "past" else 1):
        return anchor.year - 1
    return anchor.year


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The `nth` ISO weekday of a month (-1: the last), e.g. the fourth Thursday of November."""
    if nth < 0:
        last = shift_day(date(year, month, 28), days=4).replace(day=1) - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
