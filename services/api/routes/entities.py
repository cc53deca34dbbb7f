"""Entities: the most mentioned ones, and one entity with its recent articles."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from services.api.deps import ReaderDep
from services.api.filters import LABEL_PATTERN, entity_filter
from services.api.ids import EntityId
from services.api.models import EntityDetail, EntityList, Timeline
from services.api.problems import problem_responses
from shared.entity_names import entity_keys
from shared.errors import EntityNotFound
from shared.store.explore import MAX_BUCKETS, RELATED_SAMPLE
from shared.store.query import MAX_PAGE, ArticleQuery

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get(
    "",
    response_model=EntityList,
    responses=problem_responses(422, 503),
    summary="Entities with their article counts, most frequent first",
)
async def list_entities(
    reader: ReaderDep,
    label: Annotated[
        str | None, Query(max_length=40, pattern=LABEL_PATTERN, description="Only this label.")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="A name or surface form (`Lavrov`, `the U.S.`)."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
) -> EntityList:
    candidates = None
    if q:
        ids, keys = entity_filter("q", q)
        # Whole names and surnames first, then names with a word that starts with `q`, so
        # that suggestions follow the typing ("Lavr" -> Sergei Lavrov).
        exact = await reader.resolve_entities(list(ids), list(keys))
        candidates = list(dict.fromkeys([*exact, *await reader.suggest_entities(q, limit)]))
    return EntityList(items=await reader.rank_entities(label or None, candidates, limit))


@router.get(
    "/{entity_id}",
    response_model=EntityDetail,
    responses=problem_responses(404, 422, 503),
    summary="One entity with its most recent articles",
)
async def get_entity(
    entity_id: EntityId,
    reader: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Recent articles shown.")] = 10,
) -> EntityDetail:
    ranked = await reader.rank_entities(None, await reader.resolve_entities([entity_id], []), 1)
    if not ranked:
        raise EntityNotFound(entity_id)
    recent, _ = await reader.find_articles(ArticleQuery(entity_ids=(entity_id,), limit=limit))
    return EntityDetail(
        **ranked[0].model_dump(), aliases=entity_keys(entity_id), recent_articles=recent
    )


async def _known(reader: ReaderDep, entity_id: str) -> None:
    if not await reader.resolve_entities([entity_id], []):
        raise EntityNotFound(entity_id)


@router.get(
    "/{entity_id}/timeline",
    response_model=Timeline,
    responses=problem_responses(404, 422, 503),
    summary="How many articles name the entity, per day or per week",
    description=f"Buckets oldest first, empty ones included, at most the {MAX_BUCKETS} most "
    "recent; a bucket is named by its first day (a week starts on Monday) and counts articles "
    "by their publication date (else the day they arrived).",
)
async def entity_timeline(
    entity_id: EntityId,
    reader: ReaderDep,
    interval: Annotated[Literal["day", "week"], Query()] = "week",
) -> Timeline:
    await _known(reader, entity_id)
    buckets = await reader.entity_timeline(entity_id, interval)
    return Timeline(entity_id=entity_id, interval=interval, buckets=buckets)


@router.get(
    "/{entity_id}/related",
    response_model=EntityList,
    responses=problem_responses(404, 422, 503),
    summary="The entities named most often in the same articles",
    description="`articles` is how many articles name both, counted over the entity's "
    f"{RELATED_SAMPLE:,} most recent articles.",
)
async def related_entities(
    entity_id: EntityId,
    reader: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 10,
) -> EntityList:
    await _known(reader, entity_id)
    return EntityList(items=await reader.related_entities(entity_id, limit))
