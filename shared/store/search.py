"""Questions to the archive as SQL: the article filters with keyset pagination, and entities.

Filters combine by AND in one statement. Pages are keyset pages on (order_key, id), newest
first, or on (rank, id) for `sort=relevance`; a cursor is where the last page ended, so a page
stays right while articles arrive. Pure: builds (sql, params), runs nothing.
"""

from __future__ import annotations

from typing import Any

from shared.store.query import ArticleQuery, Cursor
from shared.store.rows import SUMMARY_COLUMNS
from shared.store.terms import bound_score, normal_source

# Text search configuration: English stemming ("talks" finds "talk"), stop words ignored.
TEXT_CONFIG = "english"

# The entity filter: the ids asked for by id, and every entity any normalised name stands for.
ENTITY_MATCH = "(id = ANY(%(entity_ids)s) OR lookup_keys && %(entity_keys)s)"

RESOLVE_ENTITIES = f"SELECT id FROM entities WHERE {ENTITY_MATCH}"

RANK_ENTITIES = """
SELECT id, name, label, articles FROM entities
WHERE articles > 0
  AND (%(label)s::text IS NULL OR label = %(label)s)
  AND (%(only)s::text[] IS NULL OR id = ANY(%(only)s))
ORDER BY articles DESC, id
LIMIT %(limit)s
"""


def find_sql(query: ArticleQuery) -> tuple[str, dict[str, Any]]:
    """One page (plus one row, to know whether more follow) of summaries matching `query`."""
    where: list[str] = []
    params: dict[str, Any] = {"limit": query.limit + 1}
    if query.filters_entity:
        params["entity_ids"] = list(query.entity_ids)
        params["entity_keys"] = list(query.entity_keys)
        # Driven by the (entity_id, order_key) index: each entity's newest articles first.
        where.append(
            "a.id IN (SELECT ae.article_id FROM article_entities ae WHERE ae.entity_id IN "
            f"(SELECT id FROM entities WHERE {ENTITY_MATCH}))"
        )
    if query.label:
        params["label"] = [query.label.strip().upper()]
        where.append("a.labels @> %(label)s::text[]")
    if query.source:
        params["source"] = normal_source(query.source)
        where.append("a.source_key = %(source)s")
    if query.status is not None:
        params["status"] = query.status.value
        where.append("a.status = %(status)s")
    if query.text and query.text.strip():
        params["q"] = query.text
        where.append(f"a.search @@ websearch_to_tsquery('{TEXT_CONFIG}', %(q)s)")
    if query.published_from is not None:
        params["low"] = bound_score(query.published_from)
        where.append("a.order_key >= %(low)s")
    if query.published_before is not None:
        params["high"] = bound_score(query.published_before)
        where.append("a.order_key < %(high)s")
    if query.mentions_from or query.mentions_to:
        params["days_from"] = query.mentions_from
        params["days_to"] = query.mentions_to
        where.append(
            "EXISTS (SELECT 1 FROM mentioned_dates m WHERE m.article_id = a.id "
            "AND m.days && daterange(%(days_from)s::date, %(days_to)s::date, '[]'))"
        )
    key = "a.order_key"
    if query.by_relevance:
        key = f"ts_rank(a.search, websearch_to_tsquery('{TEXT_CONFIG}', %(q)s))::float8"
    if query.cursor is not None:
        params["after_key"] = query.cursor.score
        params["after_id"] = query.cursor.article_id
        where.append(f"({key}, a.id) < (%(after_key)s, %(after_id)s)")
    sql = (
        f"SELECT {_prefixed(SUMMARY_COLUMNS)}, {key} AS sort_key FROM articles a"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {key} DESC, a.id DESC LIMIT %(limit)s"
    )
    return sql, params


def page_cursor(rows: list[dict[str, Any]], limit: int) -> Cursor | None:
    """The cursor of the next page: where this one ended, when more rows follow."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return Cursor(float(last["sort_key"]), last["id"])


def rank_params(label: str | None, only: list[str] | None, limit: int) -> dict[str, Any]:
    return {"label": label.strip().upper() if label else None, "only": only, "limit": limit}


def resolve_params(entity_ids: list[str], lookup_keys: list[str]) -> dict[str, Any]:
    return {"entity_ids": entity_ids, "entity_keys": lookup_keys}


def _prefixed(columns: str) -> str:
    return ", ".join(f"a.{column.strip()}" for column in columns.split(","))
