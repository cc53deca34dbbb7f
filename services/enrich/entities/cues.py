"""Contextual cues to an entity's label: the words around and inside a mention, no POS tags.

The small model's systematic news errors are local: a name after "Foreign Minister" is a person
whatever the model says, "eastern Aleppo" is a place, "news agency SANA" is an organisation. Each
cue is a label with a weight that votes alongside the model's own labels for the same name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Span

from services.enrich.entities.lexicon import words


class Cue(NamedTuple):
    label: str
    weight: float


STRONG = 3.0
MEDIUM = 2.0
DATELINE = Cue("GPE", 5.0)

# A role or form of address right before a name: "Foreign Minister Sergei Lavrov", "Mr Howard".
PERSON_TITLES = words("person_titles")
# A common noun naming the kind of organisation right before its name: "news agency SANA".
ORG_CONTEXT = words("org_context")
# Words inside a name that make it an organisation: "Syrian Observatory for Human Rights".
ORG_WORDS = words("org_words")
# Right before a place: "eastern Aleppo", "rebel-held Idlib", "near Mosul".
PLACE_ADJECTIVES = words("place_adjectives")
# A place noun then "of": "the city of Homs", "the neighbourhoods of Bustan al-Qasr".
PLACE_NOUNS = words("place_nouns")
# Weaker: a preposition of place; only trusted to correct nationality/religion labels.
PLACE_PREPOSITIONS = words("place_prepositions")
# Lower-case particles inside a personal name: "Staffan de Mistura", "Ursula von der Leyen".
NAME_PARTICLES = words("name_particles")
# Right after an organisation's name: "Ryanair CEO", "Boeing spokesman", "Apple shares".
ORG_FOLLOWERS = words("org_followers")
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "LANGUAGE"})

_LOWER_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][a-z]")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_CAPITALISED = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_DASHES = frozenset({"-", "–", "—", "(", ","})
APPOSITION_WINDOW = 6


_SENTENCE_ENDS = frozenset({".", "!", "?"})


def _word(doc: Doc, i: int) -> str:
    """The lower-case token at `i`, without a trailing dot; empty outside the doc."""
    return doc[i].lower_.rstrip(".") if 0 <= i < len(doc) else ""


def _has_org_word(span: Span) -> bool:
    return any(t.lower_ in ORG_WORDS for t in span[1:]) or span[-1].lower_ in ORG_WORDS


def _name_shaped(span: Span) -> bool:
    """Two to four capitalised words, possibly joined by name particles."""
    words = [t.text for t in span if t.lower_ not in NAME_PARTICLES]
    return 2 <= len(words) <= 4 and all(_CAPITALISED.match(w) for w in words)


def shape_cue(span: Span) -> Cue | None:
    """A cue from the mention's own words."""
    if _has_org_word(span):
        return Cue("ORG", STRONG)
    if any(_LOWER_CAMEL.match(t.text) for t in span):
        return Cue("PRODUCT", STRONG)
    inner = span[1:-1]
    if len(span) >= 3 and any(t.text in NAME_PARTICLES for t in inner) and _name_shaped(span):
        return Cue("PERSON", STRONG)
    if len(span) == 1 and _ACRONYM.match(span.text) and span.label_ == "PERSON":
        return Cue("ORG", MEDIUM)
    return None


def _apposition_role(doc: Doc, comma: int) -> bool:
    """A role word shortly before the comma, in the same sentence: "the UN envoy for Syria, <name>".

    Walks back to the sentence's end mark itself: a sentencizer would cost every article.
    """
    for i in range(comma - 1, max(-1, comma - 1 - APPOSITION_WINDOW), -1):
        if doc[i].text in _SENTENCE_ENDS:
            return False
        if _word(doc, i) in PERSON_TITLES:
            return True
    return False


def context_cue(doc: Doc, span: Span) -> Cue | None:
    """A cue from the words right before and after the mention."""
    before, before2 = _word(doc, span.start - 1), _word(doc, span.start - 2)
    after = _word(doc, span.end)
    based = (after == "-" and _word(doc, span.end + 1) == "based") or after.endswith("-based")
    # "London-based" is a place, "Intel-based" is not: only overrule non-organisations.
    if based and span.label_ != "ORG":
        return Cue("GPE", STRONG)
    follower = (
        after == "'s" and _word(doc, span.end + 1) in ORG_FOLLOWERS
    ) or after in ORG_FOLLOWERS
    if follower and span.label_ != "NORP":
        return Cue("ORG", MEDIUM)
    if before in PLACE_ADJECTIVES or before.endswith("-held"):
        return Cue("GPE", STRONG)
    if before == "of" and before2 in PLACE_NOUNS:
        return Cue("GPE", STRONG)
    if before in ORG_CONTEXT and doc[span.start - 1].is_lower:
        return Cue("ORG", STRONG)
    if before in PERSON_TITLES and not _has_org_word(span):
        return Cue("PERSON", STRONG)
    if (
        before == ","
        and _name_shaped(span)
        and not _has_org_word(span)
        and _apposition_role(doc, span.start - 1)
    ):
        return Cue("PERSON", MEDIUM)
    # "the airline, Ryanair": after the role test, so "the spokesman for the group, <name>" is
    # still a person.
    if before == "," and before2 in ORG_CONTEXT and doc[span.start - 2].is_lower:
        return Cue("ORG", STRONG)
    # "In Malawi, ..." is a place whatever the model says; "in Obama's speech" is not.
    place_word = span.label_ == "NORP" or (span.label_ == "PERSON" and len(span) == 1)
    if place_word and before in PLACE_PREPOSITIONS and after not in {"'s", "’s"}:
        return Cue("GPE", MEDIUM)
    return None


def dateline_cue(doc: Doc, span: Span) -> Cue | None:
    """An all-capitals place opening a line before "(Agency)" or a dash: a dateline."""
    line_start = span.start == 0 or "\n" in doc[span.start - 1].text_with_ws
    if line_start and span.text.isupper() and _word(doc, span.end) in _DASHES:
        return DATELINE
    return None


def find_cue(doc: Doc, span: Span) -> Cue | None:
    """The strongest local cue to the label of a name mention, if any."""
    return dateline_cue(doc, span) or shape_cue(span) or context_cue(doc, span)
