"""The ingest worker: queues the articles of the inbox folder and of the feeds that are due."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import threading
from pathlib import Path
from types import FrameType

from services.ingest.fetch import Fetcher, FetchPolicy
from services.ingest.files import SUPPORTED_SUFFIXES, read_articles
from services.ingest.poller import FeedPoller
from shared.feed_store import FeedStore
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


def fetch_policy(settings: Settings) -> FetchPolicy:
    """The fetch limits the settings ask for."""
    return FetchPolicy(
        allow_private=settings.allow_private_urls,
        connect_timeout=settings.fetch_connect_timeout,
        read_timeout=settings.fetch_read_timeout,
        max_bytes=settings.fetch_max_bytes,
        max_redirects=settings.fetch_max_redirects,
    )


def poll_due_feeds(
    poller: FeedPoller, holder: str, settings: Settings, stopped: threading.Event
) -> int:
    """Claim the due feeds one at a time and poll each; return how many were polled."""
    polled = 0
    # One claim per poll, so that a claim's lease runs for one feed only, never for a queue of
    # feeds waiting behind a slow one.
    while not stopped.is_set():
        claimed = poller.feeds.claim_due_feeds(holder, 1, settings.feed_claim_seconds)
        if not claimed:
            break
        poller.poll(claimed[0], holder)
        polled += 1
    return polled


def run_ingest_worker(settings: Settings) -> None:
    """Poll the inbox and the due feeds until SIGTERM or SIGINT."""
    redis_url = settings.require_redis_url()
    store = Store.from_url(redis_url)
    feed_store = FeedStore.from_url(redis_url)
    queue = EnrichQueue(create_celery_app(settings))
    inbox = settings.inbox_dir or settings.data_dir / "inbox"
    ingester = InboxIngester(inbox, store, queue)
    fetcher = Fetcher(fetch_policy(settings))
    name = f"{WORKER_KIND}-{socket.gethostname()}-{os.getpid()}"
    heartbeat = Heartbeat(store, WORKER_KIND, name, settings.worker_heartbeat_seconds / 3)
    stopped = threading.Event()
    poller = FeedPoller(
        feed_store, store, queue, fetcher,
        max_pages=settings.feed_pages_per_poll, budget_seconds=settings.feed_poll_seconds,
        stopping=stopped.is_set,
    )  # fmt: skip

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("ingest worker watching %s and the feeds", inbox.resolve())
    heartbeat.start()
    while not stopped.is_set():
        # One bad round must not end the worker (Redis away, a full disk); the next one retries.
        try:
            ingester.poll()
        except Exception:
            log.exception("ingest poll failed")
        try:
            poll_due_feeds(poller, name, settings, stopped)
        except Exception:
            log.exception("feed polling failed")
        stopped.wait(settings.ingest_poll_seconds)
    heartbeat.stop()
    fetcher.close()
    feed_store.close()
    store.close()
