"""An article's status moves, each one statement or one transaction, so that a redelivered
task, two sweepers, or a retry racing a worker leave one consistent state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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

# The status rows are the lock: an article's own row is never rewritten by an enrichment.
# Locked in id order, so that two transactions sharing articles never wait in a cycle.
LOCK_FOR_ENRICHMENT = """
SELECT a.id, a.title, a.url, a.source, a.published_at, a.published_offset, a.created_at
FROM articles a JOIN article_status s ON s.article_id = a.id
WHERE a.id = ANY(%s)
ORDER BY a.id
FOR UPDATE OF s
"""
# The entity rows the enrichment replaces. A statement of its own, after the lock: its
# snapshot then sees whatever an enrichment that held the lock before committed.
ENTITIES_BEFORE = """
SELECT ae.article_id, e.id AS entity_id
FROM article_entities ae JOIN entities e ON e.key = ae.entity_key
WHERE ae.article_id = ANY(%s)
"""
DROP_ENTITIES = "DELETE FROM article_entities WHERE article_id = ANY(%s)"
DROP_MENTIONS = "DELETE FROM mentions WHERE article_id = ANY(%s)"
DROP_DATES = "DELETE FROM mentioned_dates WHERE article_id = ANY(%s)"
# Arrays are sent in binary (`%b`): in text, psycopg quotes each element through a regular
# expression (63 µs for 70 entity ids, 14 µs in binary), and an enrichment sends ~25 arrays.
# Every entity row and every mention of the batch in one statement each: statements are
# parsed and planned each time (no server-side prepared statements), and an article has ~25
# entities and ~40 mentions. Both name entities by id and store their keys (migration 0005),
# so they run after ADD_NEW_ENTITIES.
ADD_ENTITIES = """
INSERT INTO article_entities (order_key, entity_key, mentions, salience, article_id)
SELECT r.order_key, e.key, r.mentions, r.salience, r.article_id
FROM unnest(%b::text[], %b::text[], %b::int[], %b::float8[], %b::float8[])
    AS r(article_id, entity_id, mentions, salience, order_key)
JOIN entities e ON e.id = r.entity_id
"""
ADD_MENTIONS = """
INSERT INTO mentions (article_id, entity_keys, labels, starts, ends)
SELECT m.article_id, array_agg(e.key ORDER BY m.n), array_agg(m.label ORDER BY m.n),
    array_agg(m.start ORDER BY m.n), array_agg(m.stop ORDER BY m.n)
FROM unnest(%b::text[], %b::text[], %b::text[], %b::int4[], %b::int4[])
    WITH ORDINALITY AS m(article_id, entity_id, label, start, stop, n)
LEFT JOIN entities e ON e.id = m.entity_id
GROUP BY m.article_id
"""
ADD_DATES = """
INSERT INTO mentioned_dates (article_id, days)
SELECT %s, range_agg(daterange(first, last, '[]'))
FROM unnest(%b::date[], %b::date[]) AS span(first, last)
"""
# The entities new to the archive, uncounted, so that rows can reference their keys. Known
# ids are left out before the insert: an INSERT draws its row's key from the identity
# sequence even when ON CONFLICT then drops the row, and an enrichment names ~23 entities,
# nearly all known (measured before this filter: 913,350 keys drawn for 2,546 entities over
# a 1,000,000-article load), which would exhaust the integer keys in some tens of millions of
# enrichments. ON CONFLICT DO NOTHING remains for two enrichments adding the same entity at
# once, and locks no existing row: the counts' row locks come last (COUNT_ENTITIES), held
# only for the end of the transaction. In id order, as everything that takes entity rows.
ADD_NEW_ENTITIES = """
INSERT INTO entities (id, name, label, lookup_keys)
SELECT new.id, new.name, new.label, string_to_array(new.lookup_keys, ' ')
FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[])
    AS new(id, name, label, lookup_keys)
