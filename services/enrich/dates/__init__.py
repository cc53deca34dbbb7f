"""TIMEX3 dates of an article: find temporal expressions and resolve them against its date."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc

from services.enrich.dates.calendar import Reference, Tense
from services.enrich.dates.dateline import find_dateline
from services.enrich.dates.periods import names_quarter
from services.enrich.dates.spans import find_spans
from services.enrich.dates.tense import clause_tense, plainly_future
from services.enrich.dates.values import normalise
from shared.models import DateMention

__all__ = ["extract_dates", "find_dateline"]

# The clause around an expression ends at a sentence end or line break; finding that in the text
# is far cheaper than walking `doc.sents`, which builds every token.
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
CONTEXT = 120

# Spans are chosen before values are resolved; any fixed reference tells readable from not.
_PROBE = Reference(
    anchor=date(2000, 6, 15), focus=None, tense=None, period="2000-Q1", month="2000-03"
)
_MONTH = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_QUARTER = re.compile(r"\d{4}-Q[1-4]")
# A year that ends on a given day is a stretch of time (a fiscal year), not the calendar year.
_YEAR_ENDED = re.compile(r"\s+(?:ended|ending|that ended|which ended)\b")
_A_YEAR = re.compile(r"(?:the|its|a) (?:fiscal )?year", re.IGNORECASE)
_SOONEST = re.compile(r"\bas (?:soon|early) as $", re.IGNORECASE)
# "Until Thursday, they had not called him a suspect": a limit already reached.
_HAD_DONE = re.compile(r"^,?(?: [\w'-]+){0,3} had\b", re.IGNORECASE)
_SOMEDAY = re.compile(r"one day", re.IGNORECASE)
_MODAL_BEFORE = re.compile(r"\b(?:will|would|could|may|might|can|should)\s+$", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)


# No temporal expression is longer; the bound keeps the rules' cost per span constant.
MAX_EXPRESSION = 80


@lru_cache(maxsize=4096)
def _readable(text: str) -> bool:
    return len(text) <= MAX_EXPRESSION and normalise(text, _PROBE) is not None


# A date after these words is a deadline ahead whatever the clause's tense: "said the bridge
# would be finished by January", "closed until Friday", "effective Feb. 1".
DEADLINE_WORDS = frozenset({"by", "until", "till", "through", "effective"})


def _word_before(before: str) -> str:
    words = before[-12:].split()
    return words[-1].lower() if words and before[-1:].isspace() else ""


def _clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the expression's sentence before and after it, within a short window."""
    before = text[max(0, start - CONTEXT) : start]
    cuts = [m.end() for m in _SENTENCE_END.finditer(before)]
    after = text[end : end + CONTEXT]
    stop = _SENTENCE_END.search(after)
    return before[cuts[-1] :] if cuts else before, after[: stop.start()] if stop else after


def _ended(quarter: str, published: date | None) -> bool:
    """Whether a quarter ("1989-Q3") was over by publication."""
    if published is None:
        return True
    year, number = int(quarter[:4]), int(quarter[-1])
    return (year, number) < (published.year, (published.month - 1) // 3 + 1)


def extract_dates(doc: Doc, published: date | None, text: str | None = None) -> list[DateMention]:
    """Find temporal expressions in `doc` and normalise them against `published`.

    `text` is `doc.text` when the caller has it: spaCy rebuilds that string on every access.
    """
    text = doc.text if text is None else text
    focus = published
    topic_year: int | None = None
    period: str | None = None
    month: str | None = None
    mentions: list[DateMention] = []
    for start, end in find_spans(doc, text, _readable):
        before, after = _clause_around(text, start, end)
        deadline = _word_before(before) in DEADLINE_WORDS
        reached = deadline and _HAD_DONE.match(after) is not None
        forward = (deadline and not reached) or _SOONEST.search(before) is not None
        tense: Tense | None = "future" if forward else clause_tense(before, after)
        tense = "past" if reached else tense
        if tense == "future" and not forward and _WEEKDAY.fullmatch(text[start:end]):
            tense = "future" if plainly_future(before, after) else "past"
        reference = Reference(published, focus, tense, topic_year, period, month)
        found = normalise(text[start:end], reference)
        if found is None:
            continue
        kind, value = found
        if _SOMEDAY.fullmatch(text[start:end]) and _MODAL_BEFORE.search(before):
            kind, value = "DATE", "FUTURE_REF"  # "Islam will one day be": some day ahead
        if _YEAR_ENDED.match(after) and _A_YEAR.fullmatch(text[start:end]):
            kind, value = "DURATION", "P1Y"  # "the year ended March 31": a fiscal year's length
        if kind == "DATE" and len(value) == 10 and value[:4].isdigit() and "X" not in value:
            focus = date.fromisoformat(value)
        if kind == "DATE" and _MONTH.fullmatch(value):
            month = value[:7]
        if _QUARTER.fullmatch(value) and names_quarter(text[start:end]):
            # Results speak of a finished quarter: "the fourth-quarter outlook" in November
            # does not make "the latest quarter" the one still running.
            # A fiscal quarter "ended Sept. 30" is over whatever its number.
            over = _ended(value, published) or _YEAR_ENDED.match(after) is not None
            period = value if over else period
        if value[:4].isdigit() and value[:4] in text[start:end]:
            topic_year = int(value[:4])
        mentions.append(
            DateMention(text=text[start:end], type=kind, value=value, start=start, end=end)
        )
    return mentions
