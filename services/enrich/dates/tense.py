"""The direction (past or future) of the clause around a temporal expression, from words alone."""

from __future__ import annotations

import re
from collections.abc import Iterator

from services.enrich.dates.calendar import Tense

# Without a tagger, tense comes from auxiliaries and past-tense forms; future cues are checked
# on the same footing, and the cue nearest the expression wins.
_FUTURE = (
    # A modal or "to be" takes the participle after it, so "will be finalized" is not past.
    r"(?:will|'ll|wo n't|won't|shall|should|may|might|could|would|to)(?: not)?"
    r"(?: be| have been)? (?:[a-z]+ed|held|made|done|given|taken|built|sold|seen|paid|sent|"
    r"put|set|cut|met|kept|left|brought|bought|won|lost|found|told|shown|known|begun|run)|"
    r"(?:is|are|was|were|has been|have been|had been) (?:scheduled|planned|set|expected|due)|"
    r"will|'ll|wo n't|won't|shall|should|is to|are to|was to|to be|going to|set to|"
    r"scheduled|schedule|ahead of|"
    r"plans? to|planned|expected|expects?|due|next|until|till|upcoming|coming|later|would|"
    r"intends? to|aims? to|hopes? to|to begin|to start|to meet|to remain|to visit|to hold|"
    r"to take|to open|to launch|to release|to go"
)
_PAST = (
    # A participle after "be"/"been" belongs to the auxiliary before it, not to the past.
    r"(?<!be )(?<!been )(?:"
    r"was|were|had|did|has been|have been|said|says|told|ago|last|earlier|came|fell|rose|"
    r"began|won|lost|saw|met|gave|went|took|made|held|sold|hit|led|left|became|broke|"
    r"brought|bought|sought|thought|caught|sent|spent|built|paid|kept|found|felt|knew|grew|"
    r"wrote|spoke|chose|stood|fought|struck|shot|ran|rang|drove|flew|fled|got|"
    r"[a-z]{3,}ed)"
)
_SOURCE = rf"\b(?:(?P<future>{_FUTURE})|(?P<past>{_PAST}))\b"
# Written in lower case and searched in lower-cased text: with re.IGNORECASE the engine tries
# every cue at every word, at over twice the cost.
_CUES = re.compile(_SOURCE)
# Lower-casing a letter like "İ" adds a character ("i" + a dot), which may move a word boundary:
# such text is searched as it is, ignoring case.
_CASELESS_CUES = re.compile(_SOURCE, re.IGNORECASE)
_NAMES = re.compile(r"(?<=[\w,;] )[A-Z][\w'-]*")
# Only the near context speaks for the expression; a long sentence can switch tense.
WINDOW = 80


def clause_tense(before: str, after: str) -> Tense | None:
    """The tense nearest the expression: the last cue before it, else the first after it."""
    last: Tense | None = None
    for match in _find_cues(before[-WINDOW:]):
        last = "future" if match["future"] else "past"
    if last is not None:
        return last
    first = next(_find_cues(after[:WINDOW]), None)
    if first:
        return "future" if first["future"] else "past"
    return None


def _find_cues(text: str) -> Iterator[re.Match[str]]:
    # A capitalised word inside a clause is a name, not a verb: "the United States".
    text = _NAMES.sub("X", text)
    lowered = text.lower()
    if len(lowered) == len(text):
        return _CUES.finditer(lowered)
    return _CASELESS_CUES.finditer(text)


# News reports what happened: a weekday is this week's past one unless the clause plainly
# speaks of the future; "would", "could" or "expected" in reported speech are not enough.
_PLAIN_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|going to|is to|are to|scheduled|set to|next|upcoming|due to|"
    r"plans? to|planned to|planning to|planned an?|until|till|this coming|as early as|"
    # "would be traveling Thursday": the future of reported speech, still ahead of the report.
    r"as soon as|would be [a-z]+ing)\b"
)


def plainly_future(before: str, after: str) -> bool:
    """Whether the near context of an expression speaks plainly of the future."""
    return bool(_PLAIN_FUTURE.search(before[-WINDOW:].lower() + " " + after[:WINDOW].lower()))