WHERE NOT EXISTS (SELECT FROM entities e WHERE e.id = new.id)
ORDER BY new.id
ON CONFLICT (id) DO NOTHING
"""
# The entities whose counts change, locked in id order, so that two enrichments (or a prune)
# sharing entities lock them in the same order (no deadlock); then their counts, in one
# statement. Every one exists by then (ADD_NEW_ENTITIES, or the rows it is counted down
# from), so it is an UPDATE: no row to insert, no key drawn.
LOCK_COUNTED = "SELECT FROM entities WHERE id = ANY(%b::text[]) ORDER BY id FOR UPDATE"
COUNT_ENTITIES = """
UPDATE entities AS e SET
    articles = e.articles + delta.articles,
    name = CASE WHEN delta.articles > 0 THEN delta.name ELSE e.name END,
    label = CASE WHEN delta.articles > 0 THEN delta.label ELSE e.label END
FROM unnest(%b::text[], %b::text[], %b::text[], %b::int[])
    AS delta(id, name, label, articles)
WHERE e.id = delta.id
"""
STORE_ENRICHMENT = """
INSERT INTO enrichments (article_id, document, labels, top_entities)
VALUES (%(id)s, %(document)s::json, %(labels)b::text[], %(top)s::jsonb)
ON CONFLICT (article_id) DO UPDATE SET
    document = EXCLUDED.document, labels = EXCLUDED.labels, top_entities = EXCLUDED.top_entities
"""
MARK_ENRICHED = """
UPDATE article_status SET status = 'enriched', status_since = now(), enriched_at = now(),
    error = NULL
