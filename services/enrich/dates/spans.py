"""Where the temporal expressions are: spaCy's DATE/TIME spans and our own patterns, trimmed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import numpy as np
import re2
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc

from services.enrich.dates.false_alarms import is_false_alarm
from services.enrich.dates.lexicon import (
    MOVABLE_DAYS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    REFERENCE_WORDS,
    SET_WORDS,
    UNITS,
)
from services.enrich.dates.lexicon import alternation as alt

Span = tuple[int, int]
Readable = Callable[[str], bool]

SPACY_LABELS = ("DATE", "TIME")
BEGIN = 3  # spaCy's ENT_IOB code for the first token of an entity

# A bare number is a year only where a preposition asks for a time: "from 2009 to 2011".
_YEAR_AFTER_PREPOSITION = (
    r"\b(?:in|since|from|to|until|by|before|after|between|through|and) "
    r"(?P<year>(?:1[89]|20)\d{2})\b"
)
# What makes such a number an amount after all: "in 2009.5", "to 2000 %", "by 1900 points".
_AMOUNT_AFTER = re.compile(r"[.,]\d| ?%| points")
# Adverbs too often not temporal ("once"), or rarely annotated, to find on our own.
_UNTRIGGERED = {
    "once",
    "earlier",
    "ongoing",
    "formerly",
    "previously",
    "eventually",
    "shortly",
    "lately",
    # An adjective: "long-term debt" is no reference to the future.
    "long-term",
}
# What spaCy misses: vague references, clock times, set adverbs, "N-year" adjectives.
_TRIGGERS = (
    rf"\b(?:(?P<ref>(?:the |very |more |in the )?(?:{alt(set(REFERENCE_WORDS) - _UNTRIGGERED)}))"
    rf"|(?:{alt(set(SET_WORDS) - {'quarterly'})})"  # "quarterly results" are no set
    rf"|today|tomorrow|yesterday|tonight|(?:{alt(MOVABLE_DAYS)})"
    r"|(?:every|each) (?:day|week|month|year|morning|night)|a year|year[- ]end|year's end"
    r"|(?:earlier|later|early|late) in the (?:day|week|month|year)"
    r"|(?:(?:early|late) )?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?(?:\s?(?:utc|gmt))?|\d{4}\s?(?:utc|gmt)"
    r"|\d{1,2}\s?[ap]\.m\."
    r"|\d{1,2}/\d{1,2}/\d{2,4}"
    rf"|(?:\d+|single|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)-"
    rf"(?:{alt(UNITS)})"
    r"|(?:the |recent |several |many )*(?:minutes|hours|days|weeks|months|years|decades)"
    rf"|(?:{alt(PARTS_OF_DAY)})"
    r"|spring|summer|autumn|winter"
    # spaCy reads "the Aug. 7 bombings" as an event; the date inside is still a date.
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\. \d{1,2}"
    r"|the (?:(?:early|late|mid)[\s-])?(?:twen|thir|for|fif|six|seven|eigh|nine)ties"
    # Reporting periods the model leaves half-read: "the year-ago quarter", "the 1988 period".
    r"|(?:the )?(?:(?:comparable|corresponding|same|latest|most recent|year-ago|year-earlier|"
    r"prior-year|(?:19|20)\d\d) )+(?:(?:first|second|third|fourth)[\s-])?(?:fiscal )?"
    r"(?:quarter|period)|year-ago|year-earlier"
    r"|(?:the )?(?:current |latest |previous |prior )?fiscal year|the current (?:year|quarter)"
    r")\b"
)
# Text patterns run on RE2, whose time is linear in the text whatever it holds; RE2 has no
# lookaround, so what followed a match is checked in code. The patterns are written in lower
# case and searched in lower-cased text: ignoring case costs the engine more.
_LOWER_CASE_PATTERNS = [re2.compile(p) for p in (_YEAR_AFTER_PREPOSITION, _TRIGGERS)]
# Lower-casing moves the offsets of a text with a letter like "İ" ("i" + a dot): such a text is
# searched as it is, ignoring case.
_CASELESS_PATTERNS = [re2.compile("(?i)" + p) for p in (_YEAR_AFTER_PREPOSITION, _TRIGGERS)]
# Words at an edge that TimeML leaves outside the expression.
_LEADING = re.compile(
    r"^(?:on|in|at|since|by|until|till|from|between|during|for|of|to|as of|within|just|only|"
    r"more than|"
    r"less than|and|or|but|before|after|,)\s+",
    re.IGNORECASE,
)
# From the start of a run of spaces only: from every space of a long run, searching is quadratic.
_TRAILING = re.compile(r"(?<!\s)\s+(?:and|or|to|,|'s)$", re.IGNORECASE)
_PIECES = re.compile(r"\n|\s,\s(?=\D)|,\s(?=\D)|\s(?:and|to|-+|through)\s")
_JOINABLE_GAP = re.compile(r"[ ,]{0,3}|\s(?:on|of)\s")
# Words on the same line and clause: no sentence punctuation or line break in between.
_WORD_BEFORE = re.compile(r"(?<![^ ])[\w'`-]+(?=(?: [\w'`-]+)* $)")
LEFT_WORDS = 5
_BARE_UNITS = frozenset({*UNITS, *(f"{unit}s" for unit in UNITS)})
# The most words a temporal expression spans ("the very beginning of the financial year").
MAX_WORDS = 8
# The last word before a span that may make it a longer expression ("this" year, "a half" years).
_MODIFIERS = frozenset(
    {"this", "last", "next", "that", "the", "same", "entire", "whole", "past", "previous",
     "coming", "following", "early", "late", "mid", "earlier", "later", "almost", "nearly",
     "over", "about", "around", "some", "several", "few", "and", "straight", "consecutive",
     "recent", "every", "each", "per", "future", "upcoming", "more"}
)  # fmt: skip
_FRACTION = re.compile(r"\d+/\d+")  # "5 1/2" + "hours"


def entity_spans(doc: Doc) -> Iterator[Span]:
    """spaCy's DATE/TIME entities, read from the token array: `doc.ents` builds every token."""
    labels = [doc.vocab.strings[label] for label in SPACY_LABELS]
    table = doc.to_array([ENT_IOB, ENT_TYPE])
    begin = last = -1
    # Two comparisons: np.isin's set machinery costs more than the rest of this function.
    wanted = np.logical_or.reduce([table[:, 1] == label for label in labels])
    for i in np.flatnonzero(wanted).tolist():
        if begin >= 0 and (i != last + 1 or table[i, 0] == BEGIN):
            yield doc[begin].idx, doc[last].idx + len(doc[last])
            begin = -1
        if begin < 0:
            begin = i
        last = i
    if begin >= 0:
        yield doc[begin].idx, doc[last].idx + len(doc[last])


