"""An article's status moves, each one statement or one transaction, so that a redelivered
task, two sweepers, or a retry racing a worker leave one consistent state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shared.errors import ArticleNotFound, ArticleNotRetryable
from shared.models import Article, ArticleStatus, Enrichment, EntitySummary
from shared.store.db import Connection
from shared.store.labels import Tally, correct
from shared.store.namesakes import namesakes
from shared.store.query import ArticleSummary
from shared.store.rows import (
    ARTICLE_COLUMNS,
    article_from_row,
    enrichment_rows,
    lookup_keys,
    utc_offset,
    with_offset,
)
from shared.store.terms import order_score

# Counts a delivery and marks the article processing, or dead-letters it when the deliveries
# ran out. The right-hand sides see the row as it was, so `attempts` is the count before.
_CLAIM_MOVES = """
UPDATE article_status AS s SET
    attempts = s.attempts + (s.attempts < %(max)s)::int,
    status = CASE WHEN s.attempts >= %(max)s THEN 'failed' ELSE 'processing' END,
    error = CASE WHEN s.attempts >= %(max)s THEN %(error)s ELSE s.error END,
    status_since = now()
"""
CLAIM = (
    _CLAIM_MOVES
    + """
WHERE s.article_id = %(id)s AND s.status IN ('queued', 'processing')
RETURNING s.status, s.attempts
"""
)
# The claim a task makes: the same moves for one article or several, one statement that also
# answers the claimed articles themselves (no second round trip to read them).
CLAIM_MANY = (
    _CLAIM_MOVES
    + f"""
FROM articles a LEFT JOIN enrichments e ON e.article_id = a.id
WHERE s.article_id = ANY(%(ids)s) AND a.id = s.article_id
  AND s.status IN ('queued', 'processing')
RETURNING {ARTICLE_COLUMNS}
"""
)
# Hand claimed articles back untouched, as if this delivery had not happened (a batch that is
# split so that each article runs alone).
RELEASE = """
UPDATE article_status
SET status = 'queued', status_since = now(), attempts = greatest(attempts - 1, 0)
WHERE article_id = ANY(%s) AND status = 'processing'
"""

# A claim that changed nothing: why not.
CLAIM_REFUSED = {"enriched": "done", "failed": "failed"}

# The status row is the lock: the article's own row is never rewritten by an enrichment.
LOCK_FOR_ENRICHMENT = """
SELECT a.title, a.url, a.source, a.published_at, a.published_offset, a.created_at
FROM articles a JOIN article_status s ON s.article_id = a.id
WHERE a.id = %s
FOR UPDATE OF s
"""
DROP_ENTITIES = "DELETE FROM article_entities WHERE article_id = %s RETURNING entity_id"
DROP_MENTIONS = "DELETE FROM mentions WHERE article_id = %s"
DROP_DATES = "DELETE FROM mentioned_dates WHERE article_id = %s"
ADD_ENTITY = """
INSERT INTO article_entities (article_id, entity_id, label, mentions, salience, order_key)
VALUES (%s, %s, %s, %s, %s, %s)
"""
ADD_MENTIONS = """
INSERT INTO mentions (article_id, entity_ids, labels, starts, ends)
VALUES (%s, %s::text[], %s::text[], %s::int4[], %s::int4[])
"""
ADD_DATES = """
INSERT INTO mentioned_dates (article_id, days)
SELECT %s, range_agg(daterange(first, last, '[]'))
FROM unnest(%s::date[], %s::date[]) AS span(first, last)
"""
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
STORE_ENRICHMENT = """
INSERT INTO enrichments (article_id, document, labels, top_entities)
VALUES (%(id)s, %(document)s::json, %(labels)s, %(top)s::jsonb)
ON CONFLICT (article_id) DO UPDATE SET
    document = EXCLUDED.document, labels = EXCLUDED.labels, top_entities = EXCLUDED.top_entities
"""
MARK_ENRICHED = """
UPDATE article_status SET status = 'enriched', status_since = now(), enriched_at = now(),
    error = NULL
WHERE article_id = %(id)s
"""
# Only when a dateline filled a missing publication date: it moves the article in the lists.
FILL_PUBLISHED = """
UPDATE articles SET published_at = %(published_at)s, published_offset = %(published_offset)s,
    order_key = %(order_key)s
