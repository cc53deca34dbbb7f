"""Accepting articles: check the queue has room, store them, then queue their enrichment."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from shared.bus import Bus
from shared.errors import QueueFull, QueueUnavailable
from shared.models import Accepted, ArticleIn, ArticleStatus
from shared.queue import HOLD_WHEN_WAITING, EnrichQueue
from shared.store import Store
from shared.urls import canonicalize

# A full queue drains at tens of articles per second per core: a few seconds frees room.
QUEUE_FULL_RETRY_AFTER_SECONDS = 5

log = logging.getLogger(__name__)


def submit_article(
    store: Store, bus: Bus, queue: EnrichQueue, article: ArticleIn
) -> tuple[Accepted, bool]:
    """Store a new article and queue it; a known one is answered with its id and status.

    Raises QueueFull past the queue's depth limit, before anything is stored. The URL is
    stored in its canonical form, so one story reached by different links is one article.
    """
    return submit_articles(store, bus, queue, [article])[0]


def submit_articles(
    store: Store, bus: Bus, queue: EnrichQueue, batch: Sequence[ArticleIn]
) -> list[tuple[Accepted, bool]]:
    """`submit_article` for a batch, stored in one transaction (one round trip for the lot) and
    queued a few articles per task."""
    waiting = ensure_room(bus, queue)
    saved = store.save_articles([with_canonical_url(article) for article in batch])
    created = [article_id for article_id, new in saved if new]
    if waiting >= HOLD_WHEN_WAITING and queue.holds:
        # Tasks wait already, so these would too: held a moment, they join a fuller batch.
        queue.hold(created)
    else:
        queue.send_batches(created)
    answers = []
    for article_id, new in saved:
        if new:
            answers.append((Accepted(id=article_id, status=ArticleStatus.QUEUED), True))
        else:
            status = store.article_status(article_id)
            answers.append((Accepted(id=article_id, status=status), False))
    return answers


def with_canonical_url(article: ArticleIn) -> ArticleIn:
    """The article with its URL canonical (tracking parameters and fragment dropped)."""
    if not article.url:
        return article
    try:
        url = canonicalize(article.url)
    except ValueError:
        return article  # not parseable as a URL: kept as given, it is still an identity
    return article if url == article.url else article.model_copy(update={"url": url})


def retry_article(store: Store, queue: EnrichQueue, article_id: str) -> Accepted:
    """Queue a failed article again with a fresh attempt budget."""
    store.reopen_failed(article_id)
    send(queue, article_id)
    return Accepted(id=article_id, status=ArticleStatus.QUEUED)


def ensure_room(bus: Bus, queue: EnrichQueue) -> int:
    """How many tasks wait (0 when the queue has no limit), each held article counted as one;
    raise QueueFull when more than the queue's limit allows."""
    if queue.max_depth is None:
        return 0
    depth = bus.queue_depth(queue.name) + queue.held
    if depth >= queue.max_depth:
        raise QueueFull(depth, queue.max_depth, QUEUE_FULL_RETRY_AFTER_SECONDS)
    return depth


def send(queue: EnrichQueue, article_id: str) -> None:
    """Queue a stored article. When the broker fails right after the store succeeded, the
    article stays `queued` in the store and the sweeper queues it later: it is accepted."""
    try:
        queue.enqueue(article_id)
    except QueueUnavailable:
        log.warning(
            "stored but not queued; the sweeper will queue it", extra={"article_id": article_id}
        )
