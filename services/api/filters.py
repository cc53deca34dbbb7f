"""What a query string may say: ISO 8601 dates within the years articles have, labels by their
form, and entity names that name something. Anything else is a 422, never a silently dropped
filter or an error further in."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator

from services.api.ids import is_entity_id
from shared.entity_names import query_keys
from shared.models import check_year, parse_iso_8601

# Labels are spaCy's (`PERSON`, `WORK_OF_ART`); empty is an unset form field.
LABEL_PATTERN = r"^[A-Za-z_]*$"


def blank_is_none(value: object) -> object:
    """An empty form field (`?status=`) is no filter."""
    return None if value == "" else value


def _published(value: object) -> object:
    """A publication bound: blank is none; text is ISO 8601 within the accepted years."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        return check_year(parse_iso_8601(value))
    return value


def _day(value: object) -> object:
    """A mentioned day: blank is none; text is an ISO 8601 date (any year a date can have)."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be an ISO 8601 date, e.g. 2016-09-23") from None
    return value


PublishedBound = Annotated[date | datetime | None, BeforeValidator(_published)]
MentionedDay = Annotated[date | None, BeforeValidator(_day)]


def day_start(value: date | datetime) -> datetime:
    """The first moment of a bound: midnight UTC for a date; a naive time is UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def moment_after(value: date | datetime) -> datetime | None:
    """The first moment after a bound: the next day for a date, the next second otherwise;
    None (no bound) past the last moment a datetime can hold."""
    step = timedelta(seconds=1) if isinstance(value, datetime) else timedelta(days=1)
    try:
        return day_start(value) + step
    except OverflowError:
        return None


def entity_filter(field: str, value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The entity ids and lookup keys a name or id stands for.

    A value with no letter or digit (`*`, `?`, `%`, `..`) names nothing: refused, so that it
    can never read as "any entity".
    """
    value = value.strip()
    ids = (value,) if is_entity_id(value) else ()
    keys = tuple(query_keys(value))
    if not ids and not keys:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", field),
                    "msg": "must name an entity: a name with a letter or digit, or an entity id",
                    "type": "value_error",
                }
            ]
        )
    return ids, keys
