"""Named entities: one label per name, canonical names and a per-article summary (placeholder)."""

from __future__ import annotations

from spacy.tokens import Doc

from shared.models import Entity, EntitySummary

EXCLUDED_LABELS = frozenset({"DATE", "TIME"})


def extract_entities(doc: Doc, title: str) -> tuple[list[Entity], list[EntitySummary]]:
    """Return the entity mentions of `doc` and their per-article summary."""
    entities = [
        Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char)
        for e in doc.ents
        if e.label_ not in EXCLUDED_LABELS
    ]
    return entities, []
