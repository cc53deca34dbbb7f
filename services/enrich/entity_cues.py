"""Contextual cues to an entity's label: the words around and inside a mention, no POS tags.

The small model's systematic news errors are local: a name after "Foreign Minister" is a person
whatever the model says, "eastern Aleppo" is a place, "news agency SANA" is an organisation. Each
cue is a label with a weight that votes alongside the model's own labels for the same name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Span


class Cue(NamedTuple):
    label: str
    weight: float


STRONG = 3.0
MEDIUM = 2.0

# A role or form of address right before a name: "Foreign Minister Sergei Lavrov", "Mr Howard".
PERSON_TITLES = frozenset(
    """mr mrs ms miss dr sir dame lord lady prof professor president vice-president senator sen rep
    representative congressman congresswoman gov governor gen general judge justice king queen
    prince princess pope sheikh minister secretary chancellor mayor envoy spokesman spokeswoman
    spokesperson ceo cfo coo chairman chairwoman chairperson director executive analyst ambassador
    commander leader founder co-founder economist counterpart official officer head coach manager
    boss deputy premier candidate lawyer attorney researcher scientist colonel captain lieutenant
    sergeant archbishop bishop cardinal rabbi imam reverend president-elect strategist""".split()
)
# A common noun naming the kind of organisation right before its name: "news agency SANA".
ORG_CONTEXT = frozenset(
    """agency company firm group carrier airline maker manufacturer automaker carmaker retailer
    bank lender insurer newspaper daily broadcaster channel network party militia outlet publisher
    website startup start-up conglomerate operator developer club union organisation organization
    charity regulator watchdog chain supplier distributor brokerage exchange""".split()
)
# Words inside a name that make it an organisation: "Syrian Observatory for Human Rights".
ORG_WORDS = frozenset(
    """inc inc. corp corp. corporation ltd ltd. llc plc co co. company group bank agency airlines
    airways university college council committee ministry department party observatory
    organization organisation association union commission federation institute foundation fund
    authority board bureau office news times post journal motors holdings industries systems
    technologies partners securities network society coalition alliance front movement army navy
    forces force police guard parliament congress senate assembly church club fc brigade brigades
    administration government""".split()
)
# Right before a place: "eastern Aleppo", "rebel-held Idlib", "near Mosul".
PLACE_ADJECTIVES = frozenset(
    """eastern western northern southern central north-eastern north-western south-eastern
    south-western northeastern northwestern southeastern southwestern downtown near outside
    suburban coastal""".split()
)
# A place noun then "of": "the city of Homs", "the neighbourhoods of Bustan al-Qasr".
PLACE_NOUNS = frozenset(
    """city cities town towns village villages province provinces region regions district
    districts neighbourhood neighbourhoods neighborhood neighborhoods suburb suburbs outskirts
    capital state county island islands port""".split()
)
# Weaker: a preposition of place; only trusted to correct nationality/religion labels.
PLACE_PREPOSITIONS = frozenset("in near from across outside throughout into inside".split())
# Lower-case particles inside a personal name: "Staffan de Mistura", "Ursula von der Leyen".
NAME_PARTICLES = frozenset("de da di del della van von der den du dos das le la bin ibn bint ter".split())
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "LANGUAGE"})

_LOWER_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][a-z]")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_CAPITALISED = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_DASHES = frozenset({"-", "–", "—", "(", ","})
APPOSITION_WINDOW = 6


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


def _apposition_role(doc: Doc, comma: int, sentence_start: int) -> bool:
    """A role word shortly before the comma: "the UN peace envoy for Syria, <name>"."""
    first = max(sentence_start, comma - APPOSITION_WINDOW)
    return any(_word(doc, i) in PERSON_TITLES for i in range(first, comma))


def context_cue(doc: Doc, span: Span) -> Cue | None:
    """A cue from the words right before and after the mention."""
    before, before2 = _word(doc, span.start - 1), _word(doc, span.start - 2)
    after = _word(doc, span.end)
    if after == "-" and _word(doc, span.end + 1) == "based" or after.endswith("-based"):
        return Cue("GPE", STRONG)
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
        and _apposition_role(doc, span.start - 1, span.sent.start)
    ):
        return Cue("PERSON", MEDIUM)
    if span.label_ == "NORP" and before in PLACE_PREPOSITIONS:
        return Cue("GPE", MEDIUM)
    return None


def dateline_cue(doc: Doc, span: Span) -> Cue | None:
    """An all-capitals place opening a line before "(Agency)" or a dash: a dateline."""
    text = doc.text
    line_start = span.start_char == 0 or text[span.start_char - 1] == "\n"
    if line_start and span.text.isupper() and _word(doc, span.end) in _DASHES:
        return Cue("GPE", 5.0)
    return None


def find_cue(doc: Doc, span: Span) -> Cue | None:
    """The strongest local cue to the label of a name mention, if any."""
    return dateline_cue(doc, span) or shape_cue(span) or context_cue(doc, span)
