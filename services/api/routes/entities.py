"""Entities: the most mentioned ones, and one entity with its recent articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.api.deps import ReaderDep
from services.api.filters import LABEL_PATTERN, entity_filter
from services.api.ids import EntityId
from services.api.models import EntityDetail, EntityList
from services.api.problems import problem_responses
from shared.entity_names import entity_keys
from shared.errors import EntityNotFound
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
        candidates = await reader.resolve_entities(list(ids), list(keys))
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
