"""Questions an analyst asks beyond one page: how many articles match, an entity's articles over
time, the entities named alongside it, names that begin with what is being typed, and every
match in chunks for an export. Pure: builds (sql, params), runs nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from shared.entity_names import entity_key
from shared.store.query import ArticleQuery, Cursor
from shared.store.rows import ARTICLE_FROM
from shared.store.search import entity_walk, find_sql, matching

# Counting stops here: past it a count costs as much as reading every match, and "more than
# 10,000" tells a reader as much as the exact figure.
COUNT_CAP = 10_000
# The most recent buckets a timeline returns (a year of days, ten years of weeks).
MAX_BUCKETS = 520
# Co-occurrence is counted over the entity's most recent articles, so that an entity in half
# the archive costs a bounded join.
RELATED_SAMPLE = 5_000
# Rows per round trip of an export: large enough to amortise the query, small enough to hold.
EXPORT_CHUNK = 500

Interval = Literal["day", "week"]


def count_sql(query: ArticleQuery, cap: int) -> tuple[str, dict[str, Any]]:
    """How many articles match `query` (its page, cursor and sort ignored), counting at most
    `cap + 1` of them: a count of `cap + 1` means "more than `cap`"."""
    whole = dataclasses.replace(query, cursor=None, by_relevance=False)
    params: dict[str, Any] = {"cap": cap + 1, "limit": cap + 1}
    if whole.text and whole.text.strip():
        params["q"] = whole.text
    if whole.filters_entity:
        # Each entity's walk stops at cap + 1, so that an entity in most of the archive
        # costs cap + 1 index entries; distinct, as an article may have two of the entities.
        walk = entity_walk(whole, params)
        return f"SELECT count(DISTINCT article_id) AS n FROM ({walk}) AS hits", params
    where = matching(whole, params)
    sql = f"SELECT 1 FROM {ARTICLE_FROM} WHERE {where} LIMIT %(cap)s"
    return f"SELECT count(*) AS n FROM ({sql}) AS hits", params


def export_sql(query: ArticleQuery, after: Cursor | None) -> tuple[str, dict[str, Any]]:
    """The next chunk of every match, newest first, after `after` (keyset pagination: each
    chunk is an index range scan, and no connection is held while the client reads)."""
    chunk = dataclasses.replace(query, cursor=after, by_relevance=False, limit=EXPORT_CHUNK)
    return find_sql(chunk)


TIMELINE = """
WITH hits AS (
    SELECT date_trunc(%(interval)s, to_timestamp(floor(order_key)) AT TIME ZONE 'UTC')::date AS day
    FROM article_entities
    WHERE entity_key = (SELECT key FROM entities WHERE id = %(entity_id)s)
), counted AS (
    SELECT day, count(*) AS articles FROM hits GROUP BY day
), span AS (
    SELECT greatest(min(day), (max(day) - (%(buckets)s - 1) * %(step)s::interval)::date) AS first,
           max(day) AS last
    FROM counted
)
SELECT series.day::date AS day, COALESCE(counted.articles, 0) AS articles
FROM span, generate_series(span.first, span.last, %(step)s::interval) AS series(day)
LEFT JOIN counted ON counted.day = series.day::date
ORDER BY series.day
"""


def timeline_params(entity_id: str, interval: Interval) -> dict[str, Any]:
    return {
        "entity_id": entity_id,
        "interval": interval,
        "step": "1 day" if interval == "day" else "1 week",
        "buckets": MAX_BUCKETS,
    }


RELATED = """
WITH me AS (
    SELECT key FROM entities WHERE id = %(entity_id)s
), mine AS (
    SELECT article_id FROM article_entities WHERE entity_key = (SELECT key FROM me)
    ORDER BY order_key DESC, article_id DESC LIMIT %(sample)s
)
SELECT e.id, e.name, e.label, count(*) AS articles
FROM mine JOIN article_entities other
    ON other.article_id = mine.article_id AND other.entity_key <> (SELECT key FROM me)
JOIN entities e ON e.key = other.entity_key
GROUP BY e.id, e.name, e.label
ORDER BY articles DESC, e.id
LIMIT %(limit)s
"""


def related_params(entity_id: str, limit: int) -> dict[str, Any]:
    return {"entity_id": entity_id, "limit": limit, "sample": RELATED_SAMPLE}


# Entities with a word of their name starting with the typed text, on the key part of the id
# (lower-case ASCII words joined by hyphens), through the trigram index of migration 0003.
SUGGEST = """
SELECT id FROM entities
WHERE articles > 0
  AND (split_part(id, ':', 2) LIKE %(start)s OR split_part(id, ':', 2) LIKE %(inner)s)
ORDER BY articles DESC, id
LIMIT %(limit)s
"""


def suggest_params(typed: str, limit: int) -> dict[str, Any] | None:
    """The SUGGEST parameters for what a reader typed; None when it has no letter or digit."""
    key = entity_key(typed)
    if not key:
        return None
    # Keys hold only [0-9a-z-]: nothing in them is a LIKE wildcard.
    return {"start": f"{key}%", "inner": f"%-{key}%", "limit": limit}
