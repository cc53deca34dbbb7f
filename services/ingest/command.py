"""`gazette ingest PATH...`: queue the articles of files and folders, report each."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from services.ingest.files import read_articles
from shared.queue import EnrichQueue, create_celery_app
from shared.settings import Settings
from shared.store import Store
from shared.submission import submit_article


def ingest_paths(settings: Settings, paths: Iterable[Path]) -> int:
    """Queue every article found; print `id status origin` per article. Exit 1 on any error."""
    store = Store.from_url(settings.require_redis_url())
    queue = EnrichQueue(create_celery_app(settings))
    failures = 0
    try:
        for path in paths:
            if not path.exists():
                print(f"{path}: no such file or folder", file=sys.stderr)
                failures += 1
                continue
            for item in read_articles(path):
                if item.article is None:
                    print(f"{item.origin}: {item.error}", file=sys.stderr)
                    failures += 1
                    continue
                accepted, created = submit_article(store, queue, item.article)
                note = "" if created else " (already known)"
                print(f"{accepted.id}\t{accepted.status}\t{item.origin}{note}")
    finally:
        store.close()
    return 1 if failures else 0
