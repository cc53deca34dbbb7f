"""TIMEX3 dates as a reader of an article would expect them, on the real spaCy model."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from spacy.language import Language

from services.enrich.dates import extract_dates
from services.enrich.pipeline import enrich, load_nlp
from shared.models import DateMention
from shared.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles"
SEED_ARTICLE = SEED / "world-powers-fail-to-salvage-syrian-truce.txt"
PUBLISHED = date(2016, 9, 23)  # a Friday


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


def dates_in(nlp: Language, text: str, published: date | None = PUBLISHED) -> list[DateMention]:
    return extract_dates(nlp(text), published)


def only(nlp: Language, text: str, published: date | None = PUBLISHED) -> tuple[str, str, str]:
    """The one date of `text` as (extent, type, value)."""
    found = dates_in(nlp, text, published)
    assert len(found) == 1, found
    return found[0].text, found[0].type, found[0].value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The treaty was signed in 2016.", ("2016", "DATE", "2016")),
        ("Sales fell in September 2016.", ("September 2016", "DATE", "2016-09")),
        ("It opened on September 22, 2016.", ("September 22, 2016", "DATE", "2016-09-22")),
        ("It opened on 22 September 2016.", ("22 September 2016", "DATE", "2016-09-22")),
        ("The event is on 2016-09-22 in Paris.", ("2016-09-22", "DATE", "2016-09-22")),
        ("Profits rose in the third quarter of 2016.",
         ("the third quarter of 2016", "DATE", "2016-Q3")),
        ("Prices rose in the summer of 2016.", ("the summer of 2016", "DATE", "2016-SU")),
        ("Music changed in the 1960s.", ("the 1960s", "DATE", "196")),
        ("Cities grew in the 19th century.", ("the 19th century", "DATE", "18")),
        ("The talks lasted two hours.", ("two hours", "DURATION", "PT2H")),
        ("The strike lasted three months.", ("three months", "DURATION", "P3M")),
        ("He was jailed for 18 months.", ("18 months", "DURATION", "P18M")),
        ("It was a five-year plan.", ("five-year", "DURATION", "P5Y")),
        ("The talks took several years.", ("several years", "DURATION", "PXY")),
        ("The board meets every week.", ("every week", "SET", "P1W")),
        ("The magazine is published weekly.", ("weekly", "SET", "P1W")),
        ("The company is now profitable.", ("now", "DATE", "PRESENT_REF")),
        ("The company recently changed hands.", ("recently", "DATE", "PAST_REF")),
        ("The rules may change in the future.", ("the future", "DATE", "FUTURE_REF")),
    ],
)  # fmt: skip
def test_each_timex_form_has_its_value(
    nlp: Language, text: str, expected: tuple[str, str, str]
) -> None:
    assert only(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ministers met on Thursday.", "2016-09-22"),
        ("Ministers will meet on Thursday.", "2016-09-29"),
        ("The trial is to begin on Tuesday.", "2016-09-27"),
        ("Ministers met on Friday.", "2016-09-23"),
        ("The vote was held yesterday.", "2016-09-22"),
        ("The vote is held today.", "2016-09-23"),
        ("The vote will be held tomorrow.", "2016-09-24"),
        ("Prices fell last week.", "2016-W37"),
        ("Talks resume next week.", "2016-W39"),
        ("Prices fell earlier this month.", "2016-09"),
        ("Prices fell last month.", "2016-08"),
        ("Elections are due next year.", "2017"),
        ("The firm was founded two years ago.", "2014"),
        ("The firm opened in March.", "2016-03"),
        ("The firm will open in March.", "2017-03"),
        ("The deal was signed on December 11.", "2015-12-11"),
        ("The deal will be signed on October 3.", "2016-10-03"),
    ],
)
def test_relative_dates_follow_the_tense(nlp: Language, text: str, value: str) -> None:
    assert only(nlp, text)[2] == value


def test_the_same_day_is_the_day_spoken_of(nlp: Language) -> None:
    found = dates_in(nlp, "Shares fell on Monday. They recovered later the same day.")
    assert [d.value for d in found] == ["2016-09-19", "2016-09-19"]


def test_a_clock_time_takes_its_day(nlp: Language) -> None:
    assert only(nlp, "The summit opened at 3 p.m. on Thursday.") == (
        "3 p.m. on Thursday",
        "TIME",
        "2016-09-22T15:00",
    )


def test_a_part_of_the_day_is_a_time(nlp: Language) -> None:
    assert only(nlp, "The deal was announced on Friday morning.")[1:] == ("TIME", "2016-09-23TMO")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The deal was signed on September 22.", "XXXX-09-22"),
        ("Ministers met on Thursday.", "XXXX-WXX-4"),
        ("Prices fell in March.", "XXXX-03"),
        ("Prices fell last week.", "XXXX-WXX"),
        ("The vote was held yesterday.", "XXXX-XX-XX"),
        ("The treaty was signed in 2016.", "2016"),
    ],
)
def test_without_a_publication_date_unknown_parts_are_x(
    nlp: Language, text: str, value: str
) -> None:
    assert only(nlp, text, published=None)[2] == value


@pytest.mark.parametrize(
    "text",
    [
        "We said we would go, and we did.",
        "3 min read",
        "The index rose 2.36 % to 5,000 points.",
        "The Russell 2000 Index fell.",
        "Smith, 49, left the company.",
        "She may go, and he might follow.",
    ],
)
def test_no_false_dates(nlp: Language, text: str) -> None:
    assert dates_in(nlp, text) == []


def test_extents_leave_out_the_preposition(nlp: Language) -> None:
    assert only(nlp, "Ministers met on Thursday.")[0] == "Thursday"


@pytest.fixture(scope="module")
def seed_dates(nlp: Language) -> list[DateMention]:
    return dates_in(nlp, SEED_ARTICLE.read_text(encoding="utf-8"))


def test_seed_thursdays_are_the_day_before_publication(seed_dates: list[DateMention]) -> None:
    thursdays = [d for d in seed_dates if d.text == "Thursday"]
    assert len(thursdays) == 3
    assert {d.value for d in thursdays} == {"2016-09-22"}


def test_seed_friday_is_the_publication_day(seed_dates: list[DateMention]) -> None:
    assert [d.value for d in seed_dates if d.text == "Friday"] == ["2016-09-23"]


def test_seed_dateline_is_one_mention(seed_dates: list[DateMention]) -> None:
    dateline = [d for d in seed_dates if "September" in d.text]
    assert [(d.text, d.value) for d in dateline] == [("23 September, 2016", "2016-09-23")]


def test_seed_one_day_is_a_duration(seed_dates: list[DateMention]) -> None:
    assert [(d.type, d.value) for d in seed_dates if d.text == "one day"] == [("DURATION", "P1D")]


def test_seed_reading_time_is_not_a_date(seed_dates: list[DateMention]) -> None:
    assert not [d for d in seed_dates if "min" in d.text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The delay is almost two and a half years.",
         [("almost two and a half years", "DURATION", "P2.5Y")]),
        ("Shares hit their lowest level since '82.", [("'82", "DATE", "1982")]),
        ("Deliveries run from 2009 to 2011.",
         [("2009", "DATE", "2009"), ("2011", "DATE", "2011")]),
        ("The economy shrank between April and June.",
         [("April", "DATE", "2016-04"), ("June", "DATE", "2016-06")]),
        ("Crowds came to this year's show.", [("this year", "DATE", "2016")]),
    ],
)  # fmt: skip
def test_extents_split_and_extend_like_a_reader(
    nlp: Language, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert [(d.text, d.type, d.value) for d in dates_in(nlp, text)] == expected


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
@pytest.mark.parametrize(
    "text",
    [
        "They met on Thursday.",
        "The launch is tomorrow.",
        "It happened yesterday.",
        "Prices rise next year.",
        "Sales fell last year.",
        "The vote is next month.",
        "Talks ended last week.",
        "It opened two days ago.",
        "The deal closes next quarter.",
        "Results came in the last decade.",
        "Rain is expected next spring.",
        "It ends on December 31.",
        "He left the following day.",
        "Two days later they met.",
        "Christmas will be quiet.",
        "It was big in the 70s.",
    ],
)
def test_dates_at_the_ends_of_the_calendar_have_no_value_past_them(
    nlp: Language, text: str, published: date
) -> None:
    for found in dates_in(nlp, text, published):
        assert not re.match(r"\d{5}|0000", found.value), found


def values(nlp: Language, text: str, published: date) -> dict[str, str]:
    """Each date's text -> its value."""
    return {d.text: d.value for d in dates_in(nlp, text, published)}


