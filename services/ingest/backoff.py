"""When to poll a feed again: exponential backoff on errors, combined with `Retry-After`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class BackoffPolicy:
    """`base * factor**(errors-1)` after `errors` consecutive failures, never above `cap`."""

    base: timedelta = timedelta(minutes=5)
    factor: float = 2.0
    cap: timedelta = timedelta(hours=12)
    # A server's Retry-After is honoured, but one asking for days is not allowed to park a feed.
    retry_after_cap: timedelta = timedelta(days=1)

    def delay(self, error_count: int, retry_after: timedelta | None = None) -> timedelta:
        """The wait before the next attempt: the larger of our backoff and the server's ask."""
        ours = timedelta(0)
        if error_count > 0:
            # In float seconds, capped before it becomes a timedelta, so months of failures
            # cannot overflow.
            exponent = min(error_count - 1, 64)
            seconds = self.base.total_seconds() * self.factor**exponent
            ours = timedelta(seconds=min(seconds, self.cap.total_seconds()))
        if retry_after is None:
            return ours
        theirs = min(max(retry_after, timedelta(0)), self.retry_after_cap)
        return max(ours, theirs)

    def next_attempt(
        self, error_count: int, now: datetime, retry_at: datetime | None = None
    ) -> datetime:
        """The moment of the next attempt, from `now` and an optional server-given moment."""
        retry_after = None if retry_at is None else retry_at - now
        return now + self.delay(error_count, retry_after)


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """The moment a `Retry-After` header names (delta-seconds or HTTP-date), or None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        # Bounded so an absurd value cannot overflow datetime arithmetic.
        return now + timedelta(seconds=min(int(value), 10**8))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        # RFC 9110 dates are GMT; parsedate_to_datetime leaves "-0000" naive.
        moment = moment.replace(tzinfo=UTC)
    return max(moment.astimezone(UTC), now)
