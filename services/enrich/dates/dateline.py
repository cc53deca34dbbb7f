"""The dateline: the publication date a news page prints near its top ("23 September, 2016")."""

from __future__ import annotations

from datetime import date

import re2

from services.enrich.dates.lexicon import MONTHS

# A dateline sits within the first few lines, after the headline and a byline or reading time.
DATELINE_WINDOW = 600

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_SEP = r"\s*,?\s*"
_SOURCES = (
    rf"\b{_DAY}\s+{_MONTH}{_SEP}{_YEAR}\b",
    rf"\b{_MONTH}\s+{_DAY}{_SEP}{_YEAR}\b",
    r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b",
)
# On RE2, linear in the text: Python's engine is quadratic on a long run of spaces in `_SEP`.
# Written in lower case and searched in the lower-cased head.
DATELINE_PATTERNS = tuple(re2.compile(source) for source in _SOURCES)
# Lower-casing moves the offsets of a text with a letter like "İ" ("i" + a dot): such a head is
# searched as it is, ignoring case.
_CASELESS_PATTERNS = tuple(re2.compile("(?i)" + source) for source in _SOURCES)


def find_dateline(text: str) -> date | None:
    """Find the article's dateline ("23 September, 2016") near the start of the text."""
    head = text[:DATELINE_WINDOW]
    lowered = head.lower()
    patterns = DATELINE_PATTERNS
    if len(lowered) != len(head):
        lowered, patterns = head, _CASELESS_PATTERNS
    found: list[tuple[int, date]] = []
    for pattern in patterns:
        for match in pattern.finditer(lowered):
            month = match["month"].lower().rstrip(".")
            month_number = int(month) if month.isdigit() else MONTHS[month]
            try:
                found.append(
                    (match.start(), date(int(match["year"]), month_number, int(match["day"])))
                )
            except ValueError:
                continue
    return min(found)[1] if found else None
