"""Publication timestamps as publishers write them: kept in their own UTC offset, and
placeholders (`0001-01-01`, dates far in the future) treated as unknown.

The offset matters downstream: "today" and "yesterday" in an article mean the publisher's local
day, so `Wed, 14 Oct 2020 05:50 +0800` must stay the 14th, not become 21:50 UTC on the 13th.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

# Before this, a "publication date" on the web is a placeholder or a parsing accident.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
# Clocks and time zones disagree by hours; more than a day ahead is a placeholder or an error.
FUTURE_SLACK = timedelta(days=1)


def plausible(moment: datetime | None, now: datetime | None = None) -> datetime | None:
    """`moment` when it can be a publication time, None for a placeholder."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    return moment if EARLIEST_PLAUSIBLE <= aware <= latest else None


def first_plausible(
    moments: Iterable[datetime | None], now: datetime | None = None
) -> datetime | None:
    """The first moment that is not a placeholder: the next source is the fallback."""
    return next((m for m in moments if plausible(m, now) is not None), None)


def parse_timestamp(value: object) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp in its own offset (none given: UTC); None otherwise."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if moment is None:
        return None
    # RFC 2822's "-0000" and ISO without an offset say nothing of the zone: read as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def feed_timestamp(raw: object, parsed: Any) -> datetime | None:
    """feedparser's moment (a UTC struct_time) in the offset its raw string was written in.

    feedparser reads many more formats than the standard library; its reading decides the
    moment, and the raw string only lends its offset when it names that same moment.
    """
    if parsed is None:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]
        utc = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    own = parse_timestamp(raw)
    try:
        if own is not None and abs(own - utc) < timedelta(seconds=1):
            return own
    except OverflowError:
        pass  # a moment at the edge of the calendar: a placeholder anyway
    return utc
