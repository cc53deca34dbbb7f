"""The sweeper: re-queues articles whose task was lost, so that no accepted article is stranded;
when a retention is set, deletes the articles past it; and gives the articles stored before
their name's majority label formed that label (`gazette relabel`, hourly).

Acks-late on Redis does not cover every loss: a SIGKILLed worker's task sits unacknowledged until
the visibility timeout (an hour), and a crash between storing an article and queueing it leaves
no task at all. The archive knows each article's status and when it last changed (an indexed
`status_since`), so an article `processing` for longer than any task may run, or `queued` while
the queue is empty, has lost its task: the sweeper sends a new one. Tasks are idempotent, so a
stray duplicate is harmless.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

import redis

from shared.bus import Bus
from shared.errors import StoreUnavailable
from shared.metrics import SWEEPER_REQUEUES
from shared.models import ArticleStatus
from shared.queue import EnrichQueue
from shared.store import Store
from shared.store.retention import prune
from shared.submission import send

# Retention runs at most this often across all instances.
PRUNE_EVERY_SECONDS = 3600.0
# So does the relabelling: a majority forms slowly, and a minority article's label is only
# wrong in the entity counts and index until then.
RELABEL_EVERY_SECONDS = 3600.0

log = logging.getLogger(__name__)


class Sweeper:
    """One sweep every `every_seconds` across all instances (a lock in Redis decides who)."""

    def __init__(
        self,
        store: Store,
        bus: Bus,
        queue: EnrichQueue,
        name: str,
        stale_after: float,
        every_seconds: float,
        retention_days: int = 0,
    ) -> None:
        self._store = store
        self._bus = bus
        self._queue = queue
        self._name = name
        self._stale_after = stale_after
        self._every = every_seconds
        self._retention_days = retention_days
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sweeper", daemon=True)

    def sweep(self) -> list[str]:
        """Re-queue the stranded articles, if it is this instance's turn; return their ids."""
        store = self._store
        if not self._bus.take_sweeper_turn(self._name, self._every * 0.9):
            return []
        stale = store.stale_articles(ArticleStatus.PROCESSING, self._stale_after)
        candidates = [(found, ArticleStatus.PROCESSING) for found in stale]
        # A queued article waits its turn behind a backlog; only an empty queue proves it lost.
        if self._bus.queue_depth(self._queue.name) == 0:
            stale = store.stale_articles(ArticleStatus.QUEUED, self._stale_after)
            candidates += [(found, ArticleStatus.QUEUED) for found in stale]
        requeued = []
        for article_id, status in candidates:
            if store.requeue_stale(article_id, status, self._stale_after):
                self._bus.count_event(SWEEPER_REQUEUES)
                send(self._queue, article_id)
                requeued.append(article_id)
                log.warning("re-queued %s article", status.value, extra={"article_id": article_id})
        return requeued

    def prune(self) -> int:
        """Apply the retention, if one is set and it is this instance's turn this hour."""
        if not self._retention_days:
            return 0
        if not self._bus.take_turn(self._bus.keys.pruner_lock, self._name, PRUNE_EVERY_SECONDS):
            return 0
        cutoff = datetime.now(UTC) - timedelta(days=self._retention_days)
        deleted = prune(self._store.database, cutoff)
        if deleted:
            log.info("retention: deleted %d article(s) accepted before %s", deleted, cutoff)
        return deleted

    def relabel(self) -> int:
        """File minority articles under their name's majority label, if it is this instance's
        turn this hour; how many articles changed."""
        if not self._bus.take_turn(
            self._bus.keys.relabeler_lock, self._name, RELABEL_EVERY_SECONDS
        ):
            return 0
        changed = self._store.relabel()
        if changed:
            log.info("relabelled %d article(s) to their name's majority label", changed)
        return changed

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stopped.wait(self._every):
            started = time.monotonic()
            try:
                self.sweep()
                self.prune()
                self.relabel()
            except (redis.RedisError, StoreUnavailable) as exc:  # the next round tries again
                log.warning("sweep skipped: %s", exc)
            log.debug("sweep took %.3f s", time.monotonic() - started)
