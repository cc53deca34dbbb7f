"""Questions to the archive as SQL: the article filters with keyset pagination, and entities.

Filters combine by AND in one statement. Pages are keyset pages on (order_key, id), newest
first, or on (rank, id) for `sort=relevance`; a cursor is where the last page ended, so a page
stays right while articles arrive. Pure: builds (sql, params), runs nothing. The two hottest
walks, words and entities newest first, are database functions (migrations 0006 and 0007), so
that their plans are made once per connection; these statements call them.
"""

from __future__ import annotations

from typing import Any

from shared.store.query import ArticleQuery, Cursor
from shared.store.rows import ARTICLE_FROM, SUMMARY_COLUMNS
from shared.store.terms import bound_score, normal_source

# Text search configuration: English stemming ("talks" finds "talk"), stop words ignored.
TEXT_CONFIG = "english"

# The entity filter: the ids asked for by id, and every entity any normalised name stands for.
# `articles_with_entities` (migration 0007) writes it again, in PL/pgSQL: change both together.
ENTITY_MATCH = "(id = ANY(%(entity_ids)s) OR lookup_keys && %(entity_keys)s)"

# How many of the newest articles a word query checks before it asks the GIN index: about
# 5 × √(articles), within these bounds. Each costs 1–3 µs (the tsvector is read in place, see
# migration 0004). Past the walk, words that meet in fewer than 21 of the walk's length are
# read from the GIN index, and each of those older matches is then a heap visit (~10 µs): a
# pair meeting in 0.8 % of 1,000,000 articles has ~8,000. A longer walk leaves fewer such
# pairs but costs every query that finds nothing, so its best length grows with the archive.
# Measured at the store (`python -m bench.word_walk`, 300 random word pairs): at 1,000,000
# articles, walks of 2,000 / 5,000 / 10,000 / this length gave p99 104 / 24 / 34 / 25 ms and
# means of 10.6 / 10.0 / 14.3 / 11.3 ms; at 100,000 (bench/archive.py's pairs), 2,000 / 5,000
# gave p50 4.8 / 10.5 and p99 12.4 / 15.2 ms.
WORDS_WALK = (1_000, 50_000)
WORDS_WALK_SCALE = 5.0
# The walk's first fifth goes first. Words that meet nowhere in it skip the rest and go straight
# to the GIN index: most never meet at all, and for them the rest of the walk was pure cost (at
# 1,000,000 articles, the 57 % of `bench/word_walk.py`'s pairs that meet nowhere took 11.4 ms,
# of which the GIN index's answer was ~5). Words that would fill a page within the whole walk
# meet ≥ 4 times in its head on average, so few of those are sent to the index instead.
WORDS_WALK_HEAD = 5
# The walk's length from the planner's count of articles (no scan; kept current by autovacuum).
WALK_LENGTH = (
    "SELECT least(%(walk_max)s, greatest(%(walk_min)s, "
    "(%(walk_scale)s * sqrt(greatest(reltuples, 0)))::int)) AS n "
    "FROM pg_class WHERE oid = 'articles'::regclass"
)

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
    params: dict[str, Any] = {"limit": query.limit + 1}
    if query.text and query.text.strip():
        params["q"] = query.text
    if query.cursor is not None:
        params["after_key"] = query.cursor.score
        params["after_id"] = query.cursor.article_id
    columns = SUMMARY_COLUMNS
    if query.filters_entity and not query.by_relevance:
        return _by_entity(query, params, columns), params
    if "q" in params and not query.by_relevance:
        return _by_words(query, params, columns), params
    key = "a.order_key"
    if query.by_relevance:
        key = f"ts_rank(a.search, websearch_to_tsquery('{TEXT_CONFIG}', %(q)s))::float8"
    where = matching(query, params)
    if query.by_relevance and query.cursor is not None:
        where += f" AND ({key}, a.id) < (%(after_key)s, %(after_id)s)"
    return (
        f"SELECT {columns}, {key} AS sort_key FROM {ARTICLE_FROM} WHERE {where}"
        f" ORDER BY {key} DESC, a.id DESC LIMIT %(limit)s"
    ), params


def matching(query: ArticleQuery, params: dict[str, Any]) -> str:
    """The WHERE condition (over ARTICLE_FROM) of every filter of `query`, the entity as a
    semi-join, its parameters added to `params` (which holds `q` when there are words)."""
    where = _conditions(query, params, "", "a.order_key", "a.id")
    if query.filters_entity:
        params["entity_ids"] = list(query.entity_ids)
        params["entity_keys"] = list(query.entity_keys)
        where.append(
            "a.id IN (SELECT ae.article_id FROM article_entities ae WHERE ae.entity_key IN "
            f"(SELECT key FROM entities WHERE {ENTITY_MATCH}))"
        )
    return " AND ".join(where) if where else "TRUE"


