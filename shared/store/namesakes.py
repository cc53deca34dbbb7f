"""Entity ids that share a canonical name (`org:spotify`, `place:spotify`), as the archive
counts them: what "one name, one label" (labels.py) judges by."""

from __future__ import annotations

from collections.abc import Iterable

from shared.store.db import Connection
from shared.store.labels import Correction, Known, archive_corrections, name_key

# Every id sharing a key with the ones asked: the GIN index on lookup_keys finds them (a
# person's surname key brings extra rows, which the caller drops).
NAMESAKES = """
SELECT id, label, articles FROM entities
WHERE lookup_keys && %b::text[] AND articles > 0
"""
# The names the archive files under more than one class: the only ones a correction can touch.
SPLIT_NAMES = """
SELECT id, label, articles FROM entities
WHERE articles > 0 AND split_part(id, ':', 2) IN (
    SELECT split_part(id, ':', 2) FROM entities WHERE articles > 0
    GROUP BY 1 HAVING count(*) > 1
)
"""


def namesakes(conn: Connection, entity_ids: Iterable[str]) -> dict[str, Known]:
    """Every id in the archive that shares a name with one of `entity_ids`, with its label and
    article count."""
    keys = sorted({name_key(e) for e in entity_ids} - {""})
    if not keys:
        return {}
    wanted = set(keys)
    return {
        row["id"]: Known(row["label"], row["articles"])
        for row in conn.execute(NAMESAKES, (keys,)).fetchall()
        if name_key(row["id"]) in wanted
    }


def archive_fixes(conn: Connection) -> dict[str, Correction]:
    """What the archive's counts correct today: minority id -> the majority's id and label."""
    rows = conn.execute(SPLIT_NAMES).fetchall()
    return archive_corrections({row["id"]: Known(row["label"], row["articles"]) for row in rows})
