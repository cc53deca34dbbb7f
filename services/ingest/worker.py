"""The ingest worker: watches the inbox folder and queues the articles it finds."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import threading
from pathlib import Path
from types import FrameType

from services.ingest.files import SUPPORTED_SUFFIXES, read_articles
from shared.heartbeat import Heartbeat
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_article

log = logging.getLogger(__name__)

WORKER_KIND = "ingest"
DONE = "done"
FAILED = "failed"


class InboxIngester:
    """Queues the articles of each file dropped in the inbox, then moves it to done/ or failed/."""

    def __init__(self, inbox: Path, store: Store, queue: EnrichQueue) -> None:
        self._inbox = inbox
        self._store = store
        self._queue = queue
        for folder in (inbox, inbox / DONE, inbox / FAILED):
            folder.mkdir(parents=True, exist_ok=True)

    def poll(self) -> int:
        """Ingest every waiting file once; return how many articles were queued."""
        queued = 0
        for path in sorted(self._inbox.iterdir()):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
                queued += self._ingest_file(path)
        return queued

    def _ingest_file(self, path: Path) -> int:
        queued, errors = 0, []
        for item in read_articles(path):
            if item.article is None:
                errors.append(f"{item.origin}: {item.error}")
                continue
            accepted, created = submit_article(self._store, self._queue, item.article)
            queued += created
            log.info("ingested %s as %s (%s)", item.origin, accepted.id, accepted.status)
        target = self._inbox / (FAILED if errors else DONE) / path.name
        shutil.move(path, target)
        if errors:
            target.with_suffix(target.suffix + ".errors").write_text("\n".join(errors) + "\n")
            log.warning("%s: %d piece(s) could not be read", path.name, len(errors))
        return queued


def run_ingest_worker(settings: Settings) -> None:
    """Poll the inbox until SIGTERM or SIGINT."""
    store = Store.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    inbox = settings.inbox_dir or settings.data_dir / "inbox"
    ingester = InboxIngester(inbox, store, queue)
    heartbeat = Heartbeat(
        store, WORKER_KIND, f"{WORKER_KIND}-{socket.gethostname()}-{os.getpid()}",
        settings.worker_heartbeat_seconds / 3,
    )  # fmt: skip
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("ingest worker watching %s", inbox.resolve())
    heartbeat.start()
    while not stopped.is_set():
        try:
            ingester.poll()
        except Exception:
            # One bad poll must not end the worker; the next tick tries again.
            log.exception("ingest poll failed")
        stopped.wait(settings.ingest_poll_seconds)
    heartbeat.stop()
    store.close()
