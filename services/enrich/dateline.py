"""The dateline: the publication date a news page prints near its top ("23 September, 2016")."""

from __future__ import annotations

import re
from datetime import date

from services.enrich.timex_lexicon import MONTHS

# A dateline sits within the first few lines, after the headline and a byline or reading time.
DATELINE_WINDOW = 600

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_SEP = r"\s*,?\s*"
DATELINE_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+{_MONTH}{_SEP}{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_SEP}{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)


def find_dateline(text: str) -> date | None:
    """Find the article's dateline ("23 September, 2016") near the start of the text."""
    head = text[:DATELINE_WINDOW]
    found: list[tuple[int, date]] = []
    for pattern in DATELINE_PATTERNS:
        for match in pattern.finditer(head):
            month = match["month"].lower().rstrip(".")
            month_number = int(month) if month.isdigit() else MONTHS[month]
            try:
                found.append(
                    (match.start(), date(int(match["year"]), month_number, int(match["day"])))
                )
            except ValueError:
                continue
    return min(found)[1] if found else None