def _by_entity(query: ArticleQuery, params: dict[str, Any], columns: str) -> str:
    """Articles with any of the entities a name stands for, newest first: the page is the
    newest of the entity walks' articles. When the other filters only bound the walks (a
    publication window, the cursor), the database's `articles_with_entities` (migration
    0007) takes them, its plans made once per connection instead of once per page (a page's
    mean at the store, c=1, 1,000,000 articles: 1.3–1.5 → 0.94–0.99 ms)."""
    if query == _only(query, ENTITY_WALK_BOUNDS):
        walk = _entity_walk_function(query, params)
    else:
        walk = entity_walk(query, params)
    return (
        f"SELECT {columns}, a.order_key AS sort_key FROM {ARTICLE_FROM} "
        f"WHERE a.id IN ({walk}) "
        "ORDER BY a.order_key DESC, a.id DESC LIMIT %(limit)s"
    )


def _entity_walk_function(query: ArticleQuery, params: dict[str, Any]) -> str:
    """`entity_walk` as `articles_with_entities` takes it: the ids of up to a page of each
    entity's articles, newest first; its arguments NULL where a filter is absent."""
    params["entity_ids"] = list(query.entity_ids)
    params["entity_keys"] = list(query.entity_keys)
    _bound_params(query, params)
    return (
        "SELECT w.article_id FROM articles_with_entities(%(entity_ids)s::text[], "
        "%(entity_keys)s::text[], %(limit)s::int, %(low)s::float8, %(high)s::float8, "
        "%(after_key)s::float8, %(after_id)s::text) w"
    )


def _bound_params(query: ArticleQuery, params: dict[str, Any]) -> None:
    """The publication bounds' and the cursor's parameters of a walk function, NULL where
    absent (`find_sql` has set the cursor's, if any)."""
    low, high = query.published_from, query.published_before
    params["low"] = bound_score(low) if low is not None else None
    params["high"] = bound_score(high) if high is not None else None
    params.setdefault("after_key", None)
    params.setdefault("after_id", None)


def prepared(query: ArticleQuery) -> bool | None:
    """Whether psycopg may prepare a statement over `matching(query)` server-side (None: its
    default, after five runs). Never for words: PostgreSQL may then switch to a generic plan,
    blind to the words and how often they meet (a word query went from 2 to 20 ms at 100,000
    articles). The other queries keep the saving (half of `GET /articles/{id}`'s database
    time is parsing and planning)."""
    return False if query.text else None


def find_prepared(query: ArticleQuery) -> bool | None:
    """`prepared` for the statement of `find_sql(query)`. A word query walked by the
    database's function is one short statement whose plan is the same for any words (the
    function plans its GIN step itself), so it is prepared like any other."""
    if query.text and query.text.strip() and _walked_by_function(query):
        return None
    return prepared(query)


