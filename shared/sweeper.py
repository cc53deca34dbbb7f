"""The sweeper: re-queues articles whose task was lost, so that no accepted article is stranded.

Acks-late on Redis does not cover every loss: a SIGKILLed worker's task sits unacknowledged until
the visibility timeout (an hour), and a crash between storing an article and queueing it leaves
no task at all. The store knows each article's status and when it last changed, so an article
`processing` for longer than any task may run, or `queued` while the queue is empty, has lost
its task: the sweeper sends a new one. Tasks are idempotent, so a stray duplicate is harmless.
"""

from __future__ import annotations

import logging
import threading

import redis

from shared.models import ArticleStatus
from shared.queue import EnrichQueue
from shared.store import Store
from shared.submission import send

log = logging.getLogger(__name__)


class Sweeper:
    """One sweep every `every_seconds` across all instances (a lock in Redis decides who)."""

    def __init__(
        self, store: Store, queue: EnrichQueue, name: str, stale_after: float, every_seconds: float
    ) -> None:
        self._store = store
        self._queue = queue
        self._name = name
        self._stale_after = stale_after
        self._every = every_seconds
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sweeper", daemon=True)

    def sweep(self) -> list[str]:
        """Re-queue the stranded articles, if it is this instance's turn; return their ids."""
        store = self._store
        if not store.take_sweeper_turn(self._name, self._every * 0.9):
            return []
        stale = store.stale_articles(ArticleStatus.PROCESSING, self._stale_after)
        candidates = [(found, ArticleStatus.PROCESSING) for found in stale]
        # A queued article waits its turn behind a backlog; only an empty queue proves it lost.
        if store.queue_depth(self._queue.name) == 0:
            stale = store.stale_articles(ArticleStatus.QUEUED, self._stale_after)
            candidates += [(found, ArticleStatus.QUEUED) for found in stale]
        requeued = []
        for article_id, status in candidates:
            if store.requeue_stale(article_id, status, self._stale_after):
                send(self._queue, article_id)
                requeued.append(article_id)
                log.warning("re-queued %s article", status.value, extra={"article_id": article_id})
        return requeued

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self.sweep()
            except redis.RedisError as exc:  # Redis away: the next round tries again
                log.warning("sweep skipped: %s", exc)