WHERE article_id = ANY(%s)
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
    with conn.pipeline():  # the transaction's BEGIN goes with it: one round trip
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
    cycle. Two round trips whatever the batch's size (pipelined): one reads, one writes.
    """
    latest = dict(sorted(results, key=lambda pair: pair[0]))  # one result per id, in id order
    ids = list(latest)
    with conn.pipeline():
        locked = conn.execute(LOCK_FOR_ENRICHMENT, (ids,))
        before = conn.execute(ENTITIES_BEFORE, (ids,))
        names = (e.entity_id for r in latest.values() for e in r.entity_summary)
        known = namesakes(conn, names) if judge_labels else {}
        articles = {row["id"]: row for row in locked.fetchall()}
        replaced: dict[str, list[str]] = {}
        for row in before.fetchall():
            replaced.setdefault(row["article_id"], []).append(row["entity_id"])
    tally = Tally(known)
    delta: dict[str, int] = {}
    seen: dict[str, EntitySummary] = {}
    stored: dict[str, ArticleSummary | None] = {}
    writes = _Writes()
    for article_id, enrichment in latest.items():
        article = articles.get(article_id)
        if article is None:
            stored[article_id] = None
            continue
        if judge_labels:
            enrichment = correct(enrichment, tally.corrections(enrichment.entity_summary))
        stored[article_id], added = writes.add(article, enrichment)
        for entity_id in replaced.get(article_id, []):
            delta[entity_id] = delta.get(entity_id, 0) - 1
            tally.add(entity_id, "", -1)
        for entity in added:
            delta[entity.entity_id] = delta.get(entity.entity_id, 0) + 1
            seen[entity.entity_id] = entity
            tally.add(entity.entity_id, entity.label.upper(), 1)
    with conn.pipeline():
        writes.send_drops(conn)
        add_new_entities(conn, seen)
        writes.send_rows(conn, mark_enriched)
        count_entities(conn, delta, seen)
    return [stored[article_id] for article_id, _ in results]


@dataclass
class _Writes:
    """The rows a batch of enrichments writes, sent together."""

    ids: list[str] = field(default_factory=list)
    entity_rows: list[tuple[str, str, int, float, float]] = field(default_factory=list)
    mention_rows: list[tuple[str, str | None, str, int, int]] = field(default_factory=list)
    statements: list[tuple[str, Any]] = field(default_factory=list)

    def add(
        self, article: dict[str, Any], enrichment: Enrichment
    ) -> tuple[ArticleSummary, list[EntitySummary]]:
        """Queue one article's rows; (its summary, its entities)."""
        article_id: str = article["id"]
        published: datetime | None = article["published_at"]
        offset: int | None = article["published_offset"]
        filled = published is None and enrichment.published_at is not None
        if filled:
            # A dateline fills a missing publication date; a submitted one is never overwritten.
            published, offset = enrichment.published_at, utc_offset(enrichment.published_at)
        rows = enrichment_rows(enrichment)
        key = order_score(published or article["created_at"], article_id)
        self.ids.append(article_id)
        self.entity_rows.extend(
            (article_id, e.entity_id, e.mentions, e.salience, key) for e in rows.entities
        )
        self.mention_rows.extend((article_id, *mention) for mention in rows.mentions)
        if rows.day_ranges:
            firsts, lasts = zip(*rows.day_ranges, strict=True)
            self.statements.append((ADD_DATES, (article_id, list(firsts), list(lasts))))
        document = {"id": article_id, "document": rows.document, "labels": rows.labels,
                    "top": rows.top_entities}  # fmt: skip
        self.statements.append((STORE_ENRICHMENT, document))
        if filled:
            fill = {"id": article_id, "published_at": published,
                    "published_offset": offset, "order_key": key}  # fmt: skip
            self.statements.append((FILL_PUBLISHED, fill))
        summary = ArticleSummary(
            id=article_id,
            title=article["title"],
            url=article["url"],
            source=article["source"],
            published_at=with_offset(published, offset),
            status=ArticleStatus.ENRICHED,
            top_entities=rows.top_entity_refs,
        )
        return summary, rows.entities

    def send_drops(self, conn: Connection) -> None:
        """Delete the rows the batch replaces (call in a pipeline, then `send_rows`)."""
        if self.ids:
            for drop in (DROP_ENTITIES, DROP_MENTIONS, DROP_DATES):
                conn.execute(drop, (self.ids,))

    def send_rows(self, conn: Connection, mark_enriched: bool) -> None:
        """The batch's rows and status change; after `add_new_entities`, as the rows
        reference entities by key."""
        for statement, rows in ((ADD_ENTITIES, self.entity_rows),
                                (ADD_MENTIONS, self.mention_rows)):  # fmt: skip
            if rows:
                conn.execute(statement, [list(column) for column in zip(*rows, strict=True)])
        for statement, params in self.statements:
            conn.execute(statement, params)
        if mark_enriched and self.ids:
            conn.execute(MARK_ENRICHED, (self.ids,))


def add_new_entities(conn: Connection, entities: dict[str, EntitySummary]) -> None:
    """Add the entities (by id) the archive does not have yet, with no articles counted."""
    if entities:
        ids = sorted(entities)
        names, labels = _names_and_labels(ids, entities)
        # Keys are slugs ([0-9a-z-]), so a space joins them safely.
        keys = [" ".join(lookup_keys(entities[e])) for e in ids]
        conn.execute(ADD_NEW_ENTITIES, (ids, names, labels, keys))


def count_entities(conn: Connection, delta: dict[str, int], meta: dict[str, EntitySummary]) -> None:
    """Apply the article-count changes: +1 per article now mentioning an entity, -1 per
    article that no longer does."""
    changed = sorted(entity for entity, amount in delta.items() if amount)
    if changed:
        names, labels = _names_and_labels(changed, meta)
        conn.execute(LOCK_COUNTED, (changed,))
        conn.execute(COUNT_ENTITIES, (changed, names, labels, [delta[e] for e in changed]))


def _names_and_labels(
    ids: list[str], meta: dict[str, EntitySummary]
) -> tuple[list[str], list[str]]:
    """Each entity's name and label as the batch gives them ("" for one it no longer names:
    its count only goes down, and COUNT_ENTITIES keeps its name)."""
    return (
        [meta[e].name if e in meta else "" for e in ids],
        [meta[e].label.upper() if e in meta else "" for e in ids],
    )


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
