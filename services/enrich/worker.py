"""The enrich worker process: a Celery worker on the enrich queue with a heartbeat in Redis."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from celery import Celery, signals

from services.enrich.runtime import worker_nlp
from shared.bus import Bus
from shared.heap import freeze_long_lived
from shared.heartbeat import Heartbeat
from shared.queue import ENRICH_QUEUE, EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.store.migrate import migrate
from shared.sweeper import Sweeper

WORKER_KIND = "enrich"

log = logging.getLogger(__name__)


def run_enrich_worker(settings: Settings) -> None:
    """Run a Celery worker on the enrich queue until it is told to stop."""
    app = create_celery_app(settings)
    import services.enrich.tasks  # noqa: F401 - registers the task on the app

    # Under an advisory lock: replicas starting together take turns; the first does the work.
    migrate(settings.require_database_url())
    name = f"{WORKER_KIND}-{socket.gethostname()}-{os.getpid()}"
    bus = Bus.from_url(settings.require_redis_url())
    heartbeat = Heartbeat(bus, WORKER_KIND, name, settings.worker_heartbeat_seconds / 3)
    # In the main process only (pool children never see it): re-queues articles whose task was
    # lost and applies the retention; with several workers a lock in Redis lets one of them
    # sweep per round. Its pool is opened in the worker_ready handler, after the fork.
    sweeper_store: list[Store] = []

    @signals.setup_logging.connect(weak=False)
    def keep_gazette_logging(**_: Any) -> None:
        pass  # connected at all, this stops Celery replacing the JSON logging `gazette` set up

    @signals.worker_init.connect(weak=False)
    def load_model(**_: Any) -> None:
        worker_nlp()  # before the pool forks: children share the loaded model
        freeze_long_lived()

    sweepers: list[Sweeper] = []

    @signals.worker_ready.connect(weak=False)
    def start_heartbeat(**_: Any) -> None:
        heartbeat.start()
        store = Store.from_settings(settings, max_size=2)
        sweeper_store.append(store)
        sweeper = Sweeper(
            store, bus, EnrichQueue(app), name,
            settings.sweep_after_seconds, settings.sweep_every_seconds, settings.retention_days,
        )  # fmt: skip
        sweepers.append(sweeper)
        sweeper.start()

    @signals.worker_shutdown.connect(weak=False)
    def stop_heartbeat(**_: Any) -> None:
        for sweeper in sweepers:
            sweeper.stop()
        for store in sweeper_store:
            store.close()
        heartbeat.stop()

    asked_to_stop = threading.Event()

    @signals.worker_shutting_down.connect(weak=False)
    def note_stop_request(**_: Any) -> None:
        asked_to_stop.set()

    concurrency = settings.enrich_concurrency or os.cpu_count() or 1
    try:
        _run_celery(app, name, concurrency, settings.log_level)
    finally:
        # Celery can give up after a lost broker connection ("Unrecoverable error", a kombu
        # bug on Redis restarts) and still exit 0; a supervisor restarting only failures
        # (compose `on-failure`) would then leave no worker. Stopping unasked is a failure.
        if not asked_to_stop.is_set():
            log.error("the enrich worker stopped without being asked to; exiting with 1")
            raise SystemExit(1)


def _run_celery(app: Celery, name: str, concurrency: int, log_level: str) -> None:
    app.worker_main(
        [
            "worker",
            f"--queues={ENRICH_QUEUE}",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--optimization=fair",
            "--prefetch-multiplier=1",
            "--without-gossip",
            "--without-mingle",
            f"--hostname={name}@%h",
            f"--loglevel={log_level}",
        ]
    )
