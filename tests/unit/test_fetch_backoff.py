"""When a failing or throttled feed is polled again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.ingest.backoff import BackoffPolicy, parse_retry_after

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
POLICY = BackoffPolicy(
    base=timedelta(minutes=5), factor=2.0, cap=timedelta(hours=1), retry_after_cap=timedelta(days=1)
)


def test_no_errors_means_no_extra_delay() -> None:
    assert POLICY.delay(0) == timedelta(0)


def test_the_delay_grows_with_each_error_and_stops_at_the_cap() -> None:
    delays = [POLICY.delay(errors) for errors in range(1, 8)]
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert delays[4:] == [timedelta(hours=1)] * 3
    assert POLICY.delay(10_000) == timedelta(hours=1)  # months of failures do not overflow


def test_retry_after_wins_when_longer_and_our_backoff_when_longer() -> None:
    assert POLICY.delay(1, retry_after=timedelta(minutes=30)) == timedelta(minutes=30)
    assert POLICY.delay(4, retry_after=timedelta(minutes=1)) == timedelta(minutes=40)
    assert POLICY.delay(1, retry_after=timedelta(days=30)) == timedelta(days=1)
    assert POLICY.delay(0, retry_after=timedelta(seconds=-5)) == timedelta(0)


def test_next_attempt_combines_the_server_moment_with_the_backoff() -> None:
    assert POLICY.next_attempt(0, NOW, NOW + timedelta(minutes=2)) == NOW + timedelta(minutes=2)
    assert POLICY.next_attempt(2, NOW) == NOW + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        (" 0 ", NOW),
        ("Tue, 10 Mar 2026 13:30:00 GMT", datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),
        ("Tuesday, 10-Mar-26 13:30:00 GMT", datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),
        ("Mon, 09 Mar 2026 10:00:00 GMT", NOW),  # a moment already past means now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, expected: datetime | None
) -> None:
    assert parse_retry_after(header, NOW) == expected


def test_an_absurd_retry_after_does_not_overflow() -> None:
    moment = parse_retry_after("9" * 40, NOW)
    assert moment is not None
    assert moment > NOW + timedelta(days=365)
