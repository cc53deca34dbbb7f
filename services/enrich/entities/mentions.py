"""Entity mentions with the local evidence for their label: the model's guess and any cue.

Each mention starts with one vote for the model's label; a known entity or a contextual cue adds
weight for its own label. Mentions in all-capitals lines vote weakly: without case the model
guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import re2
from spacy.tokens import Doc, Span

from services.enrich.entities.cues import (
    DATELINE,
    MEDIUM,
    NAME_LABELS,
    PERSON_TITLES,
    Cue,
    find_cue,
)
from services.enrich.entities.lexicon import words
from shared.entity_names import (
    CACHE_SIZE,
    entity_key,
    known_entity,
    strip_honorifics,
    tidy_name,
)

KNOWN_WEIGHT = 10.0
# A mention in an all-capitals line is the model guessing without its main cue.
SHOUTED_WEIGHT = 0.25
COORDINATORS = frozenset({"and", "or", ","})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Codes the model takes for organisations: time zones and currencies are not names.
NOT_NAMES = words("not_names")
# Ministers' portfolios the model reads as organisations: "Secretary of State".
PORTFOLIOS = words("portfolios")
# Two runs of capitals on a line without a lower-case letter. RE2 runs in linear time: Python's
# engine backtracks polynomially on a long line of capitals that ends in a lower-case letter.
_SHOUTED_LINE = re2.compile(r"(?m)^[^a-z\n]*[A-Z]{2,}[^a-z\n]*[A-Z]{2,}[^a-z\n]*$")


@dataclass
class Mention:
    """One entity mention and what the article-level vote decided for it."""

    span: Span
    label: str
    key: str
    shouted: bool = False
    votes: dict[str, float] = field(default_factory=dict)
    cue: Cue | None = None
    # Read once: a Span computes its text and offsets from the doc on every access.
    text: str = field(init=False)
    start_char: int = field(init=False)
    end_char: int = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.span.text
        self.start_char = self.span.start_char
        self.end_char = self.span.end_char


def shouted_ranges(text: str) -> list[tuple[int, int]]:
    """The character ranges of lines written in capitals (wire headlines, datelines)."""
    return [(m.start(), m.end()) for m in _SHOUTED_LINE.finditer(text)]


def _inside(start: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= start < hi for lo, hi in ranges)


@lru_cache(maxsize=CACHE_SIZE)
def mention_key(surface: str, label: str) -> str:
    """The grouping key of a mention; a person's key ignores "Mr" or "President"."""
    name = tidy_name(surface)
    return entity_key(strip_honorifics(name) if label == "PERSON" else name)


def is_name(doc: Doc, span: Span) -> bool:
    """Whether a name-labelled span can be a name: capitalised somewhere, not a code.

    "State" in "Secretary of State" is part of a title, not an organisation.
    """
    text = span.text
    if text in NOT_NAMES or not any(c.isupper() or c.isdigit() for c in text):
        return False
    start = span.start
    in_title = text in PORTFOLIOS and start >= 2 and doc[start - 1].lower_ == "of"
    return not (in_title and doc[start - 2].lower_ in PERSON_TITLES)


def _local_cue(doc: Doc, span: Span) -> Cue | None:
    known = known_entity(tidy_name(span.text))
    if known is not None:
        return Cue(known.label, KNOWN_WEIGHT)
    return find_cue(doc, span)


def _coordinated(doc: Doc, previous: Mention, span: Span) -> bool:
    """`span` follows `previous` across a bare "and", "or" or comma: "Bustan al-Qasr and X"."""
    return previous.span.end + 1 == span.start and doc[previous.span.end].lower_ in COORDINATORS


def _inherited_cue(doc: Doc, previous: Mention | None, span: Span) -> Cue | None:
    """A list shares its kind: "the neighbourhoods of Bustan al-Qasr and Al-Kalasseh"."""
    if previous is None or previous.cue is None or not _coordinated(doc, previous, span):
        return None
    cue = previous.cue
    if cue.label in PLACE_LABELS and cue.weight < KNOWN_WEIGHT:
        return Cue(cue.label, MEDIUM)
    return None


def collect_mentions(doc: Doc, text: str, spans: list[Span]) -> list[Mention]:
    """Mentions with their local votes; numbers and money keep the model's label."""
    shouted = shouted_ranges(text)
    mentions: list[Mention] = []
    for span in spans:
        name_like = span.label_ in NAME_LABELS
        if name_like and not is_name(doc, span):
            continue
        loud = bool(shouted) and _inside(span.start_char, shouted)
        votes = {span.label_: SHOUTED_WEIGHT if loud else 1.0}
        cue = None
        if name_like:
            cue = _local_cue(doc, span) or _inherited_cue(
                doc, mentions[-1] if mentions else None, span
            )
        if cue is not None:
            votes[cue.label] = votes.get(cue.label, 0.0) + cue.weight
            # A dateline is written in capitals like a shouted headline: named from the body.
            loud = loud or cue == DATELINE
        label = max(votes, key=votes.__getitem__)
        mentions.append(Mention(span, label, mention_key(span.text, label), loud, votes, cue))
    return mentions
