"""The archive as the API reads it: the same queries on an async pool (a read replica when
`GAZETTE_DATABASE_READ_URL` is set), so that a slow query never stalls the event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator

from psycopg.rows import DictRow

from shared.errors import ArticleNotFound
from shared.models import Article, ArticleStatus
from shared.settings import Settings
from shared.store import articles, explore, search
from shared.store.archive import order_resolved
from shared.store.db import AsyncDatabase
from shared.store.query import (
    ArticleQuery,
    ArticleSummary,
    Cursor,
    EntityCount,
    MatchCount,
    TimelineBucket,
)
from shared.store.rows import article_from_row, entity_count_from_row, summary_from_row
from shared.store.wire import article_json, summaries_json


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
        return article_from_row(await self._article_row(article_id))

    async def get_article_json(self, article_id: str) -> bytes:
        """The article as JSON, exactly as `get_article(...).model_dump_json()` would be."""
        return article_json(await self._article_row(article_id))

    async def _article_row(self, article_id: str) -> DictRow:
        async with self.database.connection() as conn:
            cur = await conn.execute(articles.SELECT_ONE, (article_id,))
            row = await cur.fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return row

    async def get_articles(self, article_ids: list[str]) -> list[Article]:
        return [article_from_row(row) for row in await self._article_rows(article_ids)]

    async def get_articles_json(self, article_ids: list[str]) -> list[bytes]:
        """`get_articles`, each article as JSON (see `get_article_json`)."""
        return [article_json(row) for row in await self._article_rows(article_ids)]

    async def _article_rows(self, article_ids: list[str]) -> list[DictRow]:
        """In the order given; vanished ones left out."""
        async with self.database.connection() as conn:
            cur = await conn.execute(articles.SELECT_MANY, (article_ids,))
            rows = {row["id"]: row for row in await cur.fetchall()}
        return [rows[i] for i in article_ids if i in rows]

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
        rows, cursor = await self._find_rows(query)
        return [summary_from_row(r) for r in rows], cursor

    async def find_articles_json(self, query: ArticleQuery) -> tuple[bytes, Cursor | None]:
        """`find_articles` with the summaries as a JSON list, exactly as the models would
        serialise them."""
        rows, cursor = await self._find_rows(query)
        return summaries_json(rows), cursor

    async def _find_rows(self, query: ArticleQuery) -> tuple[list[DictRow], Cursor | None]:
        query.check()
        sql, params = search.find_sql(query)
        async with self.database.connection() as conn:
            cur = await conn.execute(sql, params, prepare=search.find_prepared(query))
            rows = await cur.fetchall()
        return rows[: query.limit], search.page_cursor(rows, query.limit)

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

    async def count_articles(self, query: ArticleQuery) -> MatchCount:
        """How many articles match every filter, exactly up to `explore.COUNT_CAP`."""
        query.check()
        cap = explore.COUNT_CAP
        sql, params = explore.count_sql(query, cap)
        async with self.database.connection() as conn:
            cur = await conn.execute(sql, params, prepare=search.prepared(query))
            row = await cur.fetchone()
        found = row["n"] if row else 0
        if found > cap:
            return MatchCount(articles=cap, exact=False)
        return MatchCount(articles=found, exact=True)

    async def export_articles(self, query: ArticleQuery) -> AsyncIterator[list[Article]]:
        """Every match, newest first, a chunk of whole articles at a time; a connection is
        held only while a chunk is read."""
        query.check()
        after: Cursor | None = None
        while True:
            sql, params = explore.export_sql(query, after)
            async with self.database.connection() as conn:
                cur = await conn.execute(sql, params, prepare=search.find_prepared(query))
                rows = await cur.fetchall()
                page = rows[: explore.EXPORT_CHUNK]
                if not page:
                    return
                cur = await conn.execute(articles.SELECT_MANY, ([r["id"] for r in page],))
                whole = {row["id"]: row for row in await cur.fetchall()}
            yield [article_from_row(whole[r["id"]]) for r in page if r["id"] in whole]
            after = search.page_cursor(rows, explore.EXPORT_CHUNK)
            if after is None:
                return

    async def entity_timeline(
        self, entity_id: str, interval: explore.Interval
    ) -> list[TimelineBucket]:
        """Articles per day or week that name the entity, oldest first, empty buckets included
        (at most the `explore.MAX_BUCKETS` most recent)."""
        async with self.database.connection() as conn:
            cur = await conn.execute(explore.TIMELINE, explore.timeline_params(entity_id, interval))
            rows = await cur.fetchall()
        return [TimelineBucket(date=r["day"], articles=r["articles"]) for r in rows]

    async def related_entities(self, entity_id: str, limit: int) -> list[EntityCount]:
        """The entities named most often in the same articles (`articles`: how many together),
        over the entity's `explore.RELATED_SAMPLE` most recent articles."""
        async with self.database.connection() as conn:
            cur = await conn.execute(explore.RELATED, explore.related_params(entity_id, limit))
            rows = await cur.fetchall()
        return [entity_count_from_row(r) for r in rows]

    async def suggest_entities(self, typed: str, limit: int) -> list[str]:
        """Ids of the entities with a word of their name starting with `typed`, most named
        first."""
        params = explore.suggest_params(typed, limit)
        if params is None:
            return []
        async with self.database.connection() as conn:
            cur = await conn.execute(explore.SUGGEST, params)
            rows = await cur.fetchall()
        return [r["id"] for r in rows]
