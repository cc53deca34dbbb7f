"""The archive as the API reads it: the same queries on an async pool (a read replica when
`GAZETTE_DATABASE_READ_URL` is set), so that a slow query never stalls the event loop."""

from __future__ import annotations

from shared.errors import ArticleNotFound
from shared.models import Article, ArticleStatus
from shared.settings import Settings
from shared.store import articles, search
from shared.store.archive import order_resolved
from shared.store.db import AsyncDatabase
from shared.store.query import ArticleQuery, ArticleSummary, Cursor, EntityCount
from shared.store.rows import article_from_row, entity_count_from_row, summary_from_row


class Reader:
    """Read-only queries over an async pool; open it in the app's lifespan."""

    def __init__(self, database: AsyncDatabase) -> None:
        self.database = database

    @classmethod
    def from_settings(cls, settings: Settings) -> Reader:
        return cls(AsyncDatabase.from_settings(settings))

    async def open(self) -> None:
        await self.database.open()

    async def close(self) -> None:
        await self.database.close()

    async def ping(self) -> bool:
        return await self.database.ping()

    async def get_article(self, article_id: str) -> Article:
        async with self.database.connection() as conn:
            cur = await conn.execute(articles.SELECT_ONE, (article_id,))
            row = await cur.fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return article_from_row(row)

    async def get_articles(self, article_ids: list[str]) -> list[Article]:
        async with self.database.connection() as conn:
            cur = await conn.execute(articles.SELECT_MANY, (article_ids,))
            rows = {row["id"]: row for row in await cur.fetchall()}
        return [article_from_row(rows[i]) for i in article_ids if i in rows]

    async def count_by_status(self) -> dict[ArticleStatus, int]:
        counts = {status: 0 for status in ArticleStatus}
        async with self.database.connection() as conn:
            cur = await conn.execute(articles.COUNT_BY_STATUS)
            for row in await cur.fetchall():
                counts[ArticleStatus(row["status"])] = row["n"]
        return counts

    async def find_articles(
        self, query: ArticleQuery
    ) -> tuple[list[ArticleSummary], Cursor | None]:
        query.check()
        sql, params = search.find_sql(query)
        async with self.database.connection() as conn:
            cur = await conn.execute(sql, params)
            rows = await cur.fetchall()
        summaries = [summary_from_row(r) for r in rows[: query.limit]]
        return summaries, search.page_cursor(rows, query.limit)

    async def resolve_entities(self, entity_ids: list[str], lookup_keys: list[str]) -> list[str]:
        async with self.database.connection() as conn:
            cur = await conn.execute(
                search.RESOLVE_ENTITIES, search.resolve_params(entity_ids, lookup_keys)
            )
            rows = await cur.fetchall()
        return order_resolved(entity_ids, [r["id"] for r in rows])

    async def rank_entities(
        self, label: str | None, entity_ids: list[str] | None, limit: int
    ) -> list[EntityCount]:
        async with self.database.connection() as conn:
            cur = await conn.execute(
                search.RANK_ENTITIES, search.rank_params(label, entity_ids, limit)
            )
            rows = await cur.fetchall()
        return [entity_count_from_row(r) for r in rows]
