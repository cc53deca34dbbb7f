"""The wire and storage format shared by every service."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlsplit

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


def _storable(value: str) -> str:
    """Text the archive can keep exactly: valid Unicode (no lone surrogate) without NUL, which
    PostgreSQL's text type cannot hold."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (a lone surrogate was found)") from None
    return value


StorableText = AfterValidator(_storable)
# Publication dates a submission may carry. Wide enough for digitised archives and scheduled
# articles, and far enough inside Python's years 1 to 9999 that date arithmetic around them
# ("next Thursday", "in ten years") cannot overflow.
EARLIEST_YEAR = 1800
LATEST_YEAR = 2200
ISO_8601_HINT = "an ISO 8601 date or date-time, e.g. 2016-09-23 or 2016-09-23T10:30:00Z"


def parse_iso_8601(value: str) -> date | datetime:
    """A date (`2016-09-23`) or a date-time (`2016-09-23T10:30:00+02:00`), else ValueError.

    Numbers are refused, in text too: seconds or milliseconds since 1970 would be a guess.
    """
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"must be {ISO_8601_HINT}") from None


def check_year(value: date) -> date:
    """`value` if its year is one a publication date may have, else ValueError."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def _submitted_instant(value: object) -> object:
    """ISO 8601 text (or a date from Python code) within the accepted years."""
    if isinstance(value, str):
        value = parse_iso_8601(value)
    if not isinstance(value, date):
        raise ValueError(f"must be {ISO_8601_HINT}")
    return _to_utc(check_year(value))


SubmittedTimestamp = Annotated[
    datetime, BeforeValidator(_submitted_instant), AfterValidator(_aware)
]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


def _absent_when_none(value: object) -> bool:
    return value is None


# The label the model gave a name before the archive's majority label for that name replaced
# it (see shared/store/labels.py); absent, not null, when nothing was corrected, so that
# stored documents and answers stay as they were.
LabelCorrectedFrom = Annotated[
    str | None,
    Field(
        default=None,
        exclude_if=_absent_when_none,
        description="The model's own label, when the archive's majority label replaced it.",
    ),
]


class Entity(BaseModel):
    """A named-entity mention: `start`/`end` are character offsets into the article's text."""

    text: str
    label: str
    start: int
    end: int
    label_corrected_from: LabelCorrectedFrom = None


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
    label_corrected_from: LabelCorrectedFrom = None


class Enrichment(BaseModel):
    """What the enrichment pipeline finds in one article."""

    entities: list[Entity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    entity_summary: list[EntitySummary] = Field(default_factory=list)
    # The publication date the pipeline resolved against: the given one, or a dateline it found.
    published_at: Timestamp | None = None


def _http_url(value: str) -> str:
    """A feed or article URL is absolute http(s) with a host: nothing else is fetched or linked."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    return value.strip()


class ArticleIn(BaseModel):
    """An article as submitted over HTTP or read by the ingest worker."""

    model_config = ConfigDict(str_strip_whitespace=False, extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=1_000), StorableText]
    text: Annotated[str, Field(min_length=1, max_length=1_000_000), StorableText]
    url: Annotated[str, Field(max_length=4_096), StorableText, AfterValidator(_http_url)] | None = (
        None
    )
    source: Annotated[str, Field(max_length=200), StorableText] | None = None
    published_at: SubmittedTimestamp | None = None


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


# -- feeds ---------------------------------------------------------------------------

FEED_MIN_INTERVAL_SECONDS = 60
FEED_MAX_INTERVAL_SECONDS = 7 * 86_400


class FeedStatus(StrEnum):
    NEW = "new"  # not polled yet
    OK = "ok"  # fetched and parsed
    NOT_MODIFIED = "not_modified"  # a 304: nothing parsed
    RETRY_LATER = "retry_later"  # a 429/503; the next poll honours Retry-After
    ERROR = "error"  # fetch or parse failed; see `last_error`


class FeedIn(BaseModel):
    """A feed to follow, as submitted."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[
        str, Field(min_length=1, max_length=4_096), StorableText, AfterValidator(_http_url)
    ]
    interval_seconds: (
        Annotated[int, Field(ge=FEED_MIN_INTERVAL_SECONDS, le=FEED_MAX_INTERVAL_SECONDS)] | None
    ) = None
    source: Annotated[str, Field(max_length=200), StorableText] | None = None


class Feed(BaseModel):
    """A followed feed with the outcome of its last poll."""

    id: str
    url: str
    source: str | None = None
    title: str | None = None
    interval_seconds: int
    created_at: Timestamp
    last_polled_at: Timestamp | None = None
    last_status: FeedStatus = FeedStatus.NEW
    last_error: str | None = None
    error_count: int = 0
    next_poll_at: Timestamp | None = None
    etag: str | None = None
    last_modified: str | None = None
    articles: int = 0


class FeedPollOutcome(BaseModel):
    """What one poll of a feed found, as the ingest worker records it."""

    status: FeedStatus
    polled_at: Timestamp
    next_poll_at: Timestamp
    error: str | None = None
    error_count: int = 0
    # Validators for the next conditional GET; None keeps the stored ones.
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    # Set when the feed answered with a permanent redirect: the URL to poll from now on.
    moved_to: str | None = None
    new_articles: int = 0
