"""Articles: submit one or a batch, read one, find them by entity, date, source and words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, BeforeValidator, Field

from services.api.deps import BusDep, QueueDep, ReaderDep, StoreDep
from services.api.models import ArticlePage
from services.api.problems import problem_responses
from shared.entity_names import query_keys
from shared.models import Accepted, Article, ArticleIn, ArticleStatus
from shared.store.query import MAX_PAGE, ArticleQuery, ArticleSummary, Cursor
from shared.submission import submit_article, submit_articles

router = APIRouter(prefix="/articles", tags=["articles"])

MAX_BATCH = 1_000


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


def _blank_is_none(value: object) -> object:
    """An empty form field (`?published_from=`) is no filter."""
    return None if value == "" else value


def _day_start(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def _after(value: date | datetime) -> datetime:
    """The first moment after a bound: the next day for a date, the next second otherwise."""
    if isinstance(value, datetime):
        return _day_start(value) + timedelta(seconds=1)
    return _day_start(value) + timedelta(days=1)


async def article_query(
    entity: Annotated[
        str | None,
        Query(
            max_length=200,
            description="An entity id (`person:sergei-lavrov`), its name or any surface form "
            "(`Lavrov`, `sergei lavrov`); case-insensitive.",
        ),
    ] = None,
    label: Annotated[
        str | None,
        Query(max_length=40, description="Articles with an entity of this label (`PERSON`)."),
    ] = None,
    published_from: Annotated[
        date | datetime | None,
        BeforeValidator(_blank_is_none),
        Query(description="Published at or after (date or date-time)."),
    ] = None,
    published_to: Annotated[
        date | datetime | None,
        BeforeValidator(_blank_is_none),
        Query(description="Published at or before; a date includes the whole day."),
    ] = None,
    mentions_date_from: Annotated[
        date | None,
        BeforeValidator(_blank_is_none),
        Query(description="Mentions a date on or after this day."),
    ] = None,
    mentions_date_to: Annotated[
        date | None,
        BeforeValidator(_blank_is_none),
        Query(description="Mentions a date on or before this day."),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=200, description="The source, case-insensitive.")
    ] = None,
    status: Annotated[ArticleStatus | None, BeforeValidator(_blank_is_none), Query()] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=500,
            description="Words in the title or text, web-search style: every word (stemmed) "
            'must appear; `"an exact phrase"`, `this or that`, `-excluded`.',
        ),
    ] = None,
    sort: Annotated[
        Sort | None,
        BeforeValidator(_blank_is_none),
        Query(description="`newest` first (default), or `relevance` to `q` (needs `q`)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    cursor: Annotated[
        str | None,
        Query(max_length=200, description="`next_cursor` of the previous page."),
    ] = None,
) -> ArticleQuery:
    """The query string as an ArticleQuery: entity names normalised, bounds made exclusive."""
    return ArticleQuery(
        entity_ids=(entity.strip(),) if entity and ":" in entity else (),
        entity_keys=tuple(query_keys(entity)) if entity else (),
        label=label or None,
        source=source or None,
        status=status,
        text=q or None,
        by_relevance=sort is Sort.RELEVANCE,
        published_from=_day_start(published_from) if published_from else None,
        published_before=_after(published_to) if published_to else None,
        mentions_from=mentions_date_from,
        mentions_to=mentions_date_to,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
    )


ArticleQueryDep = Annotated[ArticleQuery, Depends(article_query)]


# The read handlers are `async def` on the async pool (`Reader`): waiting on the database
# never blocks the event loop. Writes are sync handlers on the sync pool, in the threadpool.


def json_response(model: BaseModel) -> Response:
    """The model as JSON, serialised once: the hot read paths skip FastAPI's re-validation of
    what the store already built as the response model (`response_model` still documents it)."""
    return Response(model.model_dump_json(), media_type="application/json")


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
    summaries, next_cursor = await reader.find_articles(query)
    items: list[Article] | list[ArticleSummary] = summaries
    if include is Include.FULL:
        items = await reader.get_articles([summary.id for summary in summaries])
    page = ArticlePage(items=list(items), next_cursor=next_cursor.encode() if next_cursor else None)
    return json_response(page)


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
async def get_article(article_id: str, reader: ReaderDep) -> Response:
    return json_response(await reader.get_article(article_id))
