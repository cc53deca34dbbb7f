"""Date rules read the way newswire writes them: counts, decades, quarters, tense cues."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from services.enrich.dates import extract_dates
from services.enrich.pipeline import load_nlp
from shared.settings import Settings

PUBLISHED = date(2016, 9, 23)  # a Friday, in the third quarter


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


def found(nlp: Language, text: str, published: date = PUBLISHED) -> list[tuple[str, str]]:
    """Every date of `text` as (extent, value)."""
    return [(d.text, d.value) for d in extract_dates(nlp(text), published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices will not recover for a couple of years.", ("a couple of years", "P2Y")),
        ("Over the next couple of years the plant will grow.", ("the next couple of years", "P2Y")),
        ("The refugees lived in camps for 2 1/2 years.", ("2 1/2 years", "P2.5Y")),
        ("The crown has ruled for almost a hundred years.", ("almost a hundred years", "P100Y")),
        ("The firm has kept the secret for a thousand years.", ("a thousand years", "P1000Y")),
    ],
)
def test_counts_written_as_words_are_read(
    nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    assert found(nlp, text) == [expected]


def test_a_short_decade_of_the_articles_own_decade_is_that_decade(nlp: Language) -> None:
    text = "Sales have been flat through the '80s, the chairman said."
    assert found(nlp, text, date(1989, 10, 26)) == [("the '80s", "198")]


def test_a_spelled_decade_is_a_decade(nlp: Language) -> None:
    text = "Membership kept dropping through the nineties, the group said."
    assert found(nlp, text, date(1998, 3, 3)) == [("the nineties", "199")]


def test_a_decade_of_someones_life_is_an_age(nlp: Language) -> None:
    text = "She married his father when he was in his 30s, she said."
    assert [value for _, value in found(nlp, text, date(1999, 5, 6))] == []


def test_the_current_quarter_is_the_publications_even_after_another_is_named(
    nlp: Language,
) -> None:
    text = (
        "Sales rose in the second quarter. Trade is brisk, with the current quarter "
        "having begun well."
    )
    assert ("the current quarter", "2016-Q3") in found(nlp, text)


@pytest.mark.parametrize(
    ("text", "extent"),
    [
        ("The credits will cut tax payments in future quarters.", "future quarters"),
        ("The bank expects the economy to slow in coming months.", "coming months"),
    ],
)
def test_coming_units_without_article_are_the_future(nlp: Language, text: str, extent: str) -> None:
    assert found(nlp, text) == [(extent, "FUTURE_REF")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Published on a Friday: a plan's weekday is the coming one.
        (
            "The team planned to leave Nairobi on Thursday for Dar es Salaam.",
            ("Thursday", "2016-09-29"),
        ),
        ("Protesters planned a large demonstration on Saturday.", ("Saturday", "2016-09-24")),
        (
            "The lawyer said the father would be traveling to Washington Thursday.",
            ("Thursday", "2016-09-29"),
        ),
    ],
)
def test_a_planned_weekday_is_ahead(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    assert found(nlp, text) == [expected]


def test_a_lower_case_word_before_a_weekday_does_not_make_it_a_named_day(nlp: Language) -> None:
    text = "At the close of business Thursday, 5,000 shares had been tendered."
    assert found(nlp, text) == [("Thursday", "2016-09-22")]


@pytest.mark.parametrize(
    "text",
    [
        "Proceeds will be used to reduce short-term debt, the company said.",
        "Good evening from the central square of the capital.",
    ],
)
def test_term_adjectives_and_greetings_are_no_dates(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


def test_a_date_inside_an_event_name_is_still_found(nlp: Language) -> None:
    text = "There were no mass cancellations after the Aug. 7 embassy bombings, he said."
    assert found(nlp, text) == [("Aug. 7", "2016-08-07")]


def test_more_between_count_and_unit_keeps_the_count(nlp: Language) -> None:
    text = "The fleet may stay in the port for at least 20 more years, officials said."
    assert found(nlp, text) == [("at least 20 more years", "P20Y")]


def test_the_week_of_a_day_is_that_days_week(nlp: Language) -> None:
    text = "The case may be resolved in a court hearing the week of Oct. 10, his lawyer said."
    assert found(nlp, text) == [("the week of Oct. 10", "2016-W41")]


def test_the_night_named_by_an_event_is_no_date(nlp: Language) -> None:
    text = "The agency released the tapes from the night the plane went down."
    assert found(nlp, text) == []


def test_a_quarter_still_running_does_not_become_the_latest_quarter(nlp: Language) -> None:
    text = (
        "The insurer reported third-quarter profit. It gave a gloomy fourth-quarter outlook. "
        "Earnings fell 59% in the latest quarter."
    )
    assert ("the latest quarter", "2016-Q3") in found(nlp, text, date(2016, 11, 2))


def test_a_fiscal_quarter_that_ended_is_the_latest_quarter(nlp: Language) -> None:
    text = "For the fourth quarter ended Sept. 30, sales rose. Sales in the latest period rose."
    assert ("the latest period", "2016-Q4") in found(nlp, text, date(2016, 11, 2))


@pytest.mark.parametrize(
    "text",
    [
        "The company wants to eliminate 789, or about a quarter, of its dealers.",
        "Funds account for more than a quarter of the market.",
    ],
)
def test_a_quarter_of_something_is_a_share(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The offer was extended until 5 p.m. EST Nov. 9, the company said.",
            ("5 p.m. EST Nov. 9", "2016-11-09T17:00"),
        ),
        (
            "In London at mid-afternoon yesterday, the shares were up 2 pence.",
            ("mid-afternoon yesterday", "2016-09-22TAF"),
        ),
        ("He was shot to death last Oct. 23 at his home.", ("last Oct. 23", "2015-10-23")),
        (
            "Earnings will be lower for the last half of 2016, the brewer said.",
            ("the last half of 2016", "2016-H2"),
        ),
    ],
)
def test_times_and_days_joined_the_way_newswire_writes_them(
    nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    assert found(nlp, text) == [expected]


def test_that_year_is_the_year_last_named(nlp: Language) -> None:
    text = "She fled to Florida in June 1998 and returned to Cuba later that year."
    assert ("later that year", "1998") in found(nlp, text)


def test_the_following_month_counts_from_the_month_last_named(nlp: Language) -> None:
    text = (
        "In March, the board hired advisers. The following month, the company put itself "
        "up for sale."
    )
    assert ("The following month", "2016-04") in found(nlp, text)


def test_the_same_month_a_year_ago_is_the_named_month_a_year_before(nlp: Language) -> None:
    text = "Sales fell 35% in January, compared to the same month a year ago."
    assert found(nlp, text, date(2009, 2, 3)) == [
        ("January", "2009-01"),
        ("the same month a year ago", "2008-01"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The firm settled its decades-long dispute with the band.", ("decades", "PXY")),
        (
            "Some expect that the city will one day be the region's capital.",
            ("one day", "FUTURE_REF"),
        ),
        (
            "Then, a week or so ago, the general picked the date.",
            ("a week or so ago", "2016-09-16"),
        ),
    ],
)
def test_vague_and_approximate_times(nlp: Language, text: str, expected: tuple[str, str]) -> None:
    assert found(nlp, text) == [expected]


def test_the_second_day_is_an_ordinal_not_a_second(nlp: Language) -> None:
    text = "It is the second day of the offensive."
    assert all(value != "PT1S" for _, value in found(nlp, text))


def test_until_a_day_already_reached_is_past(nlp: Language) -> None:
    text = "Until Thursday, the police had not called him a suspect."
    assert found(nlp, text) == [("Thursday", "2016-09-22")]


def test_ahead_of_the_weekend_is_the_coming_weekend(nlp: Language) -> None:
    text = "Traders had chosen to square positions ahead of the weekend."
    assert found(nlp, text, date(2016, 9, 20)) == [("the weekend", "2016-W38-WE")]