def _by_words(query: ArticleQuery, params: dict[str, Any], columns: str) -> str:
    """Articles with the words, newest first, in two steps whose cost follows the answer, not
    the archive. First the newest articles (about 5 × √(articles), see `WORDS_WALK`) within
    the other filters' order-key bounds are checked: words that often come together fill the
    page there, and words that meet nowhere in the walk's head (its first fifth) skip the rest
    of it. Only when the walk doesn't fill the page (words that rarely meet) are the older
    matches read from the GIN index, whose bitmap is then small, and sorted; `order_key + 0`
    keeps the planner from walking the whole archive down the order index in search of rare
    matches (or from reading all of that index to leave out the few articles the walk saw).
    Both steps handle ids and order keys only; the page's columns are read for its rows
    alone. When every other filter bounds the walk (the usual `q`, with a source, a window or
    a cursor), the database's function takes these steps (`_by_words_function`); with a
    filter on the status, labels or mentioned dates, this one statement does."""
    params["walk_min"], params["walk_max"] = WORDS_WALK
    params["walk_scale"] = WORDS_WALK_SCALE
    params["walk_head"] = WORDS_WALK_HEAD
    if _walked_by_function(query):
        return _by_words_function(query, params, columns)
    where = matching(query, params)
    # The walk's bounds: the filters its index serves, whose parameters `matching` has set
    # already (hence a throwaway dict, which also keeps the words out).
    walk_bounds = _only(query, WORDS_WALK_BOUNDS)
    bounds = " AND ".join(_conditions(walk_bounds, {}, "", "a.order_key", "a.id"))
    bounds = bounds or "TRUE"
    order = "ORDER BY a.order_key DESC, a.id DESC"
    newest = f"FROM articles a WHERE {bounds} {order}"
    joins = _filter_joins(query)

    def row_at(length: str) -> str:
        """The (order key, id) of the walk's last article at `length` (NULL past the end)."""
        return f"(SELECT a.order_key, a.id {newest} OFFSET {length} - 1 LIMIT 1)"

    def matches_among(after: str, length: str) -> str:
        """The page's worth of matches among the `length` newest articles past `after`."""
        return (
            "SELECT a.id, a.order_key FROM (SELECT a.id, a.order_key, a.source_key, a.search "
            f"FROM articles a WHERE {bounds} AND {after} {order} LIMIT {length}) a{joins} "
            f"WHERE {where} {order} LIMIT %(limit)s"
        )

    # The walk reads the tsvector through a subquery, where no index can stand in for it: the
    # newest articles are tested one by one and the walk stops at a full page. (Left to itself
    # the planner trusts its estimate of how often two words meet, which assumes they are
    # independent, and for words that come together it reads every match of the archive from
    # the GIN index only to keep those among the newest: 0.2 s at 1,000,000 articles.)
    # Its head goes first: words that don't meet once there go straight to the GIN index
    # (see WORDS_WALK_HEAD), and only those that meet a few times walk the rest.
    head = matches_among("TRUE", "(SELECT head_n FROM walk)")
    after_head = f"(a.order_key, a.id) < {row_at('(SELECT head_n FROM walk)')}"
    rest = matches_among(after_head, "(SELECT rest FROM reach)")
    return (
        f"WITH walk AS MATERIALIZED (SELECT n, greatest(1, n / %(walk_head)s) AS head_n "
        f"FROM ({WALK_LENGTH}) length), "
        f"head AS MATERIALIZED ({head}), "
        "reach AS MATERIALIZED (SELECT CASE WHEN found = 0 THEN head_n ELSE n END AS n, "
        "CASE WHEN found BETWEEN 1 AND %(limit)s - 1 THEN greatest(n - head_n, 0) ELSE 0 END "
        "AS rest FROM walk, (SELECT count(*) AS found FROM head) h), "
        f"rest AS MATERIALIZED ({rest}), "
        "walked AS (SELECT * FROM head UNION ALL SELECT * FROM rest), "
        f"older AS (SELECT a.id, a.order_key FROM articles a{joins} "
        f"WHERE {where} AND (SELECT count(*) FROM walked) < %(limit)s "
        f"AND (a.order_key + 0, a.id) < {row_at('(SELECT n FROM reach)')} "
        "ORDER BY a.order_key + 0 DESC, a.id DESC LIMIT %(limit)s), "
        "hits AS (SELECT * FROM walked UNION ALL SELECT * FROM older "
        "ORDER BY order_key DESC, id DESC LIMIT %(limit)s) "
        f"SELECT {columns}, a.order_key AS sort_key FROM {ARTICLE_FROM} "
        f"WHERE a.id IN (SELECT id FROM hits) {order}"
    )


def _walked_by_function(query: ArticleQuery) -> bool:
    """Whether every filter of a word query bounds the walk (source, publication bounds,
    cursor), so the database's `articles_with_words` answers it."""
    return query == _only(query, ("text", *WORDS_WALK_BOUNDS))


def _by_words_function(query: ArticleQuery, params: dict[str, Any], columns: str) -> str:
    """`_by_words`'s steps as `articles_with_words` (migration 0006) takes them: the same
    pages, with the walk's plans made once per connection instead of once per query (a word
    query's mean at the store, c=1, 100,000 articles: 2.19 → 1.05 ms). Its arguments are
    NULL where a filter is absent."""
    _bound_params(query, params)
    params["source"] = normal_source(query.source) if query.source else None
    walk = (
        f"articles_with_words(websearch_to_tsquery('{TEXT_CONFIG}', %(q)s), %(limit)s::int, "
        "%(low)s::float8, %(high)s::float8, %(after_key)s::float8, %(after_id)s::text, "
        "%(source)s::text, %(walk_min)s::int, %(walk_max)s::int, %(walk_scale)s::float8, "
        "%(walk_head)s::int)"
    )
    return (
        f"SELECT {columns}, a.order_key AS sort_key FROM {ARTICLE_FROM} "
        f"WHERE a.id IN (SELECT w.article_id FROM {walk} w) "
        "ORDER BY a.order_key DESC, a.id DESC"
    )


