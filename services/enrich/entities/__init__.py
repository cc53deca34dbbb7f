"""Named entities: one label per name, canonical names and a per-article summary."""

from __future__ import annotations

from spacy.tokens import Doc

from services.enrich.entities.labels import resolve_labels
from services.enrich.entities.products import add_camel_case_products, join_model_numbers
from services.enrich.entities.propagation import propagate
from services.enrich.entities.spans import tidy_spans
from services.enrich.entities.summary import summarise
from shared.models import Entity, EntitySummary

# Dates and times go to the date normaliser; amounts, counts and percentages are values, not
# names: nobody looks for the articles that mention "$7.2 bn" through an entity index.
EXCLUDED_LABELS = frozenset({"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"})


def extract_entities(
    doc: Doc, title: str, text: str | None = None
) -> tuple[list[Entity], list[EntitySummary]]:
    """Return the entity mentions of `doc` and their per-article summary.

    `text` is `doc.text` when the caller has it: spaCy rebuilds that string on every access.
    """
    names = [e for e in doc.ents if e.label_ not in EXCLUDED_LABELS]
    spans = tidy_spans(doc, join_model_numbers(doc, names))
    text = doc.text if text is None else text
    mentions = add_camel_case_products(doc, text, resolve_labels(doc, text, spans))
    mentions = propagate(doc, text, mentions)
    entities = [
        Entity(text=m.text, label=m.label, start=m.start_char, end=m.end_char) for m in mentions
    ]
    return entities, summarise(text, title, mentions)