def candidate_spans(doc: Doc, text: str) -> Iterator[Span]:
    """Raw spans: spaCy's DATE/TIME entities and matches of our own trigger patterns."""
    yield from entity_spans(doc)
    lowered = text.lower()
    if len(lowered) == len(text):
        years, triggers = _LOWER_CASE_PATTERNS
    else:
        lowered = text
        years, triggers = _CASELESS_PATTERNS
    for match in years.finditer(lowered):
        if not _AMOUNT_AFTER.match(lowered, match.end()):
            yield match.span(1)
    for match in triggers.finditer(lowered):
        # "now-defunct", "recent-model": a reference word in a compound is no reference.
        if not (match.group("ref") and lowered[match.end() : match.end() + 1] == "-"):
            yield match.start(), match.end()


def trim(text: str, span: Span) -> Span:
    """Drop prepositions and conjunctions at the span's edges."""
    start, end = span
    while True:
        piece = text[start:end]
        lead = _LEADING.match(piece)
        tail = _TRAILING.search(piece)
        if not lead and not tail:
            return start, end
        start += lead.end() if lead else 0
        end -= len(tail.group()) if tail else 0


def refine(text: str, span: Span, readable: Readable) -> list[Span]:
    """The readable expressions inside a raw span, split at line breaks and list separators."""
    start, end = trim(text, span)
    if start < end and readable(text[start:end]):
        return [(start, end)]
    pieces: list[Span] = []
    cursor = start
    for sep in [*_PIECES.finditer(text, start, end), None]:
        stop = sep.start() if sep else end
        piece = trim(text, (cursor, stop))
        if piece[0] < piece[1] and readable(text[piece[0] : piece[1]]):
            pieces.append(piece)
        elif sep is None and not pieces:
            pieces.extend(shrink(text, piece, readable))
        cursor = sep.end() if sep else end
    return pieces


