"""An article's status moves, each one statement or one transaction, so that a redelivered
task, two sweepers, or a retry racing a worker leave one consistent state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shared.errors import ArticleNotFound, ArticleNotRetryable
from shared.models import Article, Enrichment, EntitySummary
from shared.store.db import Connection
from shared.store.query import ArticleSummary
from shared.store.rows import (
    ARTICLE_COLUMNS,
    SUMMARY_COLUMNS,
    article_from_row,
    enrichment_rows,
    lookup_keys,
    summary_from_row,
    utc_offset,
)
from shared.store.terms import order_score

# Counts a delivery and marks the article processing, or dead-letters it when the deliveries
# ran out. The right-hand sides see the row as it was, so `attempts` is the count before.
CLAIM = """
UPDATE articles SET
    attempts = attempts + (attempts < %(max)s)::int,
    status = CASE WHEN attempts >= %(max)s THEN 'failed' ELSE 'processing' END,
    error = CASE WHEN attempts >= %(max)s THEN %(error)s ELSE error END,
    status_since = now()
WHERE id = %(id)s AND status IN ('queued', 'processing')
RETURNING status, attempts
"""

# The claim a task makes: the same moves for one article or several, one statement that also
# answers the claimed articles themselves (no second round trip to read them).
CLAIM_MANY = CLAIM.replace("WHERE id = %(id)s", "WHERE id = ANY(%(ids)s)").replace(
    "RETURNING status, attempts", f"RETURNING {ARTICLE_COLUMNS}"
)
# Hand claimed articles back untouched, as if this delivery had not happened (a batch that is
# split so that each article runs alone).
RELEASE = """
UPDATE articles SET status = 'queued', status_since = now(), attempts = greatest(attempts - 1, 0)
WHERE id = ANY(%s) AND status = 'processing'
"""

# A claim that changed nothing: why not.
CLAIM_REFUSED = {"enriched": "done", "failed": "failed"}

LOCK_FOR_ENRICHMENT = "SELECT published_at, created_at FROM articles WHERE id = %s FOR UPDATE"
DROP_ENTITIES = "DELETE FROM article_entities WHERE article_id = %s RETURNING entity_id"
DROP_MENTIONS = "DELETE FROM mentions WHERE article_id = %s"
DROP_DATES = "DELETE FROM mentioned_dates WHERE article_id = %s"
ADD_ENTITY = """
INSERT INTO article_entities (article_id, entity_id, label, mentions, salience, order_key)
VALUES (%s, %s, %s, %s, %s, %s)
"""
ADD_MENTION = """
INSERT INTO mentions (article_id, entity_id, label, start_offset, end_offset)
VALUES (%s, %s, %s, %s, %s)
"""
ADD_DATES = "INSERT INTO mentioned_dates (article_id, days) VALUES (%s, daterange(%s, %s, '[]'))"
# One statement for every entity the enrichment adds or drops, in id order, so that two
# enrichments sharing entities lock them in the same order (no deadlock).
COUNT_ENTITIES = """
INSERT INTO entities AS e (id, name, label, articles, lookup_keys)
SELECT id, name, label, articles, string_to_array(lookup_keys, ' ')
FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[], %s::text[])
    AS delta(id, name, label, articles, lookup_keys) ORDER BY id
ON CONFLICT (id) DO UPDATE SET
    articles = e.articles + EXCLUDED.articles,
    name = CASE WHEN EXCLUDED.articles > 0 THEN EXCLUDED.name ELSE e.name END,
    label = CASE WHEN EXCLUDED.articles > 0 THEN EXCLUDED.label ELSE e.label END
"""
STORE_ENRICHMENT = f"""
UPDATE articles SET
    status = 'enriched', status_since = now(), enriched_at = now(), error = NULL,
    enrichment = %(document)s::jsonb, labels = %(labels)s, top_entities = %(top)s::jsonb,
    published_at = %(published_at)s,
    published_offset = COALESCE(published_offset, %(published_offset)s),
    order_key = %(order_key)s
