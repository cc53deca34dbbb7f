"""What the workers count for `/metrics`: histogram buckets and counter names, kept in Redis.

The enrich workers are separate processes (often on other machines), so they cannot share a
Prometheus registry with the API. They add to a Redis hash in the same transaction that stores
their result; the API reads the hash at scrape time and renders it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

# Seconds. Enrichment of one article is tens of milliseconds; a backlog stretches accept-to-done.
ENRICH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0)

ENRICH_SECONDS = "enrich_seconds"
LATENCY_SECONDS = "accepted_to_enriched_seconds"
HISTOGRAMS: dict[str, tuple[float, ...]] = {
    ENRICH_SECONDS: ENRICH_BUCKETS,
    LATENCY_SECONDS: LATENCY_BUCKETS,
}

TASK_FAILURES = "task_failures_total"
TASK_RETRIES = "task_retries_total"
DEAD_LETTERS = "dead_letters_total"
SWEEPER_REQUEUES = "sweeper_requeues_total"
COUNTERS = (TASK_FAILURES, TASK_RETRIES, DEAD_LETTERS, SWEEPER_REQUEUES)


def bucket_field(histogram: str, seconds: float) -> str:
    """The hash field of the (non-cumulative) bucket one observation falls in."""
    bounds = HISTOGRAMS[histogram]
    index = bisect_left(bounds, seconds)
    upper = "+Inf" if index == len(bounds) else repr(bounds[index])
    return f"{histogram}:bucket:{upper}"


def observation_fields(histogram: str, seconds: float) -> dict[str, float]:
    """The hash increments that record one observation: its bucket and the sum."""
    return {bucket_field(histogram, seconds): 1, f"{histogram}:sum": seconds}


@dataclass(frozen=True)
class HistogramSnapshot:
    """Cumulative buckets (Prometheus' shape) read back from the hash."""

    buckets: list[tuple[str, float]]
    total: float
    count: float


def histogram_snapshot(histogram: str, raw: Mapping[str, float]) -> HistogramSnapshot:
    """Turn the per-bucket counts in `raw` into Prometheus' cumulative `le` buckets."""
    running = 0.0
    buckets = []
    for upper in [*map(repr, HISTOGRAMS[histogram]), "+Inf"]:
        running += raw.get(f"{histogram}:bucket:{upper}", 0.0)
        buckets.append((upper, running))
    return HistogramSnapshot(buckets, raw.get(f"{histogram}:sum", 0.0), running)
