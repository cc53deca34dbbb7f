"""The ingest worker: queues the articles of the inbox folder and of the feeds that are due."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from services.ingest.fetch import Fetcher, FetchPolicy
from services.ingest.files import SUPPORTED_SUFFIXES, read_file
from services.ingest.poller import FeedPoller
from services.ingest.regular_files import DEFAULT_MAX_FILE_BYTES, file_kind
from shared.bus import Bus
from shared.heartbeat import Heartbeat
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import FeedStore, Store
from shared.store.migrate import migrate
from shared.submission import submit_article

log = logging.getLogger(__name__)

WORKER_KIND = "ingest"
DONE = "done"
FAILED = "failed"


class InboxUnsafe(RuntimeError):
    """done/ or failed/ is not a plain folder inside the inbox: nothing is moved."""


class InboxIngester:
    """Queues the articles of each file dropped in the inbox, then moves it to done/ or failed/.

    Files are moved by name relative to descriptors of the inbox and its two folders, opened
    without following links, so neither a link in place of done/ nor one swapped in during a
    round can make the worker move or write anything outside the inbox.
    """

    def __init__(
        self,
        inbox: Path,
        store: Store,
        bus: Bus,
        queue: EnrichQueue,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        self._inbox = inbox
        self._store = store
        self._bus = bus
        self._queue = queue
        self._max_file_bytes = max_file_bytes
        self._refusing: str | None = None
        inbox.mkdir(parents=True, exist_ok=True)

    def poll(self) -> int:
        """Ingest every waiting file once; return how many articles were queued."""
        inbox_fd = os.open(self._inbox, os.O_RDONLY | os.O_DIRECTORY)
        try:
            try:
                targets = {name: _open_folder(inbox_fd, name) for name in (DONE, FAILED)}
            except InboxUnsafe as exc:
                if self._refusing != str(exc):  # once, not every round
                    log.error("inbox %s: %s", self._inbox, exc)
                self._refusing = str(exc)
                return 0
            self._refusing = None
            try:
                return sum(
                    self._ingest_file(name, inbox_fd, targets)
                    for name in sorted(os.listdir(inbox_fd))
                    if name not in targets and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
                    and not _is_folder(inbox_fd, name)
                )  # fmt: skip
            finally:
                for descriptor in targets.values():
                    os.close(descriptor)
        finally:
            os.close(inbox_fd)

    def _ingest_file(self, name: str, inbox_fd: int, targets: dict[str, int]) -> int:
        queued, errors = 0, []
        # Reading never raises for the file's own faults (each is one error below); a store or
        # queue failure does, and leaves the file for the next round.
        for item in read_file(self._inbox / name, self._max_file_bytes):
            if item.article is None:
                errors.append(f"{item.origin}: {item.error}")
                continue
            accepted, created = submit_article(self._store, self._bus, self._queue, item.article)
            queued += created
            log.info("ingested %s as %s (%s)", item.origin, accepted.id, accepted.status)
        folder = FAILED if errors else DONE
        try:
            # A link is moved as the link itself; rename never follows it.
            os.rename(name, name, src_dir_fd=inbox_fd, dst_dir_fd=targets[folder])
            if errors:
                _write_note(targets[FAILED], name + ".errors", "\n".join(errors) + "\n")
        except FileNotFoundError:
            return queued  # taken away meanwhile
        except OSError as exc:
            # Not this file's content (a folder of its name in done/, a full disk): the next
            # files still get their turn, and this one is tried again next round.
            log.error("%s: cannot move it to %s/: %s", name, folder, exc.strerror or exc)
            return queued
        if errors:
            log.warning("%s: %d piece(s) could not be read", name, len(errors))
        return queued


def _open_folder(inbox_fd: int, name: str) -> int:
    """A descriptor of the inbox's own folder `name`, made if missing; never a link."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    try:
        return os.open(name, flags, dir_fd=inbox_fd)
    except FileNotFoundError:
        os.mkdir(name, dir_fd=inbox_fd)
        return os.open(name, flags, dir_fd=inbox_fd)
    except OSError as exc:
        kind = file_kind(os.lstat(name, dir_fd=inbox_fd).st_mode)
        raise InboxUnsafe(
            f"{name}/ is {kind}, not a folder inside the inbox: no file is moved until it is "
            "replaced by a plain folder"
        ) from exc


def _is_folder(inbox_fd: int, name: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(name, dir_fd=inbox_fd).st_mode)
    except FileNotFoundError:
        return True  # gone already: nothing to do


def _write_note(folder_fd: int, name: str, text: str) -> None:
    """Write a note in `folder_fd`, replacing a file but never writing through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISLNK(os.lstat(name, dir_fd=folder_fd).st_mode):
            os.unlink(name, dir_fd=folder_fd)
    descriptor = os.open(name, flags, 0o644, dir_fd=folder_fd)
    with os.fdopen(descriptor, "w", encoding="utf-8") as note:
        note.write(text)


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
    poller: FeedPoller,
    holder: str,
    settings: Settings,
    stopped: threading.Event,
    between: Callable[[], object] = lambda: None,
) -> int:
    """Claim the due feeds one at a time and poll each, calling `between` after each poll
    (the worker reads its inbox there, so slow feeds never keep it waiting for long);
    return how many were polled."""
    polled = 0
    # One claim per poll, so that a claim's lease runs for one feed only, never for a queue of
    # feeds waiting behind a slow one.
    while not stopped.is_set():
        claimed = poller.feeds.claim_due_feeds(holder, 1, settings.feed_claim_seconds)
        if not claimed:
            break
        poller.poll(claimed[0], holder)
        polled += 1
        between()
    return polled


def run_ingest_worker(settings: Settings) -> None:
    """Poll the inbox and the due feeds until SIGTERM or SIGINT."""
    bus = Bus.from_url(settings.require_redis_url())
    migrate(settings.require_database_url())  # under an advisory lock, as every service does
    store = Store.from_settings(settings, max_size=2)
    feed_store = FeedStore(store.database)
    queue = EnrichQueue(create_celery_app(settings))
    inbox = settings.inbox_dir or settings.data_dir / "inbox"
    ingester = InboxIngester(inbox, store, bus, queue, settings.max_file_bytes)
    fetcher = Fetcher(fetch_policy(settings))
    name = f"{WORKER_KIND}-{socket.gethostname()}-{os.getpid()}"
    heartbeat = Heartbeat(bus, WORKER_KIND, name, settings.worker_heartbeat_seconds / 3)
    stopped = threading.Event()
    poller = FeedPoller(
        feed_store, store, queue, fetcher, bus,
        max_pages=settings.feed_pages_per_poll, budget_seconds=settings.feed_poll_seconds,
        stopping=stopped.is_set,
    )  # fmt: skip

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("ingest worker watching %s and the feeds", inbox.resolve())
    heartbeat.start()

    def poll_inbox() -> None:
        # One bad round must not end the worker (Redis away, a full disk); the next one retries.
        try:
            ingester.poll()
        except Exception:
            log.exception("ingest poll failed")

    while not stopped.is_set():
        poll_inbox()
        try:
            poll_due_feeds(poller, name, settings, stopped, between=poll_inbox)
        except Exception:
            log.exception("feed polling failed")
        stopped.wait(settings.ingest_poll_seconds)
    heartbeat.stop()
    fetcher.close()
    store.close()
    bus.close()