WHERE id = %(id)s AND published_at IS NULL
"""
MARK_FAILED = """
UPDATE article_status SET status = 'failed', error = %s, status_since = now()
WHERE article_id = %s
"""
STALE = """
SELECT article_id FROM article_status
WHERE status = %s AND status_since <= now() - make_interval(secs => %s)
ORDER BY status_since
"""
REQUEUE = """
UPDATE article_status SET status = 'queued', status_since = now()
WHERE article_id = %s AND status = %s AND status_since <= now() - make_interval(secs => %s)
RETURNING article_id
"""
REOPEN = """
UPDATE article_status SET status = 'queued', status_since = now(), attempts = 0, error = NULL
WHERE article_id = %s AND status = 'failed'
RETURNING article_id
"""
STATUS_OF = "SELECT status FROM article_status WHERE article_id = %s"


def claim(conn: Connection, article_id: str, max_attempts: int) -> str:
    """'run' (attempt counted), 'dead' (this delivery dead-lettered it), 'done' (enriched),
    'failed' (only a retry revives it) or 'missing'."""
    error = f"gave up after {max_attempts} attempts: the worker died or timed out each time"
    row = conn.execute(CLAIM, {"id": article_id, "max": max_attempts, "error": error}).fetchone()
    if row is not None:
        return "dead" if row["status"] == "failed" else "run"
    found = conn.execute(STATUS_OF, (article_id,)).fetchone()
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
    conn: Connection,
    results: Sequence[tuple[str, Enrichment]],
    *,
    judge_labels: bool = True,
    mark_enriched: bool = True,
) -> list[ArticleSummary | None]:
    """Replace the articles' enrichment rows, entity counts and statuses in the caller's
    transaction; a summary per article, in order (None when it is gone).

    With `judge_labels`, a name the archive clearly files under another class is filed under
    that one (labels.py), judged by the archive's counts plus the articles before it in this
    batch. Without `mark_enriched`, the status is left alone (a relabelling).

    Articles are locked in id order and the entity counts changed in one statement in id
    order, so that transactions sharing articles or entities never wait on each other in a
    cycle.
    """
    ordered = sorted(results, key=lambda pair: pair[0])
    tally = Tally()
    if judge_labels:
        tally = Tally(namesakes(conn, (e.entity_id for _, r in ordered for e in r.entity_summary)))
    delta: dict[str, int] = {}
    seen: dict[str, EntitySummary] = {}
    stored: dict[str, ArticleSummary | None] = {}
    for article_id, enrichment in ordered:
        if judge_labels:
            enrichment = correct(enrichment, tally.corrections(enrichment.entity_summary))
        found = _store_one(conn, article_id, enrichment, mark_enriched)
        if found is None:
            stored[article_id] = None
            continue
        summary, dropped, added = found
        stored[article_id] = summary
        for entity_id in dropped:
            delta[entity_id] = delta.get(entity_id, 0) - 1
            tally.add(entity_id, "", -1)
        for entity in added:
            delta[entity.entity_id] = delta.get(entity.entity_id, 0) + 1
            seen[entity.entity_id] = entity
            tally.add(entity.entity_id, entity.label.upper(), 1)
    _count_entities(conn, delta, seen)
    return [stored[article_id] for article_id, _ in results]


def _store_one(
    conn: Connection, article_id: str, enrichment: Enrichment, mark_enriched: bool = True
) -> tuple[ArticleSummary | None, list[str], list[EntitySummary]] | None:
    """One article's rows and status; (summary, entity ids dropped, entities added)."""
    article = conn.execute(LOCK_FOR_ENRICHMENT, (article_id,)).fetchone()
    if article is None:
        return None
    published: datetime | None = article["published_at"]
    offset: int | None = article["published_offset"]
    filled = published is None and enrichment.published_at is not None
    if filled:
        # A dateline fills a missing publication date; a submitted one is never overwritten.
        published, offset = enrichment.published_at, utc_offset(enrichment.published_at)
    rows = enrichment_rows(enrichment)
    key = order_score(published or article["created_at"], article_id)
    params = {
        "id": article_id,
        "document": rows.document,
        "labels": rows.labels,
        "top": rows.top_entities,
        "published_at": published,
        "published_offset": offset,
        "order_key": key,
    }
    # Pipelined: the statements go out together and their answers come back together, one
    # round trip for the lot instead of one each.
    with conn.pipeline(), conn.cursor() as rows_cur:
        dropped_cur = conn.execute(DROP_ENTITIES, (article_id,))
        conn.execute(DROP_MENTIONS, (article_id,))
        conn.execute(DROP_DATES, (article_id,))
        if rows.entities:
            rows_cur.executemany(ADD_ENTITY, [
                (article_id, e.entity_id, e.label.upper(), e.mentions, e.salience, key)
                for e in rows.entities
            ])  # fmt: skip
        if rows.mentions:
            conn.execute(ADD_MENTIONS, (article_id, *map(list, zip(*rows.mentions, strict=True))))
        if rows.day_ranges:
            firsts, lasts = zip(*rows.day_ranges, strict=True)
            conn.execute(ADD_DATES, (article_id, list(firsts), list(lasts)))
        conn.execute(STORE_ENRICHMENT, params)
        if mark_enriched:
            conn.execute(MARK_ENRICHED, params)
        if filled:
            conn.execute(FILL_PUBLISHED, params)
    dropped = [r["entity_id"] for r in dropped_cur.fetchall()]
    summary = ArticleSummary(
        id=article_id,
        title=article["title"],
        url=article["url"],
        source=article["source"],
        published_at=with_offset(published, offset),
        status=ArticleStatus.ENRICHED,
        top_entities=rows.top_entity_refs,
    )
    return summary, dropped, rows.entities


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
    return [row["article_id"] for row in conn.execute(STALE, (status, older_than)).fetchall()]


def requeue_stale(conn: Connection, article_id: str, status: str, older_than: float) -> bool:
    return conn.execute(REQUEUE, (article_id, status, older_than)).fetchone() is not None


def reopen_failed(conn: Connection, article_id: str) -> None:
    if conn.execute(REOPEN, (article_id,)).fetchone() is not None:
        return
    found = conn.execute(STATUS_OF, (article_id,)).fetchone()
    if found is None:
        raise ArticleNotFound(article_id)
    raise ArticleNotRetryable(article_id, found["status"])
