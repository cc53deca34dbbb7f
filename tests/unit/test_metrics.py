"""Worker-side histogram buckets and their Prometheus rendering."""

from services.api.routes.metrics import Snapshot, render
from shared import metrics
from shared.models import ArticleStatus


def recorded(*observations: float) -> dict[str, float]:
    raw: dict[str, float] = {}
    for seconds in observations:
        for field, amount in metrics.observation_fields(metrics.ENRICH_SECONDS, seconds).items():
            raw[field] = raw.get(field, 0.0) + amount
    return raw


def test_an_observation_lands_in_the_first_bucket_at_or_above_it() -> None:
    assert metrics.bucket_field(metrics.ENRICH_SECONDS, 0.05) == "enrich_seconds:bucket:0.05"
    assert metrics.bucket_field(metrics.ENRICH_SECONDS, 0.051) == "enrich_seconds:bucket:0.1"
    assert metrics.bucket_field(metrics.ENRICH_SECONDS, 1e6) == "enrich_seconds:bucket:+Inf"


def test_snapshot_buckets_are_cumulative_and_count_every_observation() -> None:
    snapshot = metrics.histogram_snapshot(metrics.ENRICH_SECONDS, recorded(0.02, 0.07, 0.08, 99))
    buckets = dict(snapshot.buckets)
    assert (buckets["0.01"], buckets["0.025"], buckets["0.1"], buckets["60.0"]) == (0, 1, 3, 3)
    assert buckets["+Inf"] == snapshot.count == 4
    assert abs(snapshot.total - 99.17) < 1e-9


def test_render_is_prometheus_text_with_every_family() -> None:
    snapshot = Snapshot(
        recorded={**recorded(0.07), metrics.DEAD_LETTERS: 2.0},
        by_status={ArticleStatus.QUEUED: 5, ArticleStatus.FAILED: 2},
        queue_depths={"enrich": 5},
        enrich_workers=1,
    )
    text = render(snapshot).decode()
    assert 'gazette_queue_depth{queue="enrich"} 5.0' in text
    assert 'gazette_articles{status="processing"} 0.0' in text
    assert 'gazette_articles{status="failed"} 2.0' in text
    assert "gazette_dead_letters_total 2.0" in text
    assert "gazette_task_retries_total 0.0" in text
    assert "gazette_enrich_workers 1.0" in text
    assert 'gazette_enrich_seconds_bucket{le="0.1"} 1.0' in text
    assert "gazette_accepted_to_enriched_seconds_count 0.0" in text
    assert "# TYPE gazette_enrich_seconds histogram" in text