WHERE id = %(id)s
RETURNING {SUMMARY_COLUMNS}
"""
MARK_FAILED = """
UPDATE articles SET status = 'failed', error = %s, status_since = now() WHERE id = %s
"""
STALE = """
SELECT id FROM articles
WHERE status = %s AND status_since <= now() - make_interval(secs => %s)
ORDER BY status_since
"""
REQUEUE = """
UPDATE articles SET status = 'queued', status_since = now()
WHERE id = %s AND status = %s AND status_since <= now() - make_interval(secs => %s)
RETURNING id
"""
REOPEN = """
UPDATE articles SET status = 'queued', status_since = now(), attempts = 0, error = NULL
WHERE id = %s AND status = 'failed'
RETURNING id
"""


def claim(conn: Connection, article_id: str, max_attempts: int) -> str:
    """'run' (attempt counted), 'dead' (this delivery dead-lettered it), 'done' (enriched),
    'failed' (only a retry revives it) or 'missing'."""
    error = f"gave up after {max_attempts} attempts: the worker died or timed out each time"
    row = conn.execute(CLAIM, {"id": article_id, "max": max_attempts, "error": error}).fetchone()
    if row is not None:
        return "dead" if row["status"] == "failed" else "run"
    found = conn.execute("SELECT status FROM articles WHERE id = %s", (article_id,)).fetchone()
    if found is None:
        return "missing"
    status: str = found["status"]
    return CLAIM_REFUSED.get(status, status)


def claim_articles(
    conn: Connection, article_ids: list[str], max_attempts: int
) -> tuple[list[Article], list[str]]:
    """Claim each article as `claim` does: (the articles to run, in the order asked; the ids
    dead-lettered now). The others are enriched, failed or gone: nothing to do."""
    error = f"gave up after {max_attempts} attempts: the worker died or timed out each time"
    rows = conn.execute(
        CLAIM_MANY, {"ids": article_ids, "max": max_attempts, "error": error}
    ).fetchall()
    dead = [row["id"] for row in rows if row["status"] == "failed"]
    running = {row["id"]: row for row in rows if row["status"] != "failed"}
    return [article_from_row(running[i]) for i in article_ids if i in running], dead


def release(conn: Connection, article_ids: list[str]) -> None:
    conn.execute(RELEASE, (article_ids,))


def store_enrichments(
    conn: Connection, results: Sequence[tuple[str, Enrichment]]
) -> list[ArticleSummary | None]:
    """Replace the articles' enrichment rows, entity counts and statuses in the caller's
    transaction; a summary per article, in order (None when it is gone).

    Articles are locked in id order and the entity counts changed in one statement in id
    order, so that transactions sharing articles or entities never wait on each other in a
    cycle.
    """
    delta: dict[str, int] = {}
    seen: dict[str, EntitySummary] = {}
    stored: dict[str, ArticleSummary | None] = {}
    for article_id, enrichment in sorted(results, key=lambda pair: pair[0]):
        found = _store_one(conn, article_id, enrichment)
        if found is None:
            stored[article_id] = None
            continue
        summary, dropped, added = found
        stored[article_id] = summary
        for entity_id in dropped:
            delta[entity_id] = delta.get(entity_id, 0) - 1
        for entity in added:
            delta[entity.entity_id] = delta.get(entity.entity_id, 0) + 1
            seen[entity.entity_id] = entity
    _count_entities(conn, delta, seen)
    return [stored[article_id] for article_id, _ in results]


def _store_one(
    conn: Connection, article_id: str, enrichment: Enrichment
) -> tuple[ArticleSummary | None, list[str], list[EntitySummary]] | None:
    """One article's rows and status; (summary, entity ids dropped, entities added)."""
    article = conn.execute(LOCK_FOR_ENRICHMENT, (article_id,)).fetchone()
    if article is None:
        return None
    published: datetime | None = article["published_at"]
    offset = None
    if published is None and enrichment.published_at is not None:
        # A dateline fills a missing publication date; a submitted one is never overwritten.
        published, offset = enrichment.published_at, utc_offset(enrichment.published_at)
    rows = enrichment_rows(enrichment)
    key = order_score(published or article["created_at"], article_id)
    dropped = [r["entity_id"] for r in conn.execute(DROP_ENTITIES, (article_id,)).fetchall()]
    conn.execute(DROP_MENTIONS, (article_id,))
    conn.execute(DROP_DATES, (article_id,))
    with conn.cursor() as cur:
        if rows.entities:
            cur.executemany(ADD_ENTITY, [
                (article_id, e.entity_id, e.label.upper(), e.mentions, e.salience, key)
                for e in rows.entities
            ])  # fmt: skip
        if rows.mentions:
            cur.executemany(ADD_MENTION, [(article_id, *m) for m in rows.mentions])
        if rows.day_ranges:
            cur.executemany(ADD_DATES, [(article_id, *span) for span in rows.day_ranges])
    params = {
        "id": article_id,
        "document": rows.document,
        "labels": rows.labels,
        "top": rows.top_entities,
        "published_at": published,
        "published_offset": offset,
        "order_key": key,
    }
    row = conn.execute(STORE_ENRICHMENT, params).fetchone()
    return (summary_from_row(row) if row else None), dropped, rows.entities


def _count_entities(
    conn: Connection, delta: dict[str, int], meta: dict[str, EntitySummary]
) -> None:
    """Apply the article-count changes: +1 per article now mentioning an entity, -1 per
    article that no longer does."""
    changed = sorted(entity for entity, amount in delta.items() if amount)
    if not changed:
        return
    names = [meta[e].name if e in meta else "" for e in changed]
    labels = [meta[e].label.upper() if e in meta else "" for e in changed]
    # Keys are slugs ([0-9a-z-]), so a space joins them safely.
    keys = [" ".join(lookup_keys(meta[e])) if e in meta else "" for e in changed]
    conn.execute(COUNT_ENTITIES, (changed, names, labels, [delta[e] for e in changed], keys))


def mark_failed(conn: Connection, article_id: str, error: str) -> None:
    conn.execute(MARK_FAILED, (error, article_id))


def stale_articles(conn: Connection, status: str, older_than: float) -> list[str]:
    return [row["id"] for row in conn.execute(STALE, (status, older_than)).fetchall()]


def requeue_stale(conn: Connection, article_id: str, status: str, older_than: float) -> bool:
    return conn.execute(REQUEUE, (article_id, status, older_than)).fetchone() is not None


def reopen_failed(conn: Connection, article_id: str) -> None:
    if conn.execute(REOPEN, (article_id,)).fetchone() is not None:
        return
    found = conn.execute("SELECT status FROM articles WHERE id = %s", (article_id,)).fetchone()
    if found is None:
        raise ArticleNotFound(article_id)
    raise ArticleNotRetryable(article_id, found["status"])
