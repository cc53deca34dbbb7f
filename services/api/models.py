"""Shapes only the API answers with (the store's answers are in `shared.store.query`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from shared.models import Article
from shared.store.query import ArticleSummary, EntityCount, TimelineBucket


class ArticlePage(BaseModel):
    """One page of a query, newest first; pass `next_cursor` back for the next page."""

    items: list[ArticleSummary | Article]
    next_cursor: str | None = None


class EntityList(BaseModel):
    items: list[EntityCount]


class EntityDetail(EntityCount):
    """An entity with the articles that mention it, newest first."""

    aliases: list[str]
    recent_articles: list[ArticleSummary]


class Timeline(BaseModel):
    """Articles that name an entity per day or week, oldest first."""

    entity_id: str
    interval: Literal["day", "week"]
    buckets: list[TimelineBucket]
