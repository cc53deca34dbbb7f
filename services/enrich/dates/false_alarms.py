"""Matches that only look like dates: ages, shares, greetings, adjectives and names of events."""

from __future__ import annotations

import re

from services.enrich.dates.lexicon import NAMED_DAY_WORDS

Span = tuple[int, int]

_READING_TIME = re.compile(r"^\s*read\b", re.IGNORECASE)
# "a 6-year-old", "52 years old": ages are no durations.
_AGE = re.compile(r"[\s-]old\b|-olds?\b", re.IGNORECASE)
# "in his 30s", "their early twenties": an age, not a decade.
_AGE_DECADE = re.compile(
    r"(?:his|her|their|my|your|our|its) (?:(?:early|mid|late)[\s-])?(?:\d0s|[a-z]+ties)$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(r" (?!(?:and|or|to|in|on|at|by|for|since|through|until|from)\b)[a-z]")
_TERM_ADJECTIVES = frozenset({"short-term", "long-term", "near-term"})
_SHARE = re.compile(r"(?:^|\s)(?:a|one|three) quarters?$")
_FRACTION_OF = re.compile(r"\s?,?\s(?:of)\s(?!a century|the (?:year|century)\b)", re.IGNORECASE)
_GREETED = frozenset({"morning", "afternoon", "evening", "night"})
_SOON_CONNECTIVE = re.compile(r" as\b| after\b|-", re.IGNORECASE)
_WEEKDAY_NAME = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.IGNORECASE)
# A capitalised word or hyphenated compound: "Six-Day" of "the Six-Day War".
_TITLE_WORDS = re.compile(r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
_BARE_YEAR = re.compile(r"^\d{4}$")
_CAPITALISED = re.compile(r"[A-Z][A-Za-z]+")


def _word_before(text: str, start: int) -> str:
    """The word right before `start` on the same line, lower-cased."""
    before = text[max(0, start - 30) : start].split("\n")[-1].split()
    return before[-1].lower() if before else ""


def _names_a_day(text: str, start: int) -> bool:
    """A capitalised word before a weekday that makes it a named day: "Cyber Monday", "Good
    Friday"; in lower case it is an ordinary weekday ("at the close of business Thursday")."""
    before = text[max(0, start - 30) : start].split("\n")[-1].split()
    return bool(before) and before[-1][:1].isupper() and before[-1].lower() in NAMED_DAY_WORDS


def _names_something(text: str, start: int, end: int) -> bool:
    """A capitalised expression before another capitalised word, mid-sentence: the name of an
    event or a work ("the Six-Day War"), not a stretch of time."""
    if not _TITLE_WORDS.fullmatch(text[start:end]) or _BARE_YEAR.match(text[start:end]):
        return False
    before = text[max(0, start - 30) : start].split("\n")[-1].rstrip()
    after = text[end : end + 30].split("\n")[0].split()
    mid_sentence = bool(before) and before[-1] not in '.!?:"“'
    return mid_sentence and bool(after) and bool(_CAPITALISED.match(after[0]))


def is_false_alarm(text: str, span: Span) -> bool:
    """Reading times ("3 min read"), numbers in names ("Russell 2000 Index"), ages ("6-year-old"),
    named days that are not the weekday they end in ("Cyber Monday") and event names."""
    start, end = span
    if _READING_TIME.match(text[end : end + 8]):
        return True
    piece = text[start:end]
    if _AGE.match(text, end) or _AGE.search(piece):
        return True
    if _AGE_DECADE.search(text[max(0, start - 12) : end]):
        return True
    if _WEEKDAY_NAME.fullmatch(piece) and _names_a_day(text, start):
        return True
    lowered = piece.lower()
    if lowered in _TERM_ADJECTIVES and _NOUN_AFTER.match(text, end):
        return True  # "short-term debt": a kind of loan, not a reference to the future
    if lowered in _GREETED and _word_before(text, start) == "good":
        return True  # "Good evening from Havana": a greeting
    if _SHARE.search(lowered) and _FRACTION_OF.match(text, end):
        return True  # "about a quarter of its dealers": a share, not three months
    if lowered == "night" and _word_before(text, start) == "the":
        return True  # "the night the plane went down": named by its event, not a date
    if piece.lower() == "quarterly" and _NOUN_AFTER.match(text, end):
        return True  # "its quarterly dividend": a kind of report, not a recurrence
    if piece.lower() == "soon" and _SOON_CONNECTIVE.match(text, end):
        return True  # "as soon as", "soon after", "soon-to-open": a connective, not a time
    if _BARE_YEAR.match(piece):
        # Only within one line: "WWDC 2005\nJune 6" is a title over a dateline, not a name.
        before = text[max(0, start - 30) : start].split("\n")[-1].split()
        after = text[end : end + 30].split("\n")[0].split()
        named = bool(before and after and _CAPITALISED.fullmatch(before[-1]))
        return named and bool(_CAPITALISED.fullmatch(after[0]))
    return _names_something(text, start, end) and not _WEEKDAY_NAME.fullmatch(piece)
