"""Accepting an article: store it first, then queue its enrichment."""

from __future__ import annotations

from shared.models import Accepted, ArticleIn, ArticleStatus
from shared.queue import EnrichQueue
from shared.store import Store


def submit_article(store: Store, queue: EnrichQueue, article: ArticleIn) -> tuple[Accepted, bool]:
    """Store a new article and queue it; a known one is answered with its id and status."""
    article_id, created = store.save_article(article)
    if created:
        queue.enqueue(article_id)
        return Accepted(id=article_id, status=ArticleStatus.QUEUED), True
    return Accepted(id=article_id, status=store.article_status(article_id)), False
