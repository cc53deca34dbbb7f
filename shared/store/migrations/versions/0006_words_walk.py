"""A word query's newest-first walk as a function, so that its plans are made once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08

`GET /articles?q=` ran as one statement of five CTEs (shared/store/search.py), sent unprepared
because a generic plan of all of it is blind to how often the words meet (the GIN step then
went from 2 to 20 ms at 100,000 articles). So each query was parsed and planned anew: ~0.3 ms
of parsing and ~0.6 ms of planning of its ~2.1 ms at the store, c=1, at 100,000 articles.

`articles_with_words` takes the same steps in PL/pgSQL, which keeps a plan per statement for
the session: the walk's steps (the newest articles within the bounds, then past the head) and
their edges have one sensible plan whatever the values, an index scan newest first, so their
generic plans are made once. Only the last step, the older matches read from the GIN index,
is planned per call (`EXECUTE`, ~0.06 ms), because its plan depends on how often the words
meet. The caller prepares one short statement: the function's rows joined to the page's
columns. Measured at the store, c=1, 600 random dev-set word pairs at 100,000 articles (the
same pages, all 300 compared): mean 2.19 → 1.05 ms, p50 1.94 → 0.90, p99 6.0 → 4.0.

The arguments, each NULL when absent: the words, the page's length (rows wanted), the
order-key bounds [low, high), the cursor (the last article seen: its key and id), a source
key; then the walk's length, about `walk_scale` × √(articles) within [walk_min, walk_max],
and its head, the first 1/`walk_head` of it (shared/store/search.py documents all four).
Rows come back newest first: each step's rows are older than the step's before.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The walk's statements: each is written twice in the function, with and without the source,
# so that each has one plan (the source's walk reads the (source_key, order_key, id) index,
# the other the order's). `{bounds}` is where they differ.
BOUNDS = "a.order_key >= low AND a.order_key < high AND (a.order_key, a.id) < (edge_key, edge_id)"
ORDER = "ORDER BY a.order_key DESC, a.id DESC"


def walk(length: str, rows: str) -> str:
    """Up to `rows` matches among the `length` newest articles past the edge, newest first."""
    return (
        "RETURN QUERY SELECT w.id, w.order_key FROM (SELECT a.id, a.order_key, a.search "
        f"FROM articles a WHERE {{bounds}} {ORDER} LIMIT {length}) w "
        f"WHERE w.search @@ words ORDER BY w.order_key DESC, w.id DESC LIMIT {rows};"
    )


def by_source(statement: str, indent: str = "    ") -> str:
    """`statement` once per plan: for every source, and for the one asked for."""
    source_bounds = "a.source_key = source_wanted AND " + BOUNDS
    return (
        f"IF source_wanted IS NULL THEN\n{indent}    {statement.format(bounds=BOUNDS)}\n"
        f"{indent}ELSE\n{indent}    {statement.format(bounds=source_bounds)}\n{indent}END IF;"
    )


# The edge: the last leg's last article.
EDGE = (
    "SELECT a.order_key, a.id INTO edge_key, edge_id FROM articles a "
    f"WHERE {{bounds}} {ORDER} OFFSET leg - 1 LIMIT 1;"
)

UPGRADE = f"""
CREATE FUNCTION articles_with_words(
    words tsquery, page integer, key_low double precision, key_high double precision,
    cursor_key double precision, cursor_id text, source_wanted text,
    walk_min integer, walk_max integer, walk_scale double precision, walk_head integer
) RETURNS TABLE (article_id text, article_key double precision)
LANGUAGE plpgsql STABLE ROWS 21 AS $body$
DECLARE
    n integer;
    head_n integer;
    matched integer := 0;
    got integer;
    leg integer;
    walked integer;
    edge_key double precision := coalesce(cursor_key, 'infinity');
    edge_id text := coalesce(cursor_id, '');
    older text;
    low double precision := coalesce(key_low, '-infinity');
    high double precision := coalesce(key_high, 'infinity');
BEGIN
    IF page < 1 THEN
        RETURN;
    END IF;
    SELECT least(walk_max, greatest(walk_min, (walk_scale * sqrt(greatest(reltuples, 0)))::int))
      INTO n FROM pg_class WHERE oid = 'articles'::regclass;
    head_n := greatest(1, n / walk_head);

    -- The walk's head: the newest head_n articles within the bounds, tested one by one.
    {by_source(walk("head_n", "page"))}
    GET DIAGNOSTICS matched = ROW_COUNT;
    IF matched >= page THEN
        RETURN;
    END IF;

    -- The rest of the walk, for words that met in the head; words that met nowhere in it go
    -- straight to the index. Each leg starts past the last article of the one before.
    IF matched = 0 THEN
        n := head_n;
    END IF;
    leg := head_n;
    walked := head_n;
    LOOP
        {by_source(EDGE, " " * 8)}
        IF NOT FOUND THEN
            RETURN;  -- the leg reached the oldest article within the bounds: none is older
        END IF;
        EXIT WHEN walked >= n;
        leg := n - walked;
        walked := n;
        {by_source(walk("leg", "page - matched"), " " * 8)}
        GET DIAGNOSTICS got = ROW_COUNT;
        matched := matched + got;
        IF matched >= page THEN
            RETURN;
        END IF;
    END LOOP;

    -- Older matches, past the walk, from the GIN index: planned for these words each time.
    -- `order_key + 0` keeps the planner from walking the order index in search of rare words.
    older := 'SELECT a.id, a.order_key FROM articles a WHERE a.search @@ $1 '
        'AND (a.order_key + 0, a.id) < ($2, $3)';
    IF low > '-infinity' THEN
        older := older || ' AND a.order_key >= $4';
    END IF;
    IF high < 'infinity' THEN
        older := older || ' AND a.order_key < $5';
    END IF;
    IF source_wanted IS NOT NULL THEN
        older := older || ' AND a.source_key = $6';
    END IF;
    RETURN QUERY EXECUTE older || ' ORDER BY a.order_key + 0 DESC, a.id DESC LIMIT $7'
        USING words, edge_key, edge_id, low, high, source_wanted, page - matched;
END
$body$;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION articles_with_words(tsquery, integer, double precision, "
        "double precision, double precision, text, text, integer, integer, double precision, "
        "integer)"
    )
