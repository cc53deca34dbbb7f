"""An article's text cut into plain runs and highlighted entity and date mentions."""

from __future__ import annotations

from dataclasses import dataclass

from shared.models import DateMention, Entity

# displaCy's palette, so that the colours mean what readers of spaCy's visualiser expect.
LABEL_COLOURS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "FAC": "#9cc9cc",
    "NORP": "#c887fb",
    "EVENT": "#ffeb80",
    "PRODUCT": "#bfeeb7",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
    "LANGUAGE": "#ff8197",
    "MONEY": "#e4e7d2",
    "PERCENT": "#e4e7d2",
    "QUANTITY": "#e4e7d2",
    "CARDINAL": "#e4e7d2",
    "ORDINAL": "#e4e7d2",
}
DATE_COLOUR = "#bfe1d9"
OTHER_COLOUR = "#ddd"


@dataclass(frozen=True)
class Segment:
    """A run of text; `kind` is "entity" or "date" for a mention, "" for plain text."""

    text: str
    kind: str = ""
    label: str = ""
    value: str = ""

    @property
    def colour(self) -> str:
        if self.kind == "date":
            return DATE_COLOUR
        return LABEL_COLOURS.get(self.label, OTHER_COLOUR)


def colour_of(label: str) -> str:
    return LABEL_COLOURS.get(label, OTHER_COLOUR)


def segments(text: str, entities: list[Entity], dates: list[DateMention]) -> list[Segment]:
    """The text as segments; where mentions overlap, the earlier (then longer) one wins."""
    spans = [(e.start, e.end, Segment(text[e.start : e.end], "entity", e.label)) for e in entities]
    spans += [
        (d.start, d.end, Segment(text[d.start : d.end], "date", d.type, d.value)) for d in dates
    ]
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    out: list[Segment] = []
    position = 0
    for start, end, segment in spans:
        if start < position or not 0 <= start < end <= len(text):
            continue
        if start > position:
            out.append(Segment(text[position:start]))
        out.append(segment)
        position = end
    if position < len(text):
        out.append(Segment(text[position:]))
    return out
