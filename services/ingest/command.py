"""`gazette ingest PATH...`: queue the articles of files and folders, report each."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from services.ingest.files import SUPPORTED_SUFFIXES, read_file
from services.ingest.regular_files import find_files
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_article


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
    redis_url = settings.require_redis_url()  # the command's own message when unset
    try:
        store = Store.from_url(redis_url)
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
                _ingest_file(found, settings, store, queue, tally)
    except Exception as exc:  # one line for the user, never a traceback
        print(f"gazette: stopped, cannot queue: {type(exc).__name__}: {exc}", file=sys.stderr)
        code = 2
    finally:
        store.close()
    print(tally.summary(), file=sys.stderr)
    return code or (1 if tally.failed else 0)


def _ingest_file(
    path: Path, settings: Settings, store: Store, queue: EnrichQueue, tally: IngestTally
) -> None:
    tally.files += 1
    problems, interrupted = 0, True
    try:
        for item in read_file(path, settings.max_file_bytes):
            if item.article is None:
                print(f"{item.origin}: {item.error}", file=sys.stderr)
                problems += 1
                continue
            accepted, created = submit_article(store, queue, item.article)
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
