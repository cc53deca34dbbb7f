"""The enrich task: load the article by id, run the pure pipeline, store the result."""

from __future__ import annotations

import logging

from celery import shared_task

from services.enrich.pipeline import enrich
from services.enrich.runtime import worker_nlp, worker_store
from shared.errors import ArticleNotFound
from shared.models import ArticleStatus
from shared.queue import ENRICH_TASK

log = logging.getLogger(__name__)


@shared_task(name=ENRICH_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def enrich_article(article_id: str) -> None:
    """Enrich one stored article; a redelivered task for an enriched article does nothing."""
    store = worker_store()
    try:
        if store.article_status(article_id) is ArticleStatus.ENRICHED:
            return
        article = store.mark_processing(article_id)
    except ArticleNotFound:
        log.warning("article %s is gone; nothing to enrich", article_id)
        return
    try:
        enrichment = enrich(worker_nlp(), article.title, article.text, article.published_at)
    except Exception as exc:
        # The pipeline is deterministic: the same text would fail again, so record it.
        log.exception("enrichment of %s failed", article_id)
        store.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        return
    store.mark_enriched(article_id, enrichment)
