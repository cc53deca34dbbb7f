"""The enrich tasks: claim the articles by id, run the pure pipeline, store the results.

Delivery is at least once (acks late, requeue on a lost worker, the sweeper); the effect is
exactly once: the claim skips an enriched article, and a result (rows, entity counts, status)
is written in one transaction. While the database is away a task is retried with backoff.

A batch task (several ids, from a batch submission) runs them through one `nlp.pipe` and stores
them in one transaction. A batch delivered again may hold the article that killed its worker, so
it is split: each article goes back to the queue alone, this delivery not counted, and only the
culprit spends its attempts.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from celery import current_app, shared_task

from services.enrich.pipeline import Source, enrich, enrich_many
from services.enrich.runtime import worker_bus, worker_nlp, worker_store
from shared.errors import StoreUnavailable
from shared.logs import article_context
from shared.metrics import (
    DEAD_LETTERS,
    ENRICH_SECONDS,
    LATENCY_SECONDS,
    TASK_FAILURES,
    TASK_RETRIES,
)
from shared.models import Article, Enrichment
from shared.queue import ENRICH_BATCH_TASK, ENRICH_TASK, EnrichQueue
from shared.settings import get_settings

log = logging.getLogger(__name__)

# While the database restarts, a task is tried again shortly (with backoff, up to this many
# times); the sweeper covers a longer outage.
RETRIES = 30
RETRY_BACKOFF_MAX_SECONDS = 30


@shared_task(
    name=ENRICH_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
    autoretry_for=(StoreUnavailable,), retry_backoff=1,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS, retry_jitter=True, max_retries=RETRIES,
)  # fmt: skip
def enrich_article(article_id: str) -> None:
    """Enrich one stored article; a redelivered task for an enriched article does nothing."""
    with article_context(article_id):
        _enrich(article_id)


@shared_task(
    name=ENRICH_BATCH_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True,
    autoretry_for=(StoreUnavailable,), retry_backoff=1,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS, retry_jitter=True, max_retries=RETRIES,
)  # fmt: skip
def enrich_articles(article_ids: list[str]) -> None:
    """Enrich several stored articles at once (see the module's docstring)."""
    _enrich_batch(article_ids, EnrichQueue(current_app))


def _enrich(article_id: str) -> None:
    store, bus = worker_store(), worker_bus()
    max_attempts = get_settings().max_attempts
    # Counted before the work, so that a task that kills its worker every time still ends:
    # past `max_attempts` deliveries the claim dead-letters the article as failed.
    claimed, dead = store.claim_articles([article_id], max_attempts)
    if dead:
        bus.count_event(DEAD_LETTERS)
        log.error("dead-lettered after %d attempts", max_attempts)
        return
    if not claimed:
        log.info("nothing to do: the article is enriched, failed or gone")
        return
    article = claimed[0]
    if article.attempts > 1:
        bus.count_event(TASK_RETRIES)
    started = time.perf_counter()
    try:
        enrichment = enrich(worker_nlp(), article.title, article.text, article.published_at)
    except Exception as exc:
        # The pipeline is deterministic: the same text would fail again, so record it.
        log.exception("enrichment failed")
        store.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        bus.count_event(TASK_FAILURES)
        return
    _store_results([(article, enrichment)], time.perf_counter() - started)


def _enrich_batch(article_ids: list[str], queue: EnrichQueue) -> None:
    store, bus = worker_store(), worker_bus()
    max_attempts = get_settings().max_attempts
    articles, dead = store.claim_articles(article_ids, max_attempts)
    if dead:
        bus.count_event(DEAD_LETTERS, len(dead))
        log.error("dead-lettered %d article(s) after %d attempts", len(dead), max_attempts)
    if len(articles) > 1 and any(a.attempts > 1 for a in articles):
        running = [a.id for a in articles]
        store.release_claims(running)
        for article_id in running:
            queue.enqueue(article_id)
        log.warning("a batch delivered again: its %d article(s) re-queued one by one", len(running))
        return
    retried = sum(1 for a in articles if a.attempts > 1)
    if retried:
        bus.count_event(TASK_RETRIES, retried)
    started = time.perf_counter()
    try:
        sources = [Source(a.title, a.text, a.published_at) for a in articles]
        results = list(zip(articles, enrich_many(worker_nlp(), sources), strict=True))
    except Exception:
        # One of them fails the pipeline: each alone, so that only that one is marked failed.
        log.exception("batch enrichment failed; enriching one by one")
        for article in articles:
            with article_context(article.id):
                _enrich_claimed(article)
        return
    _store_results(results, time.perf_counter() - started)


def _enrich_claimed(article: Article) -> None:
    store, bus = worker_store(), worker_bus()
    started = time.perf_counter()
    try:
        enrichment = enrich(worker_nlp(), article.title, article.text, article.published_at)
    except Exception as exc:
        log.exception("enrichment failed")
        store.mark_failed(article.id, f"{type(exc).__name__}: {exc}")
        bus.count_event(TASK_FAILURES)
        return
    _store_results([(article, enrichment)], time.perf_counter() - started)


def _store_results(results: list[tuple[Article, Enrichment]], took: float) -> None:
    """One transaction for the results; then the events and the metrics, one round trip."""
    if not results:
        return
    store, bus = worker_store(), worker_bus()
    summaries = store.mark_many_enriched([(a.id, e) for a, e in results])
    now = datetime.now(UTC)
    per_article = took / len(results)
    bus.record_enriched(
        [s for s in summaries if s is not None],
        [{ENRICH_SECONDS: per_article, LATENCY_SECONDS: (now - a.created_at).total_seconds()}
         for a, _ in results],
    )  # fmt: skip
    for article, enrichment in results:
        with article_context(article.id):
            log.info(
                "enriched in %.3f s", per_article, extra={"entities": len(enrichment.entities)}
            )
