"""The Celery app, queue and task names: how services hand work to each other."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import redis
from celery import Celery
from kombu import Queue
from kombu.exceptions import OperationalError

from shared.errors import QueueUnavailable
from shared.settings import Settings

ENRICH_QUEUE = "enrich"
ENRICH_TASK = "gazette.enrich_article"
# Several articles in one task: one `nlp.pipe` and one transaction for all of them.
ENRICH_BATCH_TASK = "gazette.enrich_articles"
# Articles per batch task: enough to spread the fixed cost of a task, few enough that a batch
# stays a fraction of a second of work.
ENRICH_BATCH_SIZE = 8
# While a batch's worth of tasks waits for the workers, a new article would wait too: the API
# then holds articles back a moment (`enrich_hold_seconds`) for a full batch task. Per article,
# a batch of 8 costs the workers a fraction of 8 tasks' claims, transactions and dispatches
# (measured on 656-word articles posted one by one: 0.86 -> 1.02 of raw spaCy's words/s).
HOLD_WHEN_WAITING = ENRICH_BATCH_SIZE

# The ordering that keeps one task on one worker at a time:
#   enrichment (tens of ms) << soft limit < hard limit < sweeper's stale age < visibility timeout.
# The hard limit ends a stuck task before the sweeper (`sweep_after_seconds`, default 150 s)
# re-queues its article, and Redis hands an unacknowledged task to a second worker only long
# after both (the sweeper, not the visibility timeout, is what recovers a killed worker's work).
TASK_TIME_LIMIT_SECONDS = 120
TASK_SOFT_TIME_LIMIT_SECONDS = 100
VISIBILITY_TIMEOUT_SECONDS = 3600

# A publish while Redis is down fails within about a second, so that the API answers 503
# quickly instead of holding the request (Celery's default retries for several seconds).
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                        "interval_max": 0.2}  # fmt: skip

MAX_DEPTH_CONF = "gazette_max_queue_depth"

log = logging.getLogger(__name__)


def create_celery_app(settings: Settings) -> Celery:
    """A Celery app on the Redis broker, configured so that accepted work is not lost."""
    broker = settings.require_redis_url()
    app = Celery("gazette", broker=broker, set_as_current=True)
    transport = {
        # One value for every app (API, ingest, workers): they all build it here.
        "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
        "socket_timeout": 5,
        "socket_connect_timeout": 2,
        "retry_on_timeout": True,
        "health_check_interval": 30,
    }
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=ENRICH_QUEUE,
        task_queues=[Queue(ENRICH_QUEUE)],
        task_routes={
            ENRICH_TASK: {"queue": ENRICH_QUEUE},
            ENRICH_BATCH_TASK: {"queue": ENRICH_QUEUE},
        },
        # Acknowledge after the work is stored; a worker process that dies mid-task hands it
        # back (reject + requeue), and the article's attempt counter ends a crash loop.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=TASK_TIME_LIMIT_SECONDS,
        task_soft_time_limit=TASK_SOFT_TIME_LIMIT_SECONDS,
        worker_prefetch_multiplier=1,
        # Results live in the store, not in a result backend that grows without bound.
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        result_backend=None,
        broker_transport_options=transport,
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        task_publish_retry=True,
        task_publish_retry_policy=PUBLISH_RETRY_POLICY,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        enable_utc=True,
    )
    # Every EnrichQueue on this app (API, ingest) applies the same backpressure limit.
    app.conf[MAX_DEPTH_CONF] = settings.max_queue_depth
    return app


class EnrichQueue:
    """Sends articles to the enrich workers by id.

    With `hold_seconds`, `hold` keeps articles back for a fuller batch task (see HeldArticles);
    `close` then publishes what is held.
    """

    def __init__(
        self, app: Celery, max_depth: int | None = None, hold_seconds: float = 0.0
    ) -> None:
        self._app = app
        # Backpressure: how many tasks may wait before submissions are refused.
        self.max_depth: int | None = max_depth or app.conf.get(MAX_DEPTH_CONF)
        self.name = ENRICH_QUEUE
        self._held = HeldArticles(self.send_batches, hold_seconds) if hold_seconds else None

    @property
    def holds(self) -> bool:
        return self._held is not None

    @property
    def held(self) -> int:
        """Articles held back, not yet in a task."""
        return 0 if self._held is None else len(self._held)

    def hold(self, article_ids: Iterable[str]) -> None:
        """Publish full batches now and hold the rest back a moment (publish at once when
        this queue does not hold)."""
        if self._held is None:
            self.send_batches(list(article_ids))
        else:
            self._held.add(article_ids)

    def close(self) -> None:
        """Publish what is held."""
        if self._held is not None:
            self._held.flush()

    def send_batches(self, article_ids: list[str]) -> None:
        """Queue stored articles ENRICH_BATCH_SIZE per task; a broker failure leaves them
        `queued` in the store for the sweeper (they are accepted)."""
        for first in range(0, len(article_ids), ENRICH_BATCH_SIZE):
            chunk = article_ids[first : first + ENRICH_BATCH_SIZE]
            try:
                self.enqueue_many(chunk)
            except QueueUnavailable:
                log.warning("stored but not queued; the sweeper will queue %d", len(chunk))

    def enqueue(self, article_id: str) -> None:
        """Publish one enrich task; raises QueueUnavailable when the broker cannot take it."""
        self._send(ENRICH_TASK, article_id)

    def enqueue_many(self, article_ids: list[str]) -> None:
        """Publish one task for several articles (a single id goes as an ordinary task)."""
        if len(article_ids) == 1:
            self._send(ENRICH_TASK, article_ids[0])
        elif article_ids:
            self._send(ENRICH_BATCH_TASK, article_ids)

    def _send(self, task: str, argument: str | list[str]) -> None:
        try:
            self._app.send_task(task, args=[argument], queue=ENRICH_QUEUE)
        except (OperationalError, redis.RedisError, OSError) as exc:
            log.warning("could not queue: %s", exc, extra={"article_id": str(argument)})
            raise QueueUnavailable(
                "The enrichment queue does not answer; try again shortly."
            ) from exc


class HeldArticles:
    """Article ids held back for a full batch: published ENRICH_BATCH_SIZE at a time as they
    come in, the rest at most `seconds` after the first of them was held (or at `flush`)."""

    def __init__(self, publish: Callable[[list[str]], None], seconds: float) -> None:
        self._publish = publish
        self._seconds = seconds
        self._ids: list[str] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_ids: Iterable[str]) -> None:
        with self._lock:
            self._ids.extend(article_ids)
            full = len(self._ids) - len(self._ids) % ENRICH_BATCH_SIZE
            ready, self._ids = self._ids[:full], self._ids[full:]
            if self._ids and self._timer is None:
                self._timer = threading.Timer(self._seconds, self.flush)
                self._timer.daemon = True
                self._timer.start()
        if ready:
            self._publish(ready)

    def flush(self) -> None:
        with self._lock:
            ready, self._ids = self._ids, []
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()  # nothing when it is the timer's own call
        if ready:
            self._publish(ready)
