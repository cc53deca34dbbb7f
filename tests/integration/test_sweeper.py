"""The sweeper re-queues articles whose task was lost, once, and leaves the others alone."""

import uuid

import psycopg
import pytest
import redis

from shared.bus import Bus
from shared.models import ArticleIn, ArticleStatus
from shared.store import Store
from shared.sweeper import Sweeper
from tests.integration.query_fixtures import Story, store_story
from tests.polling import wait_until

pytestmark = pytest.mark.integration


class RecordingQueue:
    """Stands in for EnrichQueue: a queue name of its own and the ids it was handed."""

    def __init__(self) -> None:
        self.name = f"sweeper-test-{uuid.uuid4().hex[:8]}"
        self.max_depth = None
        self.sent: list[str] = []

    def enqueue(self, article_id: str) -> None:
        self.sent.append(article_id)


@pytest.fixture
def keyed(store: Store, bus: Bus) -> tuple[Store, Bus]:
    return store, bus


def backdate(store: Store, article_id: str, seconds: float) -> None:
    """Pretend the article's status changed `seconds` ago."""
    with psycopg.connect(store.database.pool.conninfo, autocommit=True) as conn:
        conn.execute(
            "UPDATE article_status SET status_since = now() - make_interval(secs => %s) "
            "WHERE article_id = %s",
            (seconds, article_id),
        )


def save(store: Store, n: int) -> str:
    return store.save_article(ArticleIn(title=f"t{n}", text=f"text {n} {uuid.uuid4()}"))[0]


def sweeper(store: Store, bus: Bus, queue: RecordingQueue) -> Sweeper:
    return Sweeper(store, bus, queue, f"test-{uuid.uuid4().hex[:6]}", 60.0, 0.001)  # type: ignore[arg-type]


def test_stale_processing_article_is_requeued_and_a_fresh_one_is_not(
    keyed: tuple[Store, Bus], redis_client: redis.Redis
) -> None:
    store, bus = keyed
    stale, fresh = save(store, 1), save(store, 2)
    for article_id in (stale, fresh):
        assert store.claim_for_enrichment(article_id, max_attempts=3) == "run"
    backdate(store, stale, 120)
    queue = RecordingQueue()

    assert sweeper(store, bus, queue).sweep() == [stale]
    assert queue.sent == [stale]
    assert store.article_status(stale) is ArticleStatus.QUEUED
    assert store.article_status(fresh) is ArticleStatus.PROCESSING
    assert bus.metrics_snapshot()["sweeper_requeues_total"] == 1


def test_stale_queued_article_is_requeued_only_when_the_queue_is_empty(
    keyed: tuple[Store, Bus], redis_client: redis.Redis
) -> None:
    store, bus = keyed
    lost = save(store, 3)
    backdate(store, lost, 120)
    queue = RecordingQueue()
    redis_client.rpush(queue.name, "a task ahead of it")
    sweeping = sweeper(store, bus, queue)
    try:
        assert sweeping.sweep() == []  # a backlog: it may just be waiting
    finally:
        redis_client.delete(queue.name)
    # Each round waits for the previous round's lock (a millisecond here) to lapse.
    assert wait_until(sweeping.sweep, timeout=2, what="a sweep") == [lost]
    with pytest.raises(AssertionError):  # re-queued means fresh again: nothing to sweep
        wait_until(sweeping.sweep, timeout=0.2, what="a second sweep")


def test_one_sweeper_per_round_across_instances(
    keyed: tuple[Store, Bus],
) -> None:
    store, bus = keyed
    lost = save(store, 4)
    backdate(store, lost, 120)
    queue = RecordingQueue()
    first = Sweeper(store, bus, queue, "a", 60.0, 30.0)  # type: ignore[arg-type]
    second = Sweeper(store, bus, queue, "b", 60.0, 30.0)  # type: ignore[arg-type]
    assert first.sweep() == [lost]
    backdate(store, lost, 120)
    assert second.sweep() == []  # the round is taken
    assert queue.sent == [lost]


def test_claim_skips_enriched_and_failed_articles_and_counts_attempts(
    keyed: tuple[Store, Bus],
) -> None:
    store, _ = keyed
    article_id = save(store, 5)
    assert store.claim_for_enrichment(article_id, max_attempts=2) == "run"
    assert store.claim_for_enrichment(article_id, max_attempts=2) == "run"
    assert store.get_article(article_id).attempts == 2
    assert store.claim_for_enrichment(article_id, max_attempts=2) == "dead"
    assert store.claim_for_enrichment(article_id, max_attempts=2) == "failed"
    assert store.count_by_status()[ArticleStatus.FAILED] == 1
    assert store.claim_for_enrichment("0000000000000000", max_attempts=2) == "missing"


def test_retention_runs_from_the_sweeper_once_per_period_across_instances(
    keyed: tuple[Store, Bus],
) -> None:
    store, bus = keyed
    old, recent = save(store, 6), save(store, 7)
    with psycopg.connect(store.database.pool.conninfo, autocommit=True) as conn:
        conn.execute("UPDATE articles SET created_at = now() - interval '40 days' WHERE id = %s",
                     (old,))  # fmt: skip
    queue = RecordingQueue()
    first = Sweeper(store, bus, queue, "a", 60.0, 30.0, retention_days=30)  # type: ignore[arg-type]
    second = Sweeper(store, bus, queue, "b", 60.0, 30.0, retention_days=30)  # type: ignore[arg-type]
    assert first.prune() == 1
    assert second.prune() == 0  # this period's turn is taken
    assert store.count_by_status()[ArticleStatus.QUEUED] == 1
    assert store.article_status(recent) is ArticleStatus.QUEUED
    unlimited = Sweeper(store, bus, queue, "c", 60.0, 30.0)  # type: ignore[arg-type]
    assert unlimited.prune() == 0


def test_the_sweeper_relabels_minority_articles_once_per_period_across_instances(
    keyed: tuple[Store, Bus],
) -> None:
    store, bus = keyed
    spotify_gpe = ("place:spotify", "Spotify", "GPE")
    spotify_org = ("org:spotify", "Spotify", "ORG")

    def story(n: int, entity: tuple[str, str, str]) -> Story:
        return Story(f"Spotify {n}", f"Spotify subscribers, story {n}.", None, entities=[entity])

    early = store_story(store, story(0, spotify_gpe))
    for n in range(1, 4):
        store_story(store, story(n, spotify_org))  # the majority forms after `early`
    queue = RecordingQueue()
    first = Sweeper(store, bus, queue, "a", 60.0, 30.0)  # type: ignore[arg-type]
    second = Sweeper(store, bus, queue, "b", 60.0, 30.0)  # type: ignore[arg-type]
    assert first.relabel() == 1
    assert second.relabel() == 0  # this period's turn is taken
    summary = store.get_article(early).entity_summary
    assert [(e.entity_id, e.label_corrected_from) for e in summary] == [("org:spotify", "GPE")]
    assert [c.articles for c in store.rank_entities(None, ["org:spotify"], 1)] == [4]
