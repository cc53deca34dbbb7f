"""Retention: delete articles accepted before a cutoff, with everything that hangs off them.

In batches, each its own short transaction, so that no lock is held for long and the workers
and the API go on meanwhile. The entity counts are lowered in the batch's transaction.
"""

from __future__ import annotations

from datetime import datetime

from shared.store.db import Connection, Transactions

PRUNE_BATCH = 500

# SKIP LOCKED: an article a worker is enriching right now (its status row locked) waits for
# the next batch, and the prune never waits on a worker.
PICK = """
SELECT a.id FROM articles a JOIN article_status s ON s.article_id = a.id
WHERE a.created_at < %s
ORDER BY a.created_at LIMIT %s
FOR UPDATE OF a, s SKIP LOCKED
"""
# Entity rows locked in id order, as enrichments lock them, so that the two never deadlock.
LOCK_ENTITIES = """
SELECT id FROM entities
WHERE key IN (SELECT entity_key FROM article_entities WHERE article_id = ANY(%s))
ORDER BY id
FOR UPDATE
"""
UNCOUNT = """
UPDATE entities e SET articles = e.articles - gone.n
FROM (SELECT entity_key, count(*) AS n FROM article_entities
      WHERE article_id = ANY(%s) GROUP BY entity_key) AS gone
WHERE e.key = gone.entity_key
"""
# Status, enrichment, mentions, mentioned dates, article entities and feed links go with
# ON DELETE CASCADE.
DELETE = "DELETE FROM articles WHERE id = ANY(%s)"


def prune_batch(conn: Connection, cutoff: datetime, batch: int) -> int:
    """Delete up to `batch` articles accepted before `cutoff`; how many went."""
    ids = [row["id"] for row in conn.execute(PICK, (cutoff, batch)).fetchall()]
    if ids:
        conn.execute(LOCK_ENTITIES, (ids,))
        conn.execute(UNCOUNT, (ids,))
        conn.execute(DELETE, (ids,))
    return len(ids)


def prune(database: Transactions, cutoff: datetime, batch: int = PRUNE_BATCH) -> int:
    """Delete every article accepted before `cutoff`, batch by batch; how many went."""
    total = 0
    while True:
        with database.connection() as conn:
            deleted = prune_batch(conn, cutoff, batch)
        total += deleted
        if deleted < batch:
            return total
