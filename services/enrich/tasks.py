"""The enrich task: claim the article by id, run the pure pipeline, store the result.

Delivery is at least once (acks late, requeue on a lost worker, the sweeper); the effect is
exactly once: the claim skips an enriched article, and the result is written in one transaction.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from celery import shared_task

from services.enrich.pipeline import enrich
from services.enrich.runtime import worker_nlp, worker_store
from shared.logs import article_context
from shared.metrics import ENRICH_SECONDS, LATENCY_SECONDS, TASK_FAILURES
from shared.queue import ENRICH_TASK
from shared.settings import get_settings

log = logging.getLogger(__name__)


@shared_task(name=ENRICH_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def enrich_article(article_id: str) -> None:
    """Enrich one stored article; a redelivered task for an enriched article does nothing."""
    with article_context(article_id):
        _enrich(article_id)


def _enrich(article_id: str) -> None:
    store = worker_store()
    # Counted before the work, so that a task that kills its worker every time still ends:
    # past `max_attempts` deliveries the claim dead-letters the article as failed.
    claim = store.claim_for_enrichment(article_id, get_settings().max_attempts)
    if claim == "dead":
        log.error("dead-lettered after %d attempts", get_settings().max_attempts)
        return
    if claim != "run":
        log.info("nothing to do: article is %s", claim)
        return
    article = store.get_article(article_id)
    started = time.perf_counter()
    try:
        enrichment = enrich(worker_nlp(), article.title, article.text, article.published_at)
    except Exception as exc:
        # The pipeline is deterministic: the same text would fail again, so record it.
        log.exception("enrichment failed")
        store.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        store.count_event(TASK_FAILURES)
        return
    took = time.perf_counter() - started
    waited = (datetime.now(UTC) - article.created_at).total_seconds()
    store.mark_enriched(article_id, enrichment, {ENRICH_SECONDS: took, LATENCY_SECONDS: waited})
    log.info("enriched in %.3f s", took, extra={"entities": len(enrichment.entities)})