def shrink(text: str, span: Span, readable: Readable) -> list[Span]:
    """The readable runs of words inside a span, leftmost and longest first: "their best week"
    -> "week", "the quarter ended Sept. 30" -> "the quarter", "Sept. 30"."""
    words = [m.span() for m in re.finditer(r"\S+", text[span[0] : span[1]])]
    found: list[Span] = []
    i = 0
    while i < len(words):
        # No expression runs longer: without a bound a long span would cost its length squared.
        for size in range(min(len(words) - i, MAX_WORDS), 0, -1):
            start, end = span[0] + words[i][0], span[0] + words[i + size - 1][1]
            if readable(text[start:end]):
                found.append((start, end))
                i += size
                break
        else:
            i += 1
    if len(found) > 1:  # a bare unit beside an expression is a word of the phrase: "a second day"
        found = [f for f in found if text[f[0] : f[1]].lower() not in _BARE_UNITS] or found
    return found


def extend_left(text: str, span: Span, readable: Readable) -> Span:
    """Take in the modifiers spaCy left out: "this" + "year", "almost two and a half" + "years"."""
    start, end = span
    head = text[max(0, start - 40) : start]
    last = head.rsplit(None, 1)[-1].lower() if head.strip() and head.endswith(" ") else ""
    if last not in _MODIFIERS and last not in NUMBER_WORDS and not _FRACTION.fullmatch(last):
        return span  # most spans have no modifier before them; skip the search
    words = [m.start() for m in _WORD_BEFORE.finditer(head)][-LEFT_WORDS:]
    for offset in words:  # earliest first, so the longest readable extension wins
        begin = start - len(head) + offset
        if readable(text[begin:end]):
            return begin, end
    return span


_POINTING = re.compile(r" (?:ago|earlier|from now)\b", re.IGNORECASE)


def extend_right(text: str, span: Span, readable: Readable) -> Span:
    """Take in the word spaCy left out that turns a stretch into a point: "four years" + "ago"."""
    start, end = span
    after = _POINTING.match(text, end)
    if after is not None and readable(text[start : after.end()]):
        return start, after.end()
    return span


def merge_neighbours(text: str, spans: list[Span], readable: Readable) -> list[Span]:
    """Join touching spans that read as one ("23 September" + ", 2016", "Thursday" + "night")."""
    merged: list[Span] = []
    for span in spans:
        if merged:
            prev = merged[-1]
            gap = text[prev[1] : span[0]]
            if _JOINABLE_GAP.fullmatch(gap) and readable(text[prev[0] : span[1]]):
                merged[-1] = (prev[0], span[1])
                continue
        merged.append(span)
    return merged


def find_spans(doc: Doc, text: str, readable: Readable) -> list[Span]:
    """Non-overlapping spans of readable temporal expressions in `doc`, whose text is `text`.

    The text is passed in because `doc.text` rebuilds the string from every token.
    """
    refined = {
        extend_right(text, extend_left(text, piece, readable), readable)
        for span in candidate_spans(doc, text)
        for piece in refine(text, span, readable)
        if not is_false_alarm(text, piece)
    }
    chosen: list[Span] = []
    # Longest first, so "the first quarter of 2009" beats the "2009" inside it.
    for span in sorted(refined, key=lambda s: (s[0] - s[1], s[0])):
        if all(span[1] <= c[0] or c[1] <= span[0] for c in chosen):
            chosen.append(span)
    return merge_neighbours(text, sorted(chosen), readable)
