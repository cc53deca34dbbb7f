"""TIMEX3 values as a reader would say them ("Thu 22 Sep 2016", "1 day", "now"), and the span of
days a value covers, for the mentioned-date filter."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MONTHS = list(calendar.month_name)
REFERENCES = {"PRESENT_REF": "now", "PAST_REF": "the past", "FUTURE_REF": "the future"}
SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night"}
UNITS = {
    "Y": "year",
    "M": "month",
    "W": "week",
    "D": "day",
    "H": "hour",
    "S": "second",
    "DE": "decade",
    "CE": "century",
}
CLOCK_UNITS = {"H": "hour", "M": "minute", "S": "second"}

_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})(?:T(.+))?$")
_MONTH = re.compile(r"^(\d{4}|XXXX)-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4}|XXXX)-(Q[1-4]|H[12]|SP|SU|FA|WI)$")
_WEEKDAY = re.compile(r"^XXXX-WXX-([1-7])$")
_DURATION = re.compile(r"^P(T?)([\d.]+|X)(DE|CE|[YMWDHS])$")
_CLOCK = re.compile(r"^(\d{2}):(\d{2})")


def _day(year: str, month: int, day: int) -> str:
    if year == "XXXX":
        return f"{day} {calendar.month_abbr[month]}"
    weekday = calendar.day_abbr[date(int(year), month, day).weekday()]
    return f"{weekday} {day} {calendar.month_abbr[month]} {year}"


def _time_of_day(clock: str) -> str:
    return PARTS_OF_DAY.get(clock, clock[:5] if _CLOCK.match(clock) else clock)


def _period(code: str) -> str:
    if code.startswith("Q"):
        return code
    if code.startswith("H"):
        return "first half of" if code == "H1" else "second half of"
    return SEASONS[code]


def _duration(amount: str, unit: str, clock: bool, every: bool) -> str:
    name = (CLOCK_UNITS if clock else UNITS)[unit]
    if amount == "X":
        return f"every {name}" if every else f"some {name}s"
    number = float(amount)
    count = f"{number:g}"
    plural = name if number == 1 else ("centuries" if name == "century" else f"{name}s")
    if every:
        return f"every {name}" if number == 1 else f"every {count} {plural}"
    return f"{count} {plural}"


def humanise(value: str, timex_type: str = "DATE") -> str:
    """The value in words; a value this does not know is shown as it is."""
    try:
        return _humanise(value, timex_type)
    except (ValueError, KeyError, IndexError):  # a month 13 or the like: show it raw
        return value


def _humanise(value: str, timex_type: str) -> str:
    if value in REFERENCES:
        return REFERENCES[value]
    if m := _DAY.match(value):
        shown = _day(m[1], int(m[2]), int(m[3]))
        return f"{shown}, {_time_of_day(m[4])}" if m[4] else shown
    if m := _MONTH.match(value):
        month = MONTHS[int(m[2])]
        return month if m[1] == "XXXX" else f"{month} {m[1]}"
    if m := _WEEK.match(value):
        return f"{'weekend of ' if m[3] else ''}week {int(m[2])} of {m[1]}"
    if m := _QUARTER.match(value):
        period = _period(m[2])
        return period if m[1] == "XXXX" else f"{period} {m[1]}"
    if m := _WEEKDAY.match(value):
        weekday = calendar.day_name[int(m[1]) - 1]
        return f"every {weekday}" if timex_type == "SET" else weekday
    if m := _DURATION.match(value):
        return _duration(m[2], m[3], bool(m[1]), timex_type == "SET")
    if re.fullmatch(r"\d{4}", value):
        return value
    if re.fullmatch(r"\d{3}", value):
        return f"the {value}0s"
    if re.fullmatch(r"\d{2}", value):
        return f"the {int(value) + 1}th century"
    return value


def day_span(value: str) -> tuple[date, date] | None:
    """The first and last day a calendar value covers; None for durations, sets, references
    and values without a year."""
    try:
        return _day_span(value)
    except ValueError:
        return None


def _day_span(value: str) -> tuple[date, date] | None:
    if (m := _DAY.match(value)) and m[1] != "XXXX":
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if (m := _MONTH.match(value)) and m[1] != "XXXX":
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return (monday + timedelta(days=5) if m[3] else monday), monday + timedelta(days=6)
    if (m := _QUARTER.match(value)) and m[1] != "XXXX" and m[2][0] in "QH":
        year, part = int(m[1]), int(m[2][1])
        months = 3 if m[2][0] == "Q" else 6
        first = (part - 1) * months + 1
        last = first + months - 1
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), date(int(value), 12, 31)
    return None
