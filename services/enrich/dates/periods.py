"""Reporting periods: the quarter a company's results speak of, and that quarter a year before.

Earnings news names one quarter and then refers back to it: "the quarter", "the latest period",
"the year-earlier quarter", "a year ago". Each of these is the last quarter the text named (or,
before any, the last one completed), or that quarter one year earlier.
"""

from __future__ import annotations

import re

from services.enrich.dates.absolute import Rule, Value
from services.enrich.dates.calendar import Reference, quarter_of
from services.enrich.dates.lexicon import ORDINALS

_Q = r"(?:(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-])?(?:fiscal )?"
_YEAR_BEFORE = (
    r"(?:year-ago|year-earlier|year-before|prior-year|last year's|the previous year's|"
    r"previous year's|last-year)"
)
_ALIKE = r"(?:(?:comparable|corresponding|same|like) )?"


_NAMED = re.compile(r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th|final)\b|\bq[1-4]\b")
_BACK = re.compile(_YEAR_BEFORE + r"|year (?:ago|earlier|before)|last year")


def names_quarter(text: str) -> bool:
    """Whether an expression names its quarter ("the third quarter") rather than referring back
    to one ("the quarter", "the year-ago quarter"): only a named one becomes the text's period."""
    lowered = text.lower()
    return bool(_NAMED.search(lowered)) and not _BACK.search(lowered)


def _split(period: str) -> tuple[int, int]:
    year, _, quarter = period.partition("-Q")
    return int(year), int(quarter)


def _latest(ref: Reference) -> tuple[int, int] | None:
    """The quarter the text last named, else the last one completed before publication."""
    if ref.period is not None:
        return _split(ref.period)
    if ref.anchor is None:
        return None
    current = quarter_of(ref.anchor.month)
    return (ref.anchor.year, current - 1) if current > 1 else (ref.anchor.year - 1, 4)


def _value(year: int, quarter: int) -> Value:
    return "DATE", f"{year:04d}-Q{quarter}"


def _named_quarter(m: re.Match[str]) -> int | None:
    return ORDINALS.get(m["q"]) if m["q"] else None


def _this_quarter(m: re.Match[str], ref: Reference) -> Value | None:
    # "The current quarter" is the publication's whatever quarter the text last reported on.
    current = m["which"] in ("current", "the current")
    if current or (m["which"] == "this" and ref.period is None):
        if ref.anchor is None:
            return None
        return _value(ref.anchor.year, quarter_of(ref.anchor.month))
    latest = _latest(ref)
    return _value(*latest) if latest else None


def _year_before(m: re.Match[str], ref: Reference) -> Value | None:
    latest = _latest(ref) if m.groupdict().get("q") is None or not m["q"] else None
    named = _named_quarter(m) if m.groupdict().get("q") else None
    if named is not None and ref.period is not None:
        return _value(_split(ref.period)[0] - 1, named)
    if named is not None and ref.anchor is not None:
        return _value(ref.anchor.year - 1, named)
    if latest is None or (m.groupdict().get("bare") and ref.period is None):
        return None
    return _value(latest[0] - 1, latest[1])


def _year_ago(m: re.Match[str], ref: Reference) -> Value | None:
    """ "A year ago" next to a named quarter is that quarter a year before; otherwise a year."""
    if ref.period is None:
        return None
    year, quarter = _split(ref.period)
    return _value(year - 1, quarter)


def _given_year(m: re.Match[str], ref: Reference) -> Value | None:
    named = _named_quarter(m)
    if named is None:
        latest = _latest(ref)
        if latest is None:
            return None
        named = latest[1]
    return _value(int(m["year"]), named)


PERIOD_RULES: tuple[Rule, ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (
            r"(?P<which>the|this|that|current|the current|the latest|the most recent|"
            r"the just-ended|the just-completed|the same|latest) (?:fiscal )?quarter",
            _this_quarter,
        ),
        (r"(?P<which>the latest|the most recent) period", _this_quarter),
        (rf"(?:the )?{_ALIKE}{_YEAR_BEFORE} {_Q}(?:quarter|period)", _year_before),
        (rf"(?P<bare>{_YEAR_BEFORE})", _year_before),
        (
            r"(?:the )?(?:comparable|corresponding|same) (?:quarter|period)"
            r"(?: of| in)? (?:last year|a year (?:ago|earlier)|the previous year)",
            _year_before,
        ),
        (r"(?:a|one) year (?:ago|earlier|before)", _year_ago),
        (r"(?:the )?(?P<year>1\d{3}|20\d{2}) " + _Q + r"(?:quarter|period)", _given_year),
    )
)
