"""The enrich task: claim the article by id, run the pure pipeline, store the result.

Delivery is at least once (acks late, requeue on a lost worker, the sweeper); the effect is
exactly once: the claim skips an enriched article, and the result (rows, entity counts, status)
is written in one transaction. While the database is away the task is retried with backoff.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from celery import shared_task

from services.enrich.pipeline import enrich
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
from shared.queue import ENRICH_TASK
from shared.settings import get_settings

log = logging.getLogger(__name__)


@shared_task(
    name=ENRICH_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # The database restarting: try again shortly (the sweeper covers a longer outage).
    autoretry_for=(StoreUnavailable,),
    retry_backoff=1,
    retry_backoff_max=30,
    retry_jitter=True,
    max_retries=30,
)
def enrich_article(article_id: str) -> None:
    """Enrich one stored article; a redelivered task for an enriched article does nothing."""
    with article_context(article_id):
        _enrich(article_id)


def _enrich(article_id: str) -> None:
    store, bus = worker_store(), worker_bus()
    max_attempts = get_settings().max_attempts
    # Counted before the work, so that a task that kills its worker every time still ends:
    # past `max_attempts` deliveries the claim dead-letters the article as failed.
    claim = store.claim_for_enrichment(article_id, max_attempts)
    if claim == "dead":
        bus.count_event(DEAD_LETTERS)
        log.error("dead-lettered after %d attempts", max_attempts)
        return
    if claim != "run":
        log.info("nothing to do: article is %s", claim)
        return
    article = store.get_article(article_id)
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
    took = time.perf_counter() - started
    summary = store.mark_enriched(article_id, enrichment)
    waited = (datetime.now(UTC) - article.created_at).total_seconds()
    bus.observe({ENRICH_SECONDS: took, LATENCY_SECONDS: waited})
    if summary is not None:
        bus.announce_enriched(summary)
    log.info("enriched in %.3f s", took, extra={"entities": len(enrichment.entities)})