@pytest.mark.parametrize(
    ("text", "published", "phrase", "value"),
    [
        # Past tense reaches back only so far: next month's debate, not one eleven months ago.
        (
            "Candidates who qualified for the December debate said they were ready.",
            date(2019, 11, 20),
            "December",
            "2019-12",
        ),
        (
            "PG&E, which will face regulators next week, cut power in four rounds of outages in "
            "October.",
            date(2019, 11, 20),
            "October",
            "2019-10",
        ),
        (
            "The ministry said the bridge was finished by January.",
            date(2019, 11, 20),
            "January",
            "2020-01",
        ),
        (
            "SpaceX said the launch is tomorrow (November 19).",
            date(2019, 11, 18),
            "November 19",
            "2019-11-19",
        ),
        (
            "SpaceX said the launch is tomorrow (November 19).",
            date(2019, 11, 18),
            "tomorrow",
            "2019-11-19",
        ),
        # ... but within reach the tense decides: March is this year's in an October past clause.
        ("Sales fell in March, the company said.", date(2019, 10, 20), "March", "2019-03"),
        # The weekend just past, not the coming one nor one the text spoke of before.
        (
            "Dec. 13 is the deadline. Shoppers spent $7 billion over the weekend, the group said.",
            date(2019, 11, 18),
            "the weekend",
            "2019-W46-WE",
        ),
        ("The plant was shut over the weekend.", date(2019, 11, 20), "the weekend", "2019-W46-WE"),
        ("The plant will shut over the weekend.", date(2019, 11, 20), "the weekend", "2019-W47-WE"),
        # Named days are days of their own.
        (
            "Retailers expect record sales on Cyber Monday.",
            date(2019, 11, 20),
            "Cyber Monday",
            "2019-12-02",
        ),
        ("Closed until Friday, the exchange said.", date(2008, 9, 18), "Friday", "2008-09-19"),
        ("Dell cut prices for Black Friday.", date(2019, 11, 20), "Black Friday", "2019-11-29"),
        ("Dell cut prices for Black Friday.", date(2020, 11, 2), "Black Friday", "2020-11-27"),
        ("Stores close on Thanksgiving Day.", date(2019, 11, 2), "Thanksgiving Day", "2019-11-28"),
    ],
)  # fmt: skip
def test_dates_in_text_read_as_a_reader_would(
    nlp: Language, text: str, published: date, phrase: str, value: str
) -> None:
    assert values(nlp, text, published).get(phrase) == value


