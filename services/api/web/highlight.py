"""An article's text cut into plain runs and highlighted entity and date mentions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.api.web.labels import css_class
from shared.models import DateMention, Entity


@dataclass(frozen=True)
class Segment:
    """A run of text; `kind` is "entity" or "date" for a mention, "" for plain text.

    `label` is the entity label or the TIMEX3 type, `value` a date's TIMEX3 value, and
    `entity_id` the entity a name stands for, when the article's summary accounts for it."""

    text: str
    kind: str = ""
    label: str = ""
    value: str = ""
    entity_id: str = ""

    @property
    def css(self) -> str:
        """The class that paints the mention (`l-PERSON`, `l-DATE`)."""
        return "l-DATE" if self.kind == "date" else css_class(self.label)


def _name(text: str, mention: Entity, ids: Mapping[int, str]) -> Segment:
    entity_id = ids.get(mention.start, "")
    return Segment(text[mention.start : mention.end], "entity", mention.label, "", entity_id)


def segments(
    text: str,
    entities: list[Entity],
    dates: list[DateMention],
    entity_ids: Mapping[int, str] | None = None,
) -> list[Segment]:
    """The text as segments; where mentions overlap, the earlier (then longer) one wins.

    `entity_ids` maps a mention's start offset to its entity id."""
    ids = entity_ids or {}
    spans = [
        (
            e.start,
            e.end,
            Segment(text[e.start : e.end], "entity", e.label, "", ids.get(e.start, "")),
        )
        for e in entities
    ]
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
