"""TIMEX3 values of calendar expressions: dates, months, years, decades, quarters, seasons."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from services.enrich.dates.calendar import (
    Reference,
    month_value,
    nearest_year,
    nth_weekday,
    period_year,
    quarter_year,
    week_value,
)
from services.enrich.dates.lexicon import (
    HOLIDAYS,
    MONTHS,
    MOVABLE_DAYS,
    ORDINALS,
    SEASON_MONTH,
    SEASONS,
)
from services.enrich.dates.lexicon import alternation as alt

Value = tuple[str, str]  # (TIMEX3 type, value)
Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Reference], Value | None]]

_M = rf"(?P<month>{alt(MONTHS)})\.?"
_D = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<year>1\d{3}|20\d{2})"
_WD = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
# Vague edges of a period keep the period's value ("early 2009" is 2009 at year granularity).
_EDGE = (
    r"(?:(?:early|late|mid|the middle of|the end of|the beginning of|the start of|"
    r"the very beginning of|the close of|the rest of|the remainder of)[\s-]?)?"
)
_RELYEAR = r"(?P<rel>this|last|next|the previous|the following|the same|that) year"


def _day(year: int | None, month: int, day: int) -> Value | None:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return "DATE", f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}"


def _full_date(m: re.Match[str], ref: Reference) -> Value | None:
    return _day(int(m["year"]), MONTHS[m["month"]], int(m["day"]))


def _numeric_date(m: re.Match[str], ref: Reference) -> Value | None:
    # US order (month/day/year): WikiNews and most English newswire write it that way.
    year = int(m["year"])
    year += 0 if year > 100 else (1900 if year > 50 else 2000)
    return _day(year, int(m["month"]), int(m["day"]))


def _iso_date(m: re.Match[str], ref: Reference) -> Value | None:
    return _day(int(m["year"]), int(m["month"]), int(m["day"]))


def _month_day(m: re.Match[str], ref: Reference) -> Value | None:
    month, day = MONTHS[m["month"]], int(m["day"])
    year = nearest_year(ref.anchor, month, day, ref.tense, ref.topic_year) if ref.anchor else None
    return _day(year, month, day)


def _month_day_toward(m: re.Match[str], ref: Reference) -> Value | None:
    month, day = MONTHS[m["month"]], int(m["day"])
    if ref.anchor is None:
        return _day(None, month, day)
    back = m["rel"] in ("last", "this past")
    year = ref.anchor.year
    try:  # the latest such day before publication, or the first after it
        ahead = date(year, month, day) > ref.anchor
    except ValueError:
        return None
    year += (-1 if ahead else 0) if back else (0 if ahead else 1)
    return _day(year, month, day)


def _week_of(m: re.Match[str], ref: Reference) -> Value | None:
    """ "The week of March 6": the ISO week holding that day."""
    found = _full_date(m, ref) if m["year"] else _month_day(m, ref)
    if found is None or "X" in found[1]:
        return None if found is None else ("DATE", "XXXX-WXX")
    return "DATE", week_value(date.fromisoformat(found[1]))


def relative_year(rel: str | None, ref: Reference) -> int | None:
    """The year meant by "this/last/next year" (None when there is no anchor)."""
    base = ref.focus if rel in ("the same", "that") else ref.anchor
    if base is None:
        return None
    step = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(rel or "", 0)
    return base.year + step


def _month_year(m: re.Match[str], ref: Reference) -> Value | None:
    month = MONTHS[m["month"]]
    year = int(m["year"]) if m["year"] else relative_year(m["rel"], ref)
    return "DATE", month_value(year, month) if year else f"XXXX-{month:02d}"


def _month(m: re.Match[str], ref: Reference) -> Value | None:
    month, rel, anchor = MONTHS[m["month"]], m["rel"], ref.anchor
    if anchor is None:
        return "DATE", f"XXXX-{month:02d}"
    if rel == "last":  # the latest one before this month: "last December" in October
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif rel == "next":
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = nearest_year(anchor, month, None, ref.tense, ref.topic_year)
    return "DATE", month_value(year, month)


def _year(m: re.Match[str], ref: Reference) -> Value | None:
    return "DATE", m["year"]


def _short_year(m: re.Match[str], ref: Reference) -> Value | None:
    two = int(m["yy"])
    now = (ref.anchor or date.today()).year % 100
    return "DATE", f"{19 if two > now + 5 else 20}{two:02d}"


def _decade(m: re.Match[str], ref: Reference) -> Value | None:
    if m["century"]:
        return "DATE", m["century"] + m["tens"]
    # "the 70s": the most recent such decade up to the article's ("the '80s" in 1989 is its own).
    tens = int(m["tens"])
    year = (ref.anchor or date.today()).year
    return "DATE", f"{year // 100 - (tens > year // 10 % 10)}{tens}"


_DECADE_WORDS = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
                 "nineties")  # fmt: skip


def _spelled_decade(m: re.Match[str], ref: Reference) -> Value | None:
    """ "The nineties": the most recent such decade, as for "the 90s"."""
    tens = _DECADE_WORDS.index(m["word"]) + 2
    year = (ref.anchor or date.today()).year
    return "DATE", f"{year // 100 - (tens > year // 10 % 10)}{tens}"


def _century(m: re.Match[str], ref: Reference) -> Value | None:
    return "DATE", f"{int(m['n']) - 1:02d}"


def _quarter(m: re.Match[str], ref: Reference) -> Value | None:
    quarter = ORDINALS.get(m["q"], 0) if not m["q"].isdigit() else int(m["q"])
    if not 1 <= quarter <= 4:
        return None
    groups = m.groupdict()
    if groups.get("year"):
        year: int | None = int(groups["year"])
    elif groups.get("rel"):
        year = relative_year(groups["rel"], ref)
    else:
        year = quarter_year(ref.anchor, quarter, ref.tense) if ref.anchor else None
    return "DATE", f"{year:04d}-Q{quarter}" if year else f"XXXX-Q{quarter}"


def _half(m: re.Match[str], ref: Reference) -> Value | None:
    half = 1 if m["h"] in ("first", "early") else 2
    year = int(m["year"]) if m["year"] else relative_year(m["rel"], ref)
    return "DATE", f"{year:04d}-H{half}" if year else f"XXXX-H{half}"


def _season(m: re.Match[str], ref: Reference) -> Value | None:
    code, rel = SEASONS[m["season"]], m["rel"]
    if m["year"]:
        return "DATE", f"{m['year']}-{code}"
    if ref.anchor is None:
        return "DATE", f"XXXX-{code}"
    if rel in ("last", "next"):  # last year's: "last spring" in autumn is a year back
        return "DATE", f"{ref.anchor.year + (1 if rel == 'next' else -1):04d}-{code}"
    year = period_year(ref.anchor, SEASON_MONTH[code], ref.tense)
    return "DATE", f"{year:04d}-{code}"


def _holiday(m: re.Match[str], ref: Reference) -> Value | None:
    month, day = HOLIDAYS[m["holiday"]]
    year = int(m["year"]) if m["year"] else None
    if year is None and ref.anchor is not None:
        year = nearest_year(ref.anchor, month, day, ref.tense)
    return _day(year, month, day)


def _movable_day(m: re.Match[str], ref: Reference) -> Value | None:
    month, weekday, nth, after = MOVABLE_DAYS[m["holiday"]]
    if m["year"]:
        year = int(m["year"])
    elif ref.anchor is None:
        return None
    else:
        this_year = nth_weekday(ref.anchor.year, month, weekday, nth) + timedelta(days=after)
        year = nearest_year(ref.anchor, this_year.month, this_year.day, ref.tense)
    day = nth_weekday(year, month, weekday, nth) + timedelta(days=after)
    return "DATE", day.isoformat()


_Q = r"(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th|[1-4])"
ABSOLUTE_RULES: tuple[Rule, ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (rf"{_WD}{_M} {_D},? {_Y}", _full_date),
        (rf"{_WD}(?:the )?{_D}(?: of)? {_M},? {_Y}", _full_date),
        (
            r"(?P<month>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])/(?P<year>\d{2}|\d{4})",
            _numeric_date,
        ),
        (r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", _iso_date),
        (rf"the week of {_M} {_D}(?:,? {_Y})?", _week_of),
        (rf"{_WD}{_M} {_D}", _month_day),
        (rf"{_WD}(?:the )?{_D}(?: of)? {_M}", _month_day),
        (rf"{_EDGE}{_M},? (?:of )?(?:{_Y}|{_RELYEAR})", _month_year),
        (rf"{_EDGE}(?:(?P<rel>last|next|this) )?{_M}", _month),
        (rf"{_EDGE}(?:the )?(?:year )?{_Y}", _year),
        (r"(?:the )?'(?P<yy>\d{2})", _short_year),
        (r"(?:the )?(?:early |late |mid-?)?(?:(?P<century>1\d|20)|')?(?P<tens>\d)0'?s", _decade),
        (rf"the (?:early |late |mid-?)?(?P<word>{alt(_DECADE_WORDS)})", _spelled_decade),
        (r"(?:the )?(?:early |late |mid-?)?(?P<n>\d{1,2})(?:st|nd|rd|th) century", _century),
        (rf"{_EDGE}(?:the )?{_Q}[\s-]quarter(?: of (?:{_Y}|{_RELYEAR}))?", _quarter),
        (rf"q{_Q} {_Y}", _quarter),
        (rf"(?P<rel>this|last|next) year's {_Q}[\s-]quarter", _quarter),
        (rf"(?:the )?(?P<h>first|second|last|latter|final) half of (?:{_Y}|{_RELYEAR})", _half),
        # "last Oct. 23": the one before publication, "next May 1" the one after.
        (rf"(?P<rel>last|next|this past|this coming) {_M} {_D}", _month_day_toward),
        (
            rf"{_EDGE}(?:(?P<rel>this|last|next|the) )?(?P<season>{alt(SEASONS)})"
            rf"(?: of)?(?: {_Y})?",
            _season,
        ),
        (rf"(?P<holiday>{alt(HOLIDAYS)})(?: {_Y})?", _holiday),
        (rf"(?P<holiday>{alt(MOVABLE_DAYS)})(?: {_Y})?", _movable_day),
    )
)
