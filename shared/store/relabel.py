"""`gazette relabel`: articles stored before their name's majority label formed get it now.

An article is judged once, when its enrichment is stored (labels.py has the rule). When a
majority forms later, the articles stored before it keep the model's label until this runs: it
applies the rule to the archive's counts and re-files each minority article as an enrichment
would (summary, mentions, index rows, entity counts), a batch per transaction, leaving its
status and `enriched_at` alone. Run it after a bulk import, or from cron; it is idempotent,
and on an archive already consistent it costs one scan of the entities table.
"""

from __future__ import annotations

from shared.models import Enrichment
from shared.store import lifecycle
from shared.store.db import Connection, Transactions
from shared.store.labels import Correction, correct
from shared.store.namesakes import archive_fixes

RELABEL_BATCH = 200

MINORITY_ARTICLES = """
SELECT e.article_id, e.document::text AS document FROM enrichments e
WHERE e.article_id IN (
    SELECT article_id FROM article_entities
    WHERE entity_key IN (SELECT key FROM entities WHERE id = ANY(%(ids)s))
) AND e.article_id > %(after)s
ORDER BY e.article_id LIMIT %(limit)s
"""


def relabel_batch(
    conn: Connection, fixes: dict[str, Correction], after: str, batch: int
) -> list[str]:
    """Re-file up to `batch` articles (ids after `after`) that carry a minority id; their
    ids, in order."""
    rows = conn.execute(
        MINORITY_ARTICLES, {"ids": sorted(fixes), "after": after, "limit": batch}
    ).fetchall()
    results = [
        (row["article_id"], correct(Enrichment.model_validate_json(row["document"]), fixes))
        for row in rows
    ]
    if results:
        lifecycle.store_enrichments(conn, results, judge_labels=False, mark_enriched=False)
    return [article_id for article_id, _ in results]


def relabel_archive(database: Transactions, batch: int = RELABEL_BATCH) -> int:
    """Give every article the majority label the archive now has for its names; how many
    articles changed."""
    with database.connection() as conn:
        fixes = archive_fixes(conn)
    if not fixes:
        return 0
    total, after = 0, ""
    while True:
        with database.connection() as conn:
            done = relabel_batch(conn, fixes, after, batch)
        total += len(done)
        if len(done) < batch:
            return total
        after = done[-1]