def _filter_joins(query: ArticleQuery) -> str:
    """The joins to `a` of the tables the filters of `query` read besides the article (as
    aliased in `matching`), and no others."""
    joins = ""
    if query.status is not None:
        joins += " JOIN article_status s ON s.article_id = a.id"
    if query.label:
        joins += " JOIN enrichments e ON e.article_id = a.id"
    return joins


# The filters that bound a walk newest first (on the article's own row): the publication
# bounds and the cursor; for the words' walk, the source as well (it has an index of its own).
ENTITY_WALK_BOUNDS = ("entity_ids", "entity_keys", "published_from", "published_before", "cursor")
WORDS_WALK_BOUNDS = ("source", "published_from", "published_before", "cursor")


def _only(query: ArticleQuery, filters: tuple[str, ...]) -> ArticleQuery:
    """`query` with only `filters` (and its limit) kept, every other filter unset."""
    kept: dict[str, Any] = {name: getattr(query, name) for name in filters}
    return ArticleQuery(limit=query.limit, **kept)


def entity_walk(query: ArticleQuery, params: dict[str, Any]) -> str:
    """The ids of articles with any of the entities a name stands for that pass the other
    filters: for each entity, a walk down its (entity_id, order_key) index, newest first,
    `%(limit)s` articles each (an article with two of the entities comes twice). Cost grows
    with the limit and the entity, not with the archive."""
    params["entity_ids"] = list(query.entity_ids)
    params["entity_keys"] = list(query.entity_keys)
    inner = ["ae.entity_key = ent.key", *_conditions(query, params, "2", "ae.order_key",
                                                   "ae.article_id")]  # fmt: skip
    # Only the tables a filter needs: a bare entity query walks its index alone.
    joins = ""
    if query.source or query.text or query.mentions_from or query.mentions_to:
        joins += " JOIN articles a2 ON a2.id = ae.article_id"
    if query.status is not None:
        joins += " JOIN article_status s2 ON s2.article_id = ae.article_id"
    if query.label:
        joins += " JOIN enrichments e2 ON e2.article_id = ae.article_id"
    return (
        f"SELECT hit.article_id FROM (SELECT key FROM entities WHERE {ENTITY_MATCH}) ent, "
        f"LATERAL (SELECT ae.article_id FROM article_entities ae{joins} "
        f"WHERE {' AND '.join(inner)} "
        "ORDER BY ae.order_key DESC, ae.article_id DESC LIMIT %(limit)s) hit"
    )


def _conditions(
    query: ArticleQuery, params: dict[str, Any], suffix: str, key: str, article_id: str
) -> list[str]:
    """The filters other than the entity, on the tables aliased a, s and e (articles, their
    status and enrichment) plus `suffix`; the publication bounds and the cursor on `key` and
    `article_id` (the order key and id of whichever index drives the walk)."""
    a, s, e = f"a{suffix}", f"s{suffix}", f"e{suffix}"
    where: list[str] = []
    if query.label:
        params["label"] = [query.label.strip().upper()]
        where.append(f"{e}.labels @> %(label)s::text[]")
    if query.source:
        params["source"] = normal_source(query.source)
        where.append(f"{a}.source_key = %(source)s")
    if query.status is not None:
        params["status"] = query.status.value
        where.append(f"{s}.status = %(status)s")
    if "q" in params:
        where.append(f"{a}.search @@ websearch_to_tsquery('{TEXT_CONFIG}', %(q)s)")
    if query.published_from is not None:
        params["low"] = bound_score(query.published_from)
        where.append(f"{key} >= %(low)s")
    if query.published_before is not None:
        params["high"] = bound_score(query.published_before)
        where.append(f"{key} < %(high)s")
    if query.mentions_from or query.mentions_to:
        params["days_from"] = query.mentions_from
        params["days_to"] = query.mentions_to
        where.append(
            f"EXISTS (SELECT 1 FROM mentioned_dates m WHERE m.article_id = {a}.id "
            "AND m.days && daterange(%(days_from)s::date, %(days_to)s::date, '[]'))"
        )
    if query.cursor is not None and not query.by_relevance:
        where.append(f"({key}, {article_id}) < (%(after_key)s, %(after_id)s)")
    return where


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
