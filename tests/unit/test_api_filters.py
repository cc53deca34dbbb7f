from datetime import UTC, date, datetime

import pytest
from fastapi.exceptions import RequestValidationError

from services.api.filters import day_start, entity_filter, moment_after


def test_the_moment_after_a_bound_is_total() -> None:
    assert moment_after(date(2016, 9, 30)) == datetime(2016, 10, 1, tzinfo=UTC)
    assert moment_after(datetime(2016, 9, 30, 12)) == datetime(2016, 9, 30, 12, 0, 1, tzinfo=UTC)
    assert moment_after(date.max) is None  # no bound, not an OverflowError
    assert moment_after(datetime.max) is None
    assert day_start(date.min) == datetime(1, 1, 1, tzinfo=UTC)


def test_an_entity_filter_is_an_id_a_name_or_refused() -> None:
    assert entity_filter("entity", "person:sergei-lavrov")[0] == ("person:sergei-lavrov",)
    assert entity_filter("entity", "Sergei Lavrov") == ((), ("sergei-lavrov", "lavrov"))
    for nothing in ("*", "?", "%", "..", " ", "*:*"):
        with pytest.raises(RequestValidationError):
            entity_filter("entity", nothing)
