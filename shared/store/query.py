"""A question asked of the archive, the opaque cursor of its pages, and the shapes of its
answers (summaries of articles and entities)."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel

from shared.errors import InvalidQuery
from shared.models import ArticleStatus, Timestamp

MAX_PAGE = 100


class EntityRef(BaseModel):
    """An entity as a list shows it."""

    entity_id: str
    name: str
    label: str


class ArticleSummary(BaseModel):
    """An article in a list: enough to show it and to fetch the whole of it."""

    id: str
    title: str
    url: str | None = None
    source: str | None = None
    published_at: Timestamp | None = None
    status: ArticleStatus
    top_entities: list[EntityRef]


class EntityCount(BaseModel):
    """An entity and how many articles mention it."""

    entity_id: str
    name: str
    label: str
    articles: int


class MatchCount(BaseModel):
    """How many articles match: exact up to a cap; past it, `exact` is false and `articles`
    is the cap ("more than 10,000")."""

    articles: int
    exact: bool


class TimelineBucket(BaseModel):
    """Articles that name an entity in one day or week (the bucket's first day)."""

    date: date
    articles: int


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the order key (or relevance rank) and id of its last article."""

    score: float
    article_id: str

    def encode(self) -> str:
        raw = json.dumps([self.score, self.article_id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor a previous page handed out; raises InvalidQuery for anything else."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            score, article_id = json.loads(raw)
            if not isinstance(article_id, str) or isinstance(score, bool):
                raise TypeError(article_id)
            # Every position a page ends at is a finite number; JSON's NaN and Infinity are not.
            if not math.isfinite(score := float(score)):
                raise ValueError(score)
            return cls(score, article_id)
        except (binascii.Error, ValueError, TypeError, OverflowError, UnicodeDecodeError) as exc:
            shown = token[:40]
            raise InvalidQuery(f"The cursor {shown!r} is not one this API handed out.") from exc


@dataclass(frozen=True)
class ArticleQuery:
    """Filters combined by AND; unset filters do not constrain."""

    # Entity ids, or lookup keys (normalised names) whose entities any match.
    entity_ids: tuple[str, ...] = ()
    entity_keys: tuple[str, ...] = ()
    label: str | None = None
    source: str | None = None
    status: ArticleStatus | None = None
    # Web-search syntax: words, "a phrase", `or`, -excluded.
    text: str | None = None
    # Newest first, or by relevance to `text` (then the cursor carries the rank).
    by_relevance: bool = False
    published_from: datetime | None = None
    published_before: datetime | None = None
    mentions_from: date | None = None
    mentions_to: date | None = None
    limit: int = 20
    cursor: Cursor | None = None

    @property
    def filters_entity(self) -> bool:
        return bool(self.entity_ids or self.entity_keys)

    def check(self) -> None:
        """Raise InvalidQuery for a query no article can answer sensibly."""
        if not 1 <= self.limit <= MAX_PAGE:
            raise InvalidQuery(f"limit must be between 1 and {MAX_PAGE}.")
        if (
            self.published_from
            and self.published_before
            and self.published_from >= self.published_before
        ):
            raise InvalidQuery("published_from must be before published_to.")
        if self.mentions_from and self.mentions_to and self.mentions_from > self.mentions_to:
            raise InvalidQuery("mentions_date_from must not be after mentions_date_to.")
        if self.by_relevance and not (self.text or "").strip():
            raise InvalidQuery("sort=relevance needs words to rank by (q).")
