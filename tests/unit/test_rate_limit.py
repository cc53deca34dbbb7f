"""The per-client token buckets behind the 429s."""

from __future__ import annotations

import pytest

from services.api.limits import TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_budget_then_a_wait_until_a_token_is_back() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=6, clock=clock)
    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    assert buckets.take("a") == pytest.approx(10.0)  # 6 a minute: one token every 10 s
    clock.now += 4
    assert buckets.take("a") == pytest.approx(6.0)
    clock.now += 6.001
    assert buckets.take("a") == 0.0


def test_clients_have_their_own_budgets() -> None:
    buckets = TokenBuckets(per_minute=1, clock=Clock())
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0


def test_an_idle_client_gets_a_full_budget_back_but_no_more() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=2, clock=clock)
    buckets.take("a")
    clock.now += 3600
    assert [buckets.take("a") == 0.0 for _ in range(3)] == [True, True, False]