def test_a_tour_list_takes_the_year_the_article_is_about(nlp: Language) -> None:
    text = (
        "The band's 2020 world tour was announced today.\n"
        "June 9 – Chicago\nJuly 14 – Denver\nAug. 2 – Boston\nOct. 10 – Austin"
    )
    found = values(nlp, text, date(2019, 12, 10))
    assert [found[d] for d in ("June 9", "July 14", "Aug. 2", "Oct. 10")] == [
        "2020-06-09",
        "2020-07-14",
        "2020-08-02",
        "2020-10-10",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dell's Cyber Monday deals start later.",
        "Churches fill on Good Friday.",
    ],
)
def test_a_named_day_is_not_its_weekday(nlp: Language, text: str) -> None:
    found = dates_in(nlp, text, date(2019, 11, 20))
    assert not [d for d in found if d.text in ("Monday", "Friday")], found


@pytest.mark.parametrize(
    "text",
    [
        "Israel captured the territory in the 1967 Six-Day War.",
        "The Hundred Days Offensive ended the war.",
        "A 6-year-old boy and his 52-year-old father were rescued.",
        "The suspect, 37 years old, was arrested.",
    ],
)
def test_names_and_ages_are_not_durations(nlp: Language, text: str) -> None:
    assert [d for d in dates_in(nlp, text, date(2019, 11, 20)) if d.type == "DURATION"] == []


def test_relative_dates_resolve_in_the_publishers_local_day(nlp: Language) -> None:
    # 05:50 in Beijing on the 14th is still the 13th in UTC.
    published = datetime(2020, 10, 14, 5, 50, tzinfo=timezone(timedelta(hours=8)))
    found = enrich(nlp, "t", "The minister spoke today. Yesterday he flew in.", published)
    assert {d.text: d.value for d in found.dates} == {
        "today": "2020-10-14",
        "Yesterday": "2020-10-13",
    }


