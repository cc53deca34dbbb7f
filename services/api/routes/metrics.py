"""`/metrics` in Prometheus' text format: queues, articles by status, worker-side histograms.

The enrich workers record their counters and histograms in Redis (see `shared.metrics`); this
route renders them with the live gauges at scrape time, so any API replica serves the same view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from services.api.deps import BusDep, SettingsDep, StoreDep
from shared import metrics
from shared.models import ArticleStatus
from shared.queue import ENRICH_QUEUE

router = APIRouter(tags=["operations"])

_COUNTER_HELP = {
    metrics.TASK_FAILURES: "Enrichments that raised (the article is marked failed).",
    metrics.TASK_RETRIES: "Deliveries of an article after its first attempt.",
    metrics.DEAD_LETTERS: "Articles failed after too many attempts (worker died or timed out).",
    metrics.SWEEPER_REQUEUES: "Articles re-queued by the sweeper after losing their task.",
}
_HISTOGRAM_HELP = {
    metrics.ENRICH_SECONDS: "Seconds the enrichment pipeline took per article.",
    metrics.LATENCY_SECONDS: "Seconds from accepting an article to storing its enrichment.",
}


@dataclass(frozen=True)
class Snapshot:
    """What one scrape reads from the store."""

    recorded: Mapping[str, float]
    by_status: Mapping[ArticleStatus, int]
    queue_depths: Mapping[str, int]
    enrich_workers: int


class SnapshotCollector(Collector):
    """Prometheus metric families for one snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        snap = self._snapshot
        depth = GaugeMetricFamily(
            "gazette_queue_depth", "Tasks waiting on a queue.", labels=["queue"]
        )
        for queue, waiting in snap.queue_depths.items():
            depth.add_metric([queue], waiting)
        yield depth
        articles = GaugeMetricFamily("gazette_articles", "Articles by status.", labels=["status"])
        for status in ArticleStatus:
            articles.add_metric([status.value], snap.by_status.get(status, 0))
        yield articles
        yield GaugeMetricFamily(
            "gazette_enrich_workers", "Enrich workers with a fresh heartbeat.", snap.enrich_workers
        )
        for name in metrics.COUNTERS:
            yield CounterMetricFamily(
                f"gazette_{name}", _COUNTER_HELP[name], snap.recorded.get(name, 0.0)
            )
        for name in metrics.HISTOGRAMS:
            histogram = metrics.histogram_snapshot(name, snap.recorded)
            yield HistogramMetricFamily(
                f"gazette_{name}",
                _HISTOGRAM_HELP[name],
                buckets=histogram.buckets,
                sum_value=histogram.total,
            )


def render(snapshot: Snapshot) -> bytes:
    """The snapshot in Prometheus' text exposition format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(snapshot))
    return generate_latest(registry)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text"}},
    summary="Queue depths, articles by status, enrichment latency, failures and retries",
)
def get_metrics(store: StoreDep, bus: BusDep, settings: SettingsDep) -> Response:
    snapshot = Snapshot(
        recorded=bus.metrics_snapshot(),
        by_status=store.count_by_status(),
        queue_depths={ENRICH_QUEUE: bus.queue_depth(ENRICH_QUEUE)},
        enrich_workers=len(bus.live_workers("enrich", settings.worker_heartbeat_seconds)),
    )
    return Response(render(snapshot), media_type=CONTENT_TYPE_LATEST)
