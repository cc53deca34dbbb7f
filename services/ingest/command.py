"""`gazette ingest PATH...`: queue the articles of files and folders, report each."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.ingest.files import SUPPORTED_SUFFIXES, read_file
from services.ingest.regular_files import find_files
from shared.bus import Bus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_articles

# Articles stored per transaction: a large JSON-lines backfill is written in batches (one
# round trip each), not one transaction per article.
BATCH = 500


@dataclass
class IngestTally:
    """What one `gazette ingest` run did, for its closing line."""

    files: int = 0
    queued: int = 0
    known: int = 0
    failed: int = 0

    def summary(self) -> str:
        known = f" ({self.known} already known)" if self.known else ""
        return (
            f"{_count(self.files, 'file')} read, {_count(self.queued, 'article')} queued{known}, "
            f"{_count(self.failed, 'file')} failed"
        )


def ingest_paths(settings: Settings, paths: Iterable[Path]) -> int:
    """Queue every article found; print `id status origin` per article and a closing count.

    A bad file is reported in one line and the next one is read; exit 1 if any file failed.
    A store or queue failure stops the run (the files after it would fail the same way).
    """
    tally = IngestTally()
    # Both checked before anything connects: the command's own message when one is unset.
    settings.require_database_url()
    redis_url = settings.require_redis_url()
    try:
        store = Store.from_settings(settings, max_size=1)
        bus = Bus.from_url(redis_url)
        queue = EnrichQueue(create_celery_app(settings))
    except Exception as exc:  # one line for the user, never a traceback
        print(f"gazette: cannot reach the store: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    code = 0
    try:
        for path in paths:
            # A link named on the command line is the user's own choice; inside folders, links
            # are reported, not followed.
            start = path.resolve() if path.is_symlink() else path
            for found in find_files(start, SUPPORTED_SUFFIXES):
                _ingest_file(found, settings, Submitter(store, bus, queue), tally)
    except Exception as exc:  # one line for the user, never a traceback
        print(f"gazette: stopped, cannot queue: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 2
    finally:
        store.close()
        bus.close()
    print(tally.summary(), file=sys.stderr)
    return code or (1 if tally.failed else 0)


@dataclass
class Submitter:
    """Where a file's articles go."""

    store: Store
    bus: Bus
    queue: EnrichQueue


def _ingest_file(path: Path, settings: Settings, to: Submitter, tally: IngestTally) -> None:
    tally.files += 1
    problems, interrupted = 0, True
    try:
        items = read_file(path, settings.max_file_bytes)
        for item in items:
            if item.article is None:
                print(f"{item.origin}: {item.error}", file=sys.stderr)
                problems += 1
        readable = [item for item in items if item.article is not None]
        for first in range(0, len(readable), BATCH):
            batch = readable[first : first + BATCH]
            answers = submit_articles(
                to.store, to.bus, to.queue, [item.article for item in batch if item.article]
            )
            for item, (accepted, created) in zip(batch, answers, strict=True):
                tally.queued += created
                tally.known += not created
                note = "" if created else " (already known)"
                print(f"{accepted.id}\t{accepted.status}\t{item.origin}{note}")
        interrupted = False
    finally:
        # A store or queue failure stops the run: not the file's fault, but it was not queued.
        tally.failed += bool(problems) or interrupted


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
