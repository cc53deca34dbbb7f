"""Normalise one temporal expression's text to its TIMEX3 type and value."""

from __future__ import annotations

import re

from services.enrich.dates.absolute import ABSOLUTE_RULES, Value
from services.enrich.dates.calendar import Reference
from services.enrich.dates.lexicon import spell_years_in_digits
from services.enrich.dates.periods import PERIOD_RULES
from services.enrich.dates.relative import RELATIVE_RULES

# Reporting periods first: "the year-ago quarter" is not a duration of one quarter.
RULES = PERIOD_RULES + ABSOLUTE_RULES + RELATIVE_RULES
_SPACES = re.compile(r"\s+")
# Tokenised sources write "March 06 , 2008" and "New Year 's"; read them like plain prose.
_SPACED_PUNCT = re.compile(r" (?=[,)]|'s\b)|(?<=\() ")
_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s$")
_SHORT_YEAR = re.compile(r"\W*'\d\d\b")  # "'82"
_EDGE_PUNCT = "`'\".,;:!?()[] "
_FIVE_DIGITS = re.compile(r"\d{5}")


def clean(text: str) -> str:
    """Lower-case, single-spaced text with tokeniser spacing and edge quotes removed."""
    text = _SPACED_PUNCT.sub("", _SPACES.sub(" ", text.lower()))
    text = _POSSESSIVE.sub("", text)  # "last month's" explosion
    tail = _EDGE_PUNCT[:3] if text.endswith(".m.") else _EDGE_PUNCT
    head = _EDGE_PUNCT.replace("'", "") if _SHORT_YEAR.match(text) else _EDGE_PUNCT
    return text.rstrip(tail).lstrip(head)


def _in_calendar(value: str) -> bool:
    """Whether a value's year, if it has one, is one a date can hold (1 to 9999)."""
    return not (_FIVE_DIGITS.match(value) or value.startswith("0000"))


def normalise(text: str, ref: Reference) -> Value | None:
    """The (type, value) of a temporal expression, or None when it is not one we can read.

    An expression that resolves outside the calendar ("tomorrow" on 9999-12-31) has no value.
    """
    phrase = spell_years_in_digits(clean(text))
    for pattern, handler in RULES:
        match = pattern.fullmatch(phrase)
        if match:
            try:
                value = handler(match, ref)
            except (OverflowError, ValueError):
                return None  # the calendar ends before the expression does
            if value is not None:
                return value if _in_calendar(value[1]) else None
    return None
