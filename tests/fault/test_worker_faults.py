"""Enrich workers that die: every accepted article still ends enriched once, or dead-lettered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared import metrics
from shared.bus import Bus
from shared.models import ArticleStatus
from shared.queue import EnrichQueue
from shared.store import Store
from shared.submission import submit_article, submit_articles
from tests.fault.conftest import Worker, dev_articles, finished
from tests.fault.poisoned_worker import POISON
from tests.polling import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def submit(store: Store, bus: Bus, queue: EnrichQueue, count: int) -> list[str]:
    return [submit_article(store, bus, queue, article)[0].id for article in dev_articles(count)]


def assert_enriched_once(store: Store, ids: list[str]) -> None:
    """Each article enriched, in exactly one status set, with one consistent result."""
    by_status = store.count_by_status()
    assert by_status[ArticleStatus.ENRICHED] == len(ids)
    assert by_status[ArticleStatus.QUEUED] == by_status[ArticleStatus.PROCESSING] == 0
    for article_id in ids:
        article = store.get_article(article_id)
        assert article.status is ArticleStatus.ENRICHED, (article_id, article.error)
        assert article.entities and article.error is None
        spans = [(e.start, e.end, e.label) for e in article.entities]
        assert len(spans) == len(set(spans))  # one result, not two appended
        for entity in article.entities:
            assert article.text[entity.start : entity.end] == entity.text


def test_sigkilled_worker_loses_nothing_and_enriches_each_article_once(
    fault_store: Store,
    fault_bus: Bus,
    fault_queue: EnrichQueue,
    start_worker: Callable[..., Worker],
) -> None:
    first = start_worker()
    first.wait_ready(fault_bus)
    ids = submit(fault_store, fault_bus, fault_queue, 100)
    counts = fault_store.count_by_status
    wait_until(lambda: counts()[ArticleStatus.ENRICHED] >= 10, timeout=60, what="some enriched")
    first.kill()
    cut_off = fault_store.stale_articles(ArticleStatus.PROCESSING, 0)
    assert counts()[ArticleStatus.ENRICHED] < len(ids)  # the kill landed mid-stream

    second = start_worker()
    second.wait_ready(fault_bus)
    wait_until(lambda: finished(fault_store, ids), timeout=120, interval=0.2, what="all enriched")

    assert_enriched_once(fault_store, ids)
    for article_id in cut_off:  # the ones the kill interrupted were delivered again
        assert fault_store.get_article(article_id).attempts >= 2
    if cut_off:
        assert fault_bus.metrics_snapshot()[metrics.SWEEPER_REQUEUES] >= len(cut_off)


def test_poison_article_is_dead_lettered_after_max_attempts_while_others_are_enriched(
    fault_store: Store,
    fault_bus: Bus,
    fault_queue: EnrichQueue,
    start_worker: Callable[..., Worker],
) -> None:
    worker = start_worker("tests.fault.poisoned_worker")
    worker.wait_ready(fault_bus)
    healthy = submit(fault_store, fault_bus, fault_queue, 20)
    poison = dev_articles(1)[0].model_copy(update={"text": f"Kerry met Lavrov. {POISON}"})
    poison_id = submit_article(fault_store, fault_bus, fault_queue, poison)[0].id
    healthy += submit(fault_store, fault_bus, fault_queue, 20)

    everything = [*healthy, poison_id]
    wait_until(lambda: finished(fault_store, everything), timeout=120, interval=0.2, what="done")

    dead = fault_store.get_article(poison_id)
    assert dead.status is ArticleStatus.FAILED
    assert dead.attempts == 3
    assert dead.error is not None and dead.error.startswith("gave up after 3 attempts")
    assert_enriched_once(fault_store, healthy)
    recorded = fault_bus.metrics_snapshot()
    assert recorded[metrics.DEAD_LETTERS] == 1
    assert recorded[metrics.TASK_RETRIES] >= 2
    assert worker.process.poll() is None  # the worker survived its pool children's deaths


def test_a_poison_article_in_a_batch_costs_only_its_own_attempts(
    fault_store: Store,
    fault_bus: Bus,
    fault_queue: EnrichQueue,
    start_worker: Callable[..., Worker],
) -> None:
    worker = start_worker("tests.fault.poisoned_worker")
    worker.wait_ready(fault_bus)
    poison = dev_articles(1)[0].model_copy(update={"text": f"Kerry met Lavrov. {POISON}"})
    batch = [*dev_articles(4), poison, *dev_articles(3)]  # one batch task of eight
    ids = [
        accepted.id for accepted, _ in submit_articles(fault_store, fault_bus, fault_queue, batch)
    ]
    poison_id, healthy = ids[4], ids[:4] + ids[5:]
    wait_until(lambda: finished(fault_store, ids), timeout=120, interval=0.2, what="done")

    dead = fault_store.get_article(poison_id)
    assert dead.status is ArticleStatus.FAILED and dead.attempts == 3
    assert_enriched_once(fault_store, healthy)
    # The killed batch cost each of them one delivery at most; none came near dead-lettering.
    assert all(fault_store.get_article(i).attempts <= 2 for i in healthy)
    assert fault_bus.metrics_snapshot()[metrics.DEAD_LETTERS] == 1
