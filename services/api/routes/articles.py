"""Articles: submit one or a batch, read one, find them by entity, date, source and words."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import BaseModel, BeforeValidator, Field, ValidationError
from pydantic_core import to_json

from services.api.deps import BusDep, QueueDep, ReaderDep, StoreDep
from services.api.filters import (
    LABEL_PATTERN,
    MentionedDay,
    PublishedBound,
    blank_is_none,
    day_start,
    entity_filter,
    moment_after,
)
from services.api.ids import ArticleId, checked_article_id
from services.api.lean import serve_lean
from services.api.models import ArticlePage
from services.api.problems import problem_responses
from shared.models import EARLIEST_YEAR, LATEST_YEAR, Accepted, Article, ArticleIn, ArticleStatus
from shared.store import Reader
from shared.store.query import MAX_PAGE, ArticleQuery, Cursor
from shared.submission import submit_article, submit_articles

router = APIRouter(prefix="/articles", tags=["articles"])

MAX_BATCH = 1_000
YEARS = f"years {EARLIEST_YEAR} to {LATEST_YEAR}"


class Include(StrEnum):
    SUMMARY = "summary"
    FULL = "full"


class Sort(StrEnum):
    NEWEST = "newest"
    RELEVANCE = "relevance"


class ArticleBatch(BaseModel):
    """Up to 1,000 articles submitted at once."""

    articles: Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_BATCH)]


class AcceptedBatch(BaseModel):
    """One answer per submitted article, in the order submitted."""

    items: list[Accepted]


class ArticleFilters(BaseModel):
    """The query string of an article search, read in one validation: as separate `Query`
    parameters, FastAPI's per-parameter work was a quarter of a search's CPU in the API."""

    entity: Annotated[
        str | None,
        Field(
            max_length=200,
            description="An entity id (`person:sergei-lavrov`), its name or any surface form "
            "(`Lavrov`, `sergei lavrov`); case-insensitive.",
        ),
    ] = None
    label: Annotated[
        str | None,
        Field(
            max_length=40,
            pattern=LABEL_PATTERN,
            description="Articles with an entity of this label (`PERSON`).",
        ),
    ] = None
    published_from: Annotated[
        PublishedBound,
        Field(description=f"Published at or after (ISO 8601 date or date-time, {YEARS})."),
    ] = None
    published_to: Annotated[
        PublishedBound,
        Field(description=f"Published at or before; a date includes the whole day ({YEARS})."),
    ] = None
    mentions_date_from: Annotated[
        MentionedDay,
        blank_is_none,
        Field(description="Mentions a date on or after this day (ISO 8601)."),
    ] = None
    mentions_date_to: Annotated[
        MentionedDay,
        blank_is_none,
        Field(description="Mentions a date on or before this day (ISO 8601)."),
    ] = None
    source: Annotated[
        str | None, Field(max_length=200, description="The source, case-insensitive.")
    ] = None
    status: Annotated[ArticleStatus | None, BeforeValidator(blank_is_none)] = None
    q: Annotated[
        str | None,
        Field(
            max_length=500,
            description="Words in the title or text, web-search style: every word (stemmed) "
            'must appear; `"an exact phrase"`, `this or that`, `-excluded`.',
        ),
    ] = None
    sort: Annotated[
        Sort | None,
        BeforeValidator(blank_is_none),
        Field(description="`newest` first (default), or `relevance` to `q` (needs `q`)."),
    ] = None
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 20
    cursor: Annotated[
        str | None,
        Field(max_length=200, description="`next_cursor` of the previous page."),
    ] = None


async def article_query(filters: Annotated[ArticleFilters, Query()]) -> ArticleQuery:
    """The query string as an ArticleQuery: entity names normalised, bounds made exclusive."""
    entity = filters.entity
    entity_ids, entity_keys = entity_filter("entity", entity) if entity else ((), ())
    return ArticleQuery(
        entity_ids=entity_ids,
        entity_keys=entity_keys,
        label=filters.label or None,
        source=filters.source or None,
        status=filters.status,
        text=filters.q or None,
        by_relevance=filters.sort is Sort.RELEVANCE,
        published_from=day_start(filters.published_from) if filters.published_from else None,
        published_before=moment_after(filters.published_to) if filters.published_to else None,
        mentions_from=filters.mentions_date_from,
        mentions_to=filters.mentions_date_to,
        limit=filters.limit,
        cursor=Cursor.decode(filters.cursor) if filters.cursor else None,
    )


ArticleQueryDep = Annotated[ArticleQuery, Depends(article_query)]


# The read handlers are `async def` on the async pool (`Reader`): waiting on the database
# never blocks the event loop. Writes are sync handlers on the sync pool, in the threadpool.
# They answer with the JSON the reader builds straight from the rows, byte for byte what the
# response model would serialise (`response_model` still documents it), without building the
# models only to serialise them again.


def json_response(content: bytes) -> Response:
    return Response(content, media_type="application/json")


@router.get(
    "",
    response_model=ArticlePage,
    responses=problem_responses(400, 422, 503),
    summary="Find articles; every filter given must match (AND), newest first",
)
async def list_articles(
    query: ArticleQueryDep,
    reader: ReaderDep,
    include: Annotated[Include, Query(description="`full`: whole articles.")] = Include.SUMMARY,
) -> Response:
    """One page of matching articles; a page stays correct while new articles arrive."""
    if include is not Include.FULL:
        return await summaries_page(reader, query)
    summaries, next_cursor = await reader.find_articles(query)
    whole = await reader.get_articles_json([summary.id for summary in summaries])
    items = b"[" + b",".join(whole) + b"]"
    return json_response(page_json(items, next_cursor.encode() if next_cursor else None))


async def summaries_page(reader: Reader, query: ArticleQuery) -> Response:
    """A page of summaries, as `list_articles` answers by default."""
    items, next_cursor = await reader.find_articles_json(query)
    return json_response(page_json(items, next_cursor.encode() if next_cursor else None))


def page_json(items: bytes, next_cursor: str | None) -> bytes:
    """An `ArticlePage` as JSON, its items already JSON."""
    return b'{"items":' + items + b',"next_cursor":' + to_json(next_cursor) + b"}"


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=problem_responses(422, 503),
    summary="Submit an article for enrichment",
)
def post_article(
    article: ArticleIn, response: Response, store: StoreDep, bus: BusDep, queue: QueueDep
) -> Accepted:
    """Store the article and queue its enrichment; the same article again gets the same id."""
    accepted, _ = submit_article(store, bus, queue, article)
    response.headers["Location"] = f"/articles/{accepted.id}"
    return accepted


@router.post(
    "/batch",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedBatch,
    responses=problem_responses(422, 503),
    summary="Submit up to 1,000 articles at once",
)
def post_batch(batch: ArticleBatch, store: StoreDep, bus: BusDep, queue: QueueDep) -> AcceptedBatch:
    """Each article is stored and queued as by `POST /articles` (stored in one transaction);
    the answer keeps their order."""
    answers = submit_articles(store, bus, queue, batch.articles)
    return AcceptedBatch(items=[accepted for accepted, _ in answers])


@router.get(
    "/{article_id}",
    response_model=Article,
    responses=problem_responses(404, 503),
    summary="Read an article with its entities and dates",
)
async def get_article(article_id: ArticleId, reader: ReaderDep) -> Response:
    return json_response(await reader.get_article_json(article_id))


# The two hottest reads, served first by lean routes (services/api/lean.py); the routes above
# document them and answer whatever the lean ones leave.


async def lean_article(request: Request) -> Response:
    """`get_article`."""
    article_id = await checked_article_id(request.path_params["article_id"])
    reader: Reader = request.app.state.reader
    return json_response(await reader.get_article_json(article_id))


async def lean_articles(request: Request) -> Response | None:
    """`list_articles` for a page of summaries; whole articles and a query string the filters
    refuse (answered 422 by `list_articles`) are left to it."""
    params = request.query_params
    if params.get("include", Include.SUMMARY.value) != Include.SUMMARY.value:
        return None
    try:
        # As FastAPI reads the model: the last of a repeated key; other keys left to the model.
        filters = ArticleFilters.model_validate(dict(params))
    except ValidationError:
        return None
    reader: Reader = request.app.state.reader
    return await summaries_page(reader, await article_query(filters))


serve_lean(router, get_article, lean_article)
serve_lean(router, list_articles, lean_articles)
