"""Calendar arithmetic for TIMEX3 values: shifting, nearest weekday or month, ISO formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Tense = Literal["past", "future"]


@dataclass(frozen=True)
class Reference:
    """What a relative expression is resolved against."""

    anchor: date | None  # the publication date
    focus: date | None  # the last fully specified day the text spoke of ("the same day")
    tense: Tense | None  # the direction of the clause around the expression


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


def nearest_year(anchor: date, month: int, day: int | None, tense: Tense | None) -> int:
    """The year of a month (and day) given without one, in the clause's direction."""
    mark = (month, day or 1) if day else (month, 1)
    now = (anchor.month, anchor.day if day else 1)
    if tense == "past":
        return anchor.year if mark <= now else anchor.year - 1
    if tense == "future":
        return anchor.year if mark >= now else anchor.year + 1
    # No direction: the closest occurrence, so a December date in a January article is last year.
    if month - anchor.month > 6:
        return anchor.year - 1
    if anchor.month - month > 6:
        return anchor.year + 1
    return anchor.year


def period_year(anchor: date, first_month: int, tense: Tense | None) -> int:
    """The year of a season or quarter starting in `first_month`, in the clause's direction."""
    if tense == "past" and first_month > anchor.month:
        return anchor.year - 1
    if tense == "future" and first_month + 2 < anchor.month:
        return anchor.year + 1
    return anchor.year
