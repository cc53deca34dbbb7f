"""Every article a query matches: how many, and all of them as a download. Declared before
`GET /articles/{article_id}`, whose path would otherwise take `count` and `export`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from services.api.deps import ReaderDep
from services.api.exports import MEDIA_TYPES, ExportFormat, encode
from services.api.problems import problem_responses
from services.api.routes.articles import ArticleQueryDep
from shared.models import Article
from shared.store.explore import COUNT_CAP
from shared.store.query import MatchCount

router = APIRouter(prefix="/articles", tags=["articles"])


@router.get(
    "/count",
    response_model=MatchCount,
    responses=problem_responses(400, 422, 503),
    summary="How many articles match the filters of GET /articles",
    description=f"Exact up to {COUNT_CAP:,}; past that `exact` is false and `articles` is "
    f'{COUNT_CAP:,} ("more than"). `limit`, `cursor` and `sort` do not change the count.',
)
async def count_articles(query: ArticleQueryDep, reader: ReaderDep) -> MatchCount:
    return await reader.count_articles(query)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every matching article, newest first.",
            "content": {media: {"schema": {"type": "string"}} for media in MEDIA_TYPES.values()},
        },
        **problem_responses(400, 422, 503),
    },
    summary="Download every article that matches the filters of GET /articles",
)
async def export_articles(
    query: ArticleQueryDep,
    reader: ReaderDep,
    format: Annotated[
        ExportFormat,
        Query(
            description="`csv` (one row per article, entities by name) or `jsonl` (one "
            "article per line, as `GET /articles/{id}` answers)."
        ),
    ] = ExportFormat.CSV,
) -> StreamingResponse:
    """Streamed as it is read, in chunks, never the whole result in memory; newest first.
    `limit`, `cursor` and `sort` are ignored: every match is exported."""
    chunks = reader.export_articles(query)
    # The first chunk is read before answering: a query the archive refuses (or a database
    # away) is a problem answer, not a download cut short.
    first = await anext(chunks, None)
    return StreamingResponse(
        encode(_then(first, chunks), format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="gazette-articles.{format}"'},
    )


async def _then(
    first: list[Article] | None, rest: AsyncIterator[list[Article]]
) -> AsyncIterator[list[Article]]:
    if first is not None:
        yield first
        async for chunk in rest:
            yield chunk
