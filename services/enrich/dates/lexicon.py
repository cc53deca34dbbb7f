"""Words of time: month and weekday names, number words, units and TIMEX3 codes for them."""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
FULL_MONTHS = tuple(m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july"))

WEEKDAYS: dict[str, int] = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
}  # fmt: skip

NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5,
    "couple": 2, "dozen": 12, "thousand": 1000,
}  # fmt: skip
# Counts a reader cannot pin down become TIMEX3's X.
VAGUE_COUNTS = frozenset({"several", "few", "a few", "many", "some", "multiple", "numerous"})

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "final": 4,
}  # fmt: skip

# Unit name -> (TIMEX3 duration letter, is a clock unit, multiplier into that letter).
UNITS: dict[str, tuple[str, bool, int]] = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "fortnight": ("W", False, 2), "month": ("M", False, 1), "quarter": ("Q", False, 1),
    "year": ("Y", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}

PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
    "midday": "MI", "overnight": "NI",
}  # fmt: skip

SET_WORDS: dict[str, str] = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
    "monthly": "P1M", "quarterly": "P3M", "annual": "P1Y", "annually": "P1Y", "yearly": "P1Y",
    "biannual": "P6M", "semiannual": "P6M",
}  # fmt: skip

REFERENCE_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF",
    "presently": "PRESENT_REF", "at present": "PRESENT_REF", "ongoing": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "the time being": "PRESENT_REF",
    "the present": "PRESENT_REF", "present day": "PRESENT_REF", "right now": "PRESENT_REF",
    "recently": "PAST_REF", "more recently": "PAST_REF", "recent": "PAST_REF",
    "the past": "PAST_REF", "formerly": "PAST_REF", "previously": "PAST_REF",
    "once": "PAST_REF", "earlier": "PAST_REF", "lately": "PAST_REF",
    "the future": "FUTURE_REF", "soon": "FUTURE_REF", "very soon": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the long term": "FUTURE_REF", "the short term": "FUTURE_REF", "short-term": "FUTURE_REF",
    "long-term": "FUTURE_REF", "later": "FUTURE_REF", "shortly": "FUTURE_REF",
    "eventually": "FUTURE_REF",
}  # fmt: skip

HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year 's day": (1, 1), "new year's eve": (12, 31),
    "new year 's eve": (12, 31), "independence day": (7, 4), "halloween": (10, 31),
    "valentine's day": (2, 14), "valentine 's day": (2, 14),
}  # fmt: skip

# Days named by their place in a month: (month, ISO weekday, which one, days after it); -1 is
# the last. Black Friday is the day after US Thanksgiving, the fourth Thursday of November.
MOVABLE_DAYS: dict[str, tuple[int, int, int, int]] = {
    "thanksgiving": (11, 4, 4, 0), "thanksgiving day": (11, 4, 4, 0),
    "black friday": (11, 4, 4, 1), "small business saturday": (11, 4, 4, 2),
    "cyber monday": (11, 4, 4, 4), "giving tuesday": (11, 4, 4, 5),
    "memorial day": (5, 1, -1, 0), "labor day": (9, 1, 1, 0), "labour day": (9, 1, 1, 0),
    "martin luther king day": (1, 1, 3, 0), "presidents day": (2, 1, 3, 0),
    "presidents' day": (2, 1, 3, 0), "mother's day": (5, 7, 2, 0), "father's day": (6, 7, 3, 0),
}  # fmt: skip
# Words that make a weekday after them the name of a day, not that weekday: "Cyber Monday",
# "Good Friday". Those not in MOVABLE_DAYS are left without a value.
NAMED_DAY_WORDS = frozenset(
    {"black", "cyber", "good", "holy", "ash", "easter", "palm", "super", "bloody", "giving",
     "fat", "shrove", "maundy", "blue", "manic", "business", "whit", "orthodox"}
)  # fmt: skip


def alternation(words: object) -> str:
    """A regex alternation of the given words, longest first so prefixes do not win."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_UNITS_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS_WORDS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SPELLED_YEAR = re.compile(
    r"\b(?:(?P<century>eighteen|nineteen) (?:hundred (?:and )?)?"
    rf"(?:(?P<teen>{'|'.join(_TEENS_WORDS)})|(?P<tens>{'|'.join(_TENS_WORDS)})"
    rf"(?:[- ](?P<unit>{'|'.join(_UNITS_WORDS)}))?|oh[- ](?P<oh>{'|'.join(_UNITS_WORDS)}))"
    rf"|two thousand(?: and)?(?: (?P<later>{'|'.join(_UNITS_WORDS + _TEENS_WORDS)}))?)\b"
)


def _year_number(m: re.Match[str]) -> str:
    if not m["century"]:
        later = m["later"]
        words = _UNITS_WORDS + _TEENS_WORDS
        return str(2000 + (words.index(later) + 1 if later else 0))
    year = (18 if m["century"] == "eighteen" else 19) * 100
    if m["teen"]:
        year += 10 + _TEENS_WORDS.index(m["teen"])
    elif m["oh"]:
        year += _UNITS_WORDS.index(m["oh"]) + 1
    else:
        year += 20 + 10 * _TENS_WORDS.index(m["tens"])
        year += _UNITS_WORDS.index(m["unit"]) + 1 if m["unit"] else 0
    return str(year)


def spell_years_in_digits(text: str) -> str:
    """Years read out in words, as broadcast transcripts write them, in digits:
    "nineteen ninety-four" -> "1994", "the year two thousand" -> "the year 2000"."""
    if "nineteen" not in text and "eighteen" not in text and "thousand" not in text:
        return text
    return _SPELLED_YEAR.sub(_year_number, text)


_A_BEFORE_NOUN = re.compile(r"^an? (?=couple|dozen|hundred|thousand)")


def parse_count(words: str) -> float | None:
    """Read a count written in digits or words ("18", "two and a half", "twenty-five")."""
    words = words.strip().replace(",", "").replace("a half", "half").replace(" 1/2", ".5")
    # "a couple of", "a dozen", "a hundred": the article counts the noun, not one more.
    words = _A_BEFORE_NOUN.sub("", words).removesuffix(" of")
    if words in VAGUE_COUNTS:
        return None
    try:
        return float(words)
    except ValueError:
        pass
    total = 0.0
    for part in re.split(r"[\s-]+", words):
        if part in ("and", ""):
            continue
        if part not in NUMBER_WORDS:
            return None
        value = NUMBER_WORDS[part]
        total = (total or 1) * value if value in (100, 1000) else total + value
    return total or None
