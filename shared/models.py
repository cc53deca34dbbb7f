"""The wire and storage format shared by every service."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


class ArticleStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    ENRICHED = "enriched"
    FAILED = "failed"


def _to_utc(value: object) -> object:
    """Accept a date or a datetime; a bare date is midnight UTC, a naive datetime is UTC."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=UTC)
    if isinstance(value, str) and len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(0), tzinfo=UTC)
    return value


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


Timestamp = Annotated[datetime, BeforeValidator(_to_utc), AfterValidator(_aware)]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


class Entity(BaseModel):
    """A named-entity mention: `start`/`end` are character offsets into the article's text."""

    text: str
    label: str
    start: int
    end: int


class DateMention(BaseModel):
    """A temporal expression with its TIMEX3 type and normalised value."""

    text: str
    type: TimexType
    value: str
    start: int
    end: int


class EntitySummary(BaseModel):
    """One entity of an article, its mentions grouped under a canonical name."""

    entity_id: str
    name: str
    label: str
    mentions: int
    salience: float


class Enrichment(BaseModel):
    """What the enrichment pipeline finds in one article."""

    entities: list[Entity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    entity_summary: list[EntitySummary] = Field(default_factory=list)
    # The publication date the pipeline resolved against: the given one, or a dateline it found.
    published_at: Timestamp | None = None


class ArticleIn(BaseModel):
    """An article as submitted over HTTP or read by the ingest worker."""

    model_config = ConfigDict(str_strip_whitespace=False, extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=1_000)]
    text: Annotated[str, Field(min_length=1, max_length=1_000_000)]
    url: Annotated[str, Field(max_length=4_096)] | None = None
    source: Annotated[str, Field(max_length=200)] | None = None
    published_at: Timestamp | None = None


class Article(BaseModel):
    """An article as stored and served."""

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None
    published_at: Timestamp | None = None
    status: ArticleStatus = ArticleStatus.QUEUED
    entities: list[Entity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    entity_summary: list[EntitySummary] = Field(default_factory=list)
    error: str | None = None
    attempts: int = 0
    created_at: Timestamp = Field(default_factory=lambda: datetime.now(UTC))
    enriched_at: Timestamp | None = None


class Accepted(BaseModel):
    """The answer to a submission: where the article is and what state it is in."""

    id: str
    status: ArticleStatus
