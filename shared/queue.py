"""The Celery app, queue and task names: how services hand work to each other."""

from __future__ import annotations

from celery import Celery
from kombu import Queue

from shared.settings import Settings

ENRICH_QUEUE = "enrich"
ENRICH_TASK = "gazette.enrich_article"

# Longer than any enrichment may take (the task's hard time limit), so that Redis never hands
# an unacknowledged task to a second worker while the first is still on it.
TASK_TIME_LIMIT_SECONDS = 300
VISIBILITY_TIMEOUT_SECONDS = 3600


def create_celery_app(settings: Settings) -> Celery:
    """A Celery app on the Redis broker, configured so that accepted work is not lost."""
    broker = settings.require_redis_url()
    app = Celery("gazette", broker=broker, set_as_current=True)
    transport = {
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
        task_routes={ENRICH_TASK: {"queue": ENRICH_QUEUE}},
        # Acknowledge after the work is stored; a worker that dies mid-task hands it back.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=TASK_TIME_LIMIT_SECONDS,
        task_soft_time_limit=TASK_TIME_LIMIT_SECONDS - 30,
        worker_prefetch_multiplier=1,
        # Results live in the store, not in a result backend that grows without bound.
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        result_backend=None,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        enable_utc=True,
    )
    return app


class EnrichQueue:
    """Sends articles to the enrich workers by id."""

    def __init__(self, app: Celery) -> None:
        self._app = app

    def enqueue(self, article_id: str) -> None:
        self._app.send_task(ENRICH_TASK, args=[article_id], queue=ENRICH_QUEUE)

    def depth(self) -> int:
        """How many tasks wait on the enrich queue (the Redis list behind it)."""
        with self._app.connection_for_write() as conn:
            client = conn.default_channel.client  # type: ignore[attr-defined]
            return int(client.llen(ENRICH_QUEUE))
