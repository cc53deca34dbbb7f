"""Articles as submitted: dedupe on insert, read back by id, count by status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from shared.errors import ArticleNotFound
from shared.identity import article_id, content_digest, url_digest
from shared.models import Article, ArticleIn, ArticleStatus
from shared.store.db import Connection
from shared.store.rows import ARTICLE_COLUMNS, ARTICLE_FROM, article_from_row, utc_offset
from shared.store.terms import normal_source, order_score

# ON CONFLICT without a target: a clash on the id, the URL digest or the content digest all
# mean "known already", and a racing insert of the same story waits for the first to commit.
INSERT = """
WITH new AS (
    INSERT INTO articles (id, title, text, url, source, source_key, published_at,
                          published_offset, created_at, url_digest, content_digest, order_key)
    VALUES (%(id)s, %(title)s, %(text)s, %(url)s, %(source)s, %(source_key)s, %(published_at)s,
            %(published_offset)s, %(now)s, %(url_digest)s, %(content_digest)s, %(order_key)s)
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO article_status (article_id, status_since) SELECT id, %(now)s FROM new
RETURNING article_id
"""

# Which known article a duplicate is: by URL first (an edited story keeps its id), then words.
FIND_KNOWN = """
SELECT id FROM (
    SELECT id, 1 AS rank FROM articles WHERE url_digest = %(url_digest)s
    UNION ALL SELECT id, 2 FROM articles WHERE content_digest = %(content_digest)s
    UNION ALL SELECT id, 3 FROM articles WHERE id = %(id)s
) AS known ORDER BY rank LIMIT 1
"""

SELECT_ONE = f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLE_FROM} WHERE a.id = %s"
SELECT_MANY = f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLE_FROM} WHERE a.id = ANY(%s)"
SELECT_STATUS = "SELECT status FROM article_status WHERE article_id = %s"
COUNT_BY_STATUS = "SELECT status, count(*) AS n FROM article_status GROUP BY status"


def insert_params(submitted: ArticleIn, now: datetime) -> dict[str, Any]:
    """The INSERT's parameters for one submission."""
    new_id = article_id(submitted)
    return {
        "id": new_id,
        "title": submitted.title,
        "text": submitted.text,
        "url": submitted.url,
        "source": submitted.source,
        "source_key": normal_source(submitted.source) if submitted.source else None,
        "published_at": submitted.published_at,
        "published_offset": utc_offset(submitted.published_at),
        "now": now,
        "url_digest": url_digest(submitted.url) if submitted.url else None,
        "content_digest": content_digest(submitted.title, submitted.text),
        "order_key": order_score(submitted.published_at or now, new_id),
    }


def save_articles(conn: Connection, submitted: Sequence[ArticleIn]) -> list[tuple[str, bool]]:
    """Store each article unless known; (id, created) per article, in order. One round trip
    for the whole batch (pipelined), then one per duplicate."""
    now = datetime.now(UTC)
    params = [insert_params(article, now) for article in submitted]
    answers: list[tuple[str, bool]] = []
    with conn.cursor() as cur:
        cur.executemany(INSERT, params, returning=True)
        inserted: list[bool] = []
        while True:
            inserted.append(cur.fetchone() is not None)
            if not cur.nextset():
                break
        for values, created in zip(params, inserted, strict=True):
            if created:
                answers.append((values["id"], True))
                continue
            found = conn.execute(FIND_KNOWN, values).fetchone()
            answers.append((found["id"] if found else values["id"], False))
    return answers


def get_article(conn: Connection, found_id: str) -> Article:
    row = conn.execute(SELECT_ONE, (found_id,)).fetchone()
    if row is None:
        raise ArticleNotFound(found_id)
    return article_from_row(row)


def get_articles(conn: Connection, ids: Sequence[str]) -> list[Article]:
    """Whole articles in the order given; vanished ones left out."""
    rows = {row["id"]: row for row in conn.execute(SELECT_MANY, (list(ids),)).fetchall()}
    return [article_from_row(rows[i]) for i in ids if i in rows]


def article_status(conn: Connection, found_id: str) -> ArticleStatus:
    row = conn.execute(SELECT_STATUS, (found_id,)).fetchone()
    if row is None:
        raise ArticleNotFound(found_id)
    return ArticleStatus(row["status"])


def count_by_status(conn: Connection) -> dict[ArticleStatus, int]:
    counts = {status: 0 for status in ArticleStatus}
    for row in conn.execute(COUNT_BY_STATUS).fetchall():
        counts[ArticleStatus(row["status"])] = row["n"]
    return counts
