"""The dateline a news page prints near its top."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.enrich.dates import find_dateline

SEED_ARTICLE = (
    Path(__file__).resolve().parents[2]
    / "seeds"
    / "articles"
    / "world-powers-fail-to-salvage-syrian-truce.txt"
)


def test_seed_dateline() -> None:
    assert find_dateline(SEED_ARTICLE.read_text(encoding="utf-8")) == date(2016, 9, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\n23 September, 2016\nBody", date(2016, 9, 23)),
        ("Headline\nMarch 06 , 2008\nBody", date(2008, 3, 6)),
        ("Headline\nApril 2nd, 2009\nBody", date(2009, 4, 2)),
        ("Headline\nSept. 5 2010\nBody", date(2010, 9, 5)),
        ("Headline\nPosted 2011-08-25 by staff\nBody", date(2011, 8, 25)),
        ("Headline\nNo date here at all.", None),
        ("Headline\nFebruary 30, 2010\nBody", None),
    ],
)
def test_datelines(text: str, expected: date | None) -> None:
    assert find_dateline(text) == expected


def test_a_date_deep_in_the_body_is_not_a_dateline() -> None:
    assert find_dateline("Headline\n" + "word " * 200 + "\nMarch 6, 2008") is None
