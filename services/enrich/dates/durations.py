"""TIMEX3 values of stretches of time ("three months") and recurrences ("every week")."""

from __future__ import annotations

import re

from services.enrich.dates.absolute import Value
from services.enrich.dates.calendar import Reference
from services.enrich.dates.lexicon import SET_WORDS, UNITS, WEEKDAYS, parse_count
from services.enrich.dates.lexicon import alternation as alt

UNIT = rf"(?P<unit>{alt(UNITS)})(?:s|es)?"
COUNT = (
    r"(?P<count>(?:\d+(?:\.\d+)?|a few|a couple of|couple of|a (?:hundred|thousand|dozen)|a|an|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|several|few|many|some|single|half|couple|"
    r"dozen)"
    # Compounds only as written: "twenty-five", "two and a half", "2 1/2" (not "a five-year").
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine)|\sand\s(?:a )?half| 1/2)?)"
)
APPROX = (
    r"(?:(?:about|around|nearly|almost|over|more than|less than|under|at least|just|up to|"
    r"roughly|approximately|some|only|the past|the last|the next|the previous|the first|"
    r"the coming|the following|another|an additional|a further) )?"
)


def duration_value(count: float | None, unit: str) -> str:
    """A TIMEX3 duration ("P3M", "PT2H", "PXY") for a count of units."""
    letter, clock, times = UNITS[unit]
    if count is None:
        # "For decades" is some years: TimeBank and MEANTIME both write PXY, not TIMEX3's PXDE.
        amount = "X"
    else:
        total = count * times
        amount = str(int(total)) if total == int(total) else f"{total:g}"
    return f"P{'T' if clock else ''}{amount}{letter}"


def read_duration(m: re.Match[str], ref: Reference) -> Value | None:
    raw = m.groupdict().get("count")
    count = parse_count(raw) if raw else None
    bare = raw is None and not m.group(0).endswith("s")
    if m["unit"] == "second" and (raw in ("a", "an") or bare):
        return None  # "a second attempt", "the second day": an ordinal
    if m.group(0) == "the night":
        return None  # "the night the plane went down": a time named by an event, no stretch
    if raw is None and not m.group(0).endswith("s"):
        count = 1  # "the past decade", "a day"
    return "DURATION", duration_value(count, m["unit"])


def read_ahead(m: re.Match[str], ref: Reference) -> Value | None:
    return "DATE", "FUTURE_REF"  # "in coming months": some time ahead, not a stretch of months


def read_set(m: re.Match[str], ref: Reference) -> Value | None:
    if m["word"]:
        return "SET", SET_WORDS[m["word"]]
    if m["weekday"]:
        return "SET", f"XXXX-WXX-{WEEKDAYS[m['weekday']]}"
    if m["unit"] == "second":
        return None  # "a second attempt" is an ordinal
    return "SET", duration_value(float(m["n"] or 1), m["unit"])
