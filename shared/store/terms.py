"""What an article is filed under: pure functions from an article to the values the archive
keeps for querying it (its order key, source key, top entities, the days its dates cover).

Every list is ordered by `order_score`, so that a cursor is just the (score, id) of the last
article seen, and ties within a second are rare.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from shared.models import DateMention, EntitySummary

TOP_ENTITIES = 5

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


class DaySpan(NamedTuple):
    """The first and last day (inclusive) a date mention stands for."""

    first: date
    last: date


def order_score(moment: datetime, article_id: str) -> float:
    """Publication time in whole seconds plus a fraction from the id, so that articles of one
    day rarely tie (ties are still ordered by id). Exact in a double until the year 2106."""
    return float(int(moment.timestamp())) + (zlib.crc32(article_id.encode()) & 0xFFFFF) / 2**20


def bound_score(moment: datetime) -> float:
    """The lowest order score an article published at `moment` can have."""
    return float(int(moment.timestamp()))


def normal_source(source: str) -> str:
    """Sources match case-insensitively."""
    return source.strip().casefold()


def top_entities(summary: Iterable[EntitySummary]) -> list[EntitySummary]:
    """The few entities an article is most about, for list views."""
    return sorted(summary, key=lambda e: (-e.salience, -e.mentions, e.name))[:TOP_ENTITIES]


def day_span(value: str) -> DaySpan | None:
    """The days a TIMEX3 date value covers; None for values too vague to index (decades,
    PRESENT_REF, durations)."""
    try:
        if match := _DAY.match(value):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return DaySpan(day, day)
        if match := _MONTH.match(value):
            first = date(int(match[1]), int(match[2]), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return DaySpan(first, following - timedelta(days=1))
        if match := _WEEK.match(value):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return DaySpan(monday, monday + timedelta(days=6))
        if match := _YEAR.match(value):
            year = int(match[1])
            return DaySpan(date(year, 1, 1), date(year, 12, 31))
    except ValueError:
        return None
    return None


def mentioned_spans(dates: Iterable[DateMention]) -> set[DaySpan]:
    """The distinct day spans of an article's DATE and TIME mentions."""
    # An article names the same few days many times over: each value is read once.
    values = {d.value for d in dates if d.type in ("DATE", "TIME")}
    return {span for span in map(day_span, values) if span is not None}
