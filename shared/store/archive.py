"""The archive as the workers and writers see it: one sync pool behind intention-revealing
methods. Each method is one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from psycopg import errors

from shared.errors import StoreUnavailable
from shared.models import Article, ArticleIn, ArticleStatus, Enrichment
from shared.settings import Settings
from shared.store import articles, lifecycle, search
from shared.store.db import Database, Transactions
from shared.store.query import ArticleQuery, ArticleSummary, Cursor, EntityCount
from shared.store.relabel import relabel_archive
from shared.store.rows import entity_count_from_row, summary_from_row

# Enrichments lock in id order, but a prune (or a future writer) may not: the loser of a
# deadlock tries again.
DEADLOCK_RETRIES = 3

log = logging.getLogger(__name__)


class Store:
    """Articles, their enrichment and their queries, in PostgreSQL."""

    def __init__(self, database: Transactions) -> None:
        self.database = database

    @classmethod
    def from_url(cls, url: str, max_size: int = 4, timeout: float = 5.0) -> Store:
        return cls(Database(url, min_size=1, max_size=max_size, timeout=timeout))

    @classmethod
    def from_settings(cls, settings: Settings, max_size: int | None = None) -> Store:
        return cls(Database.from_settings(settings, max_size))

    def close(self) -> None:
        self.database.close()

    def ping(self) -> bool:
        return self.database.ping()

    # -- articles -----------------------------------------------------------------------------

    def save_article(self, submitted: ArticleIn) -> tuple[str, bool]:
        """Store a submitted article unless it is already known; return its id and whether new."""
        return self.save_articles([submitted])[0]

    def save_articles(self, submitted: Sequence[ArticleIn]) -> list[tuple[str, bool]]:
        """Store a batch in one transaction; (id, created) per article, in order."""
        if not submitted:
            return []
        with self.database.connection() as conn:
            return articles.save_articles(conn, submitted)

    def get_article(self, article_id: str) -> Article:
        """The stored article; raises ArticleNotFound."""
        with self.database.connection() as conn:
            return articles.get_article(conn, article_id)

    def get_articles(self, article_ids: list[str]) -> list[Article]:
        with self.database.connection() as conn:
            return articles.get_articles(conn, article_ids)

    def article_status(self, article_id: str) -> ArticleStatus:
        with self.database.connection() as conn:
            return articles.article_status(conn, article_id)

    def count_by_status(self) -> dict[ArticleStatus, int]:
        with self.database.connection() as conn:
            return articles.count_by_status(conn)

    # -- lifecycle ----------------------------------------------------------------------------

    def claim_for_enrichment(self, article_id: str, max_attempts: int) -> str:
        """Count a delivery and mark the article processing, or say why not (see lifecycle)."""
        with self.database.connection() as conn:
            return lifecycle.claim(conn, article_id, max_attempts)

    def claim_articles(
        self, article_ids: list[str], max_attempts: int
    ) -> tuple[list[Article], list[str]]:
        """Claim articles for a task in one statement: (those to run, the ids dead-lettered)."""
        with self.database.connection() as conn:
            return lifecycle.claim_articles(conn, article_ids, max_attempts)

    def release_claims(self, article_ids: list[str]) -> None:
        """Undo this delivery's claims: back to `queued`, the attempt not counted."""
        with self.database.connection() as conn:
            lifecycle.release(conn, article_ids)

    def mark_enriched(self, article_id: str, enrichment: Enrichment) -> ArticleSummary | None:
        """Store the enrichment and mark the article enriched, in one transaction; the
        article's summary (for the events stream), None when it is gone."""
        return self.mark_many_enriched([(article_id, enrichment)])[0]

    def mark_many_enriched(
        self, results: Sequence[tuple[str, Enrichment]]
    ) -> list[ArticleSummary | None]:
        """Several enrichments in one transaction (a batch of tasks)."""
        for attempt in range(DEADLOCK_RETRIES):
            try:
                with self.database.connection() as conn:
                    return lifecycle.store_enrichments(conn, results)
            except StoreUnavailable as exc:
                if attempt == DEADLOCK_RETRIES - 1 or not isinstance(
                    exc.__cause__, errors.DeadlockDetected
                ):
                    raise
                log.warning("deadlock storing enrichments; trying again")
        raise AssertionError("unreachable")

    def mark_failed(self, article_id: str, error: str) -> None:
        with self.database.connection() as conn:
            lifecycle.mark_failed(conn, article_id, error)

    def relabel(self) -> int:
        """File the articles stored before their name's majority label formed under it (see
        shared/store/relabel.py); how many articles changed."""
        return relabel_archive(self.database)

    def stale_articles(self, status: ArticleStatus, older_than: float) -> list[str]:
        """Ids of articles whose status has not changed for `older_than` seconds."""
        with self.database.connection() as conn:
            return lifecycle.stale_articles(conn, status.value, older_than)

    def requeue_stale(self, article_id: str, status: ArticleStatus, older_than: float) -> bool:
        """Move a still-stale article back to `queued`; False when it moved on meanwhile."""
        with self.database.connection() as conn:
            return lifecycle.requeue_stale(conn, article_id, status.value, older_than)

    def reopen_failed(self, article_id: str) -> None:
        """Move a failed article back to `queued` with its attempts reset (a user's retry)."""
        with self.database.connection() as conn:
            lifecycle.reopen_failed(conn, article_id)

    # -- queries ------------------------------------------------------------------------------

    def find_articles(self, query: ArticleQuery) -> tuple[list[ArticleSummary], Cursor | None]:
        """One page of article summaries matching every filter, newest first."""
        query.check()
        sql, params = search.find_sql(query)
        with self.database.connection() as conn:
            rows = conn.execute(sql, params, prepare=search.find_prepared(query)).fetchall()
        return [summary_from_row(r) for r in rows[: query.limit]], search.page_cursor(
            rows, query.limit
        )

    def resolve_entities(self, entity_ids: list[str], lookup_keys: list[str]) -> list[str]:
        """Known entity ids: those of `entity_ids` and those any normalised name stands for."""
        with self.database.connection() as conn:
            rows = conn.execute(
                search.RESOLVE_ENTITIES, search.resolve_params(entity_ids, lookup_keys)
            ).fetchall()
        return order_resolved(entity_ids, [r["id"] for r in rows])

    def rank_entities(
        self, label: str | None, entity_ids: list[str] | None, limit: int
    ) -> list[EntityCount]:
        """Entities with their article counts, most first (only `entity_ids` when given)."""
        with self.database.connection() as conn:
            rows = conn.execute(
                search.RANK_ENTITIES, search.rank_params(label, entity_ids, limit)
            ).fetchall()
        return [entity_count_from_row(r) for r in rows]


def order_resolved(asked: list[str], found: list[str]) -> list[str]:
    """The ids asked for that exist, in the order asked, then the others sorted."""
    known = set(found)
    first = [e for e in asked if e in known]
    return first + sorted(known - set(first))