@pytest.mark.parametrize(
    ("text", "published", "phrase", "value"),
    [
        # Results name a quarter, then refer back to it and to the same quarter a year before.
        (
            "Third-quarter profit rose 12%. Sales in the quarter grew, and profit was up from a "
            "year earlier and from the year-ago quarter.",
            date(1989, 10, 26),
            "the quarter",
            "1989-Q3",
        ),
        (
            "Third-quarter profit rose 12%. Profit was up from a year earlier.",
            date(1989, 10, 26),
            "a year earlier",
            "1988-Q3",
        ),
        (
            "Third-quarter profit rose 12%, compared with the year-ago quarter.",
            date(1989, 10, 26),
            "the year-ago quarter",
            "1988-Q3",
        ),
        (
            "Third-quarter profit will be reported soon.",
            date(1989, 10, 26),
            "Third-quarter",
            "1989-Q3",
        ),
        ("Sales fell in the fourth quarter.", date(1990, 2, 10), "the fourth quarter", "1989-Q4"),
        (
            "Sales will grow in the current fiscal year.",
            date(1989, 11, 2),
            "the current fiscal year",
            "1989",
        ),
        # Years read out in words, as transcripts write them.
        (
            "Keating was convicted in nineteen ninety-one.",
            date(1998, 1, 15),
            "nineteen ninety-one",
            "1991",
        ),
        (
            "The promise held until the year two thousand.",
            date(1998, 2, 5),
            "the year two thousand",
            "2000",
        ),
        (
            "CBS News first reported last night that it had the tape.",
            date(1998, 1, 20),
            "last night",
            "1998-01-19TNI",
        ),
        ("The bankers met last December.", date(1989, 10, 30), "last December", "1988-12"),
        ("Holders approved the plan last April.", date(1989, 10, 27), "last April", "1989-04"),
    ],
)
def test_reporting_periods_and_spoken_years(
    nlp: Language, text: str, published: date, phrase: str, value: str
) -> None:
    assert values(nlp, text, published).get(phrase) == value


@pytest.mark.parametrize(
    "text",
    ["Leave as soon as possible.", "He was killed soon after capture.", "The soon-to-open hall."],
)
def test_soon_as_a_connective_is_no_time(nlp: Language, text: str) -> None:
    assert [d.text for d in dates_in(nlp, text, date(1998, 1, 8))] == []


def test_a_long_span_keeps_each_date_inside_it(nlp: Language) -> None:
    text = "Coast earned $6.98 a share for the quarter ended Sept. 30."
    assert values(nlp, text, date(1989, 11, 1)).get("Sept. 30") == "1989-09-30"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The genocide in Rwanda began nearly four years ago.", "nearly four years ago", "1994"),
        ("Support rose from 35 percent several years ago.", "several years ago", "PAST_REF"),
        ("Late Monday, officials met again.", "Late Monday", "1998-02-23"),
        ("I pray for this young boy every day.", "every day", "P1D"),
    ],
)
def test_points_back_and_sets(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert values(nlp, text, date(1998, 2, 27)).get(phrase) == value


@pytest.mark.parametrize(
    ("text", "phrase", "kind", "value"),
    [
        ("Revenue was $76 million for the year ended March 31.", "the year", "DURATION", "P1Y"),
        ("Sales for the full year were $6.6 billion.", "the full year", "DATE", "1989"),
        ("The office is effective Feb. 1, the company said.", "Feb. 1", "DATE", "1990-02-01"),
    ],
)
def test_fiscal_years_and_effective_dates(
    nlp: Language, text: str, phrase: str, kind: str, value: str
) -> None:
    found = {d.text: (d.type, d.value) for d in dates_in(nlp, text, date(1989, 10, 26))}
    assert found.get(phrase) == (kind, value)


def test_a_quarterly_dividend_is_no_recurrence(nlp: Language) -> None:
    found = dates_in(nlp, "Du Pont raised its quarterly dividend to $1.20.", date(1989, 10, 26))
    assert [d.text for d in found] == []


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Results will be disclosed this morning.", "this morning", "1989-10-26TMO"),
        (
            "It opened on Oct. 3, 1987, and closed the following week.",
            "the following week",
            "1987-W41",
        ),
    ],
)
def test_this_morning_and_the_following_day(
    nlp: Language, text: str, phrase: str, value: str
) -> None:
    assert values(nlp, text, date(1989, 10, 26)).get(phrase) == value


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The deal should close by year-end.", "year-end", "1989"),
        ("Use was delayed earlier in the year by heavy rains.", "earlier in the year", "1989"),
        ("Hate groups grew in the past year.", "the past year", "1988"),
    ],
)
def test_the_end_and_parts_of_this_year(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert values(nlp, text, date(1989, 10, 26)).get(phrase) == value
