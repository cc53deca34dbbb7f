"""An entity page's walks as a function, so that their plans are made once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

`GET /articles?entity=` resolves the name to the entities it stands for and walks each one's
(entity_key, order_key DESC, article_id DESC) index for a page's worth, newest first
(shared/store/search.py, `entity_walk`). As one statement, PostgreSQL planned it for every
page: psycopg prepares it after five runs, but its generic plan (any number of entities behind
a name, a limit it cannot see) is costed far above the custom one, so it is never used; that
planning was ~0.5 ms of a page's ~1.3 ms at the store at 1,000,000 articles (`EXPLAIN
(SUMMARY)` over 240 names).

`articles_with_entities` takes the same steps in PL/pgSQL: the name's entities, then one
index walk per entity, each a statement with one sensible plan for any values, so its generic
plan is made once per connection. What a name stands for is written here as in search.py's
`ENTITY_MATCH` (change both together; tests/integration/test_query.py compares the two paths'
pages). Resolving it in the caller's statement instead (`ARRAY(SELECT key FROM entities WHERE
…)` as the argument) kept one definition but cost the saving: that statement is then planned
for every page again (mean 1.37–1.45 against 0.80–1.06 ms at 1,000,000 articles). Measured
at the store, c=1, 439 names (the 40 most frequent entities and a long tail) at 1,000,000
articles, three rounds alternated, the same pages: mean 1.33–1.51 → 0.94–0.99 ms, p50
1.26–1.56 → 0.99–1.02.

The arguments: the entity ids asked for and the normalised names (`lookup_keys`) whose
entities any match, the page's length, the order-key bounds [low, high) and the cursor (the
last article seen: its key and id), each NULL when absent. Each entity's rows come back newest
first, up to a page each; an article with two of the entities comes twice.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE FUNCTION articles_with_entities(
    entity_ids text[], entity_keys text[], page integer, key_low double precision,
    key_high double precision, cursor_key double precision, cursor_id text
) RETURNS TABLE (article_id text, article_key double precision)
LANGUAGE plpgsql STABLE ROWS 21 AS $body$
DECLARE
    entity integer;
    low double precision := coalesce(key_low, '-infinity');
    high double precision := coalesce(key_high, 'infinity');
    edge_key double precision := coalesce(cursor_key, 'infinity');
    edge_id text := coalesce(cursor_id, '');
BEGIN
    FOR entity IN
        SELECT e.key FROM entities e
        WHERE e.id = ANY(entity_ids) OR e.lookup_keys && entity_keys
    LOOP
        RETURN QUERY SELECT ae.article_id, ae.order_key FROM article_entities ae
            WHERE ae.entity_key = entity AND ae.order_key >= low AND ae.order_key < high
              AND (ae.order_key, ae.article_id) < (edge_key, edge_id)
            ORDER BY ae.order_key DESC, ae.article_id DESC LIMIT page;
    END LOOP;
END
$body$;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION articles_with_entities(text[], text[], integer, double precision, "
        "double precision, double precision, text)"
    )
