"""`gazette ingest PATH...`: queue the articles of files and folders, report each."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from services.ingest.files import FileArticle, read_articles
from shared.bus import Bus
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_articles

# Articles stored per transaction: a large JSON-lines backfill is written in batches (one
# pipelined round trip each), not one transaction per article.
BATCH = 500


def ingest_paths(settings: Settings, paths: Iterable[Path]) -> int:
    """Queue every article found; print `id status origin` per article. Exit 1 on any error."""
    # Both checked before anything connects.
    settings.require_database_url()
    redis_url = settings.require_redis_url()
    store = Store.from_settings(settings, max_size=1)
    bus = Bus.from_url(redis_url)
    queue = EnrichQueue(create_celery_app(settings))
    failures = 0
    try:
        for path in paths:
            if not path.exists():
                print(f"{path}: no such file or folder", file=sys.stderr)
                failures += 1
                continue
            for batch in _batches(read_articles(path), BATCH):
                readable = [item for item in batch if item.article is not None]
                for item in batch:
                    if item.article is None:
                        print(f"{item.origin}: {item.error}", file=sys.stderr)
                        failures += 1
                answers = submit_articles(
                    store, bus, queue, [item.article for item in readable if item.article]
                )
                for item, (accepted, created) in zip(readable, answers, strict=True):
                    note = "" if created else " (already known)"
                    print(f"{accepted.id}\t{accepted.status}\t{item.origin}{note}")
    finally:
        store.close()
        bus.close()
    return 1 if failures else 0


def _batches(items: Iterable[FileArticle], size: int) -> Iterator[list[FileArticle]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
