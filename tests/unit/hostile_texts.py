"""Worst-case article texts for each kind of pattern enrichment runs over article text.

Each is about 10 kB and built to make a backtracking engine retry at every position: long runs
that almost match and then fail on their last character.
"""

from __future__ import annotations

SIZE = 10_000


def _fill(unit: str, tail: str = "") -> str:
    return unit * (SIZE // len(unit)) + tail


HOSTILE_TEXTS: dict[str, str] = {
    # A line of capitals ending in a lower-case letter: "is this line shouted?"
    "shouted line": "x\n" + _fill("A", "a"),
    "shouted words": "x\n" + _fill("AB ", "a"),
    # A capitals line that never reaches the dash of a dateline ("PARIS (AP) -").
    "dateline place": _fill("AB.", "\n"),
    "dateline agency": "PARIS" + _fill(" ", "x"),
    "dateline words": _fill("AB CD EF ", "x"),
    # A printed publication date ("23 September, 2016") with its separator stretched.
    "printed date": "1 january" + _fill(" ", "x"),
    "printed dates": _fill("1 jan , "),
    # The trigger patterns spaCy's dates are completed with.
    "trigger articles": _fill("the ", "x"),
    "trigger adjectives": _fill("recent several many ", "x"),
    "trigger clock": _fill("12:00 ", "x"),
    "trigger years": _fill("in 2009 ", "."),
    "trigger compounds": _fill("now-", "x"),
    # Expressions spaCy may read as one long date, which are then cut into readable pieces.
    "date list": _fill("June 9, Oct. 10 and "),
    "number run": _fill("1 "),
    "spaced date": "May" + _fill(" ", "and"),
    # Tense cues around every expression.
    "tense cues": _fill("was being planned to be held last year "),
    # Camel-case brand names ("iPhone") and model numbers ("Boeing 787").
    "camel case": "a" + _fill("B", "-"),
    "model numbers": _fill("Boeing 787-800s "),
    # Names the article repeats, searched in capitals lines too.
    "repeated names": "Sergei Lavrov met Apple.\n" + _fill("SERGEI LAVROV APPLE "),
    "name punctuation": _fill("Mr. A. B. C. 's "),
    # Scores after names ("Nicolas Jarry 6-4") and line breaks inside names.
    "scores": "Nicolas Jarry" + _fill(" 6-4 -", "x"),
    "broken names": _fill("Amazon\n\nSince "),
    # Years read out in words and reporting periods.
    "spoken years": _fill("nineteen ninety-four two thousand and "),
    "periods": _fill("the year-ago comparable quarter "),
}
