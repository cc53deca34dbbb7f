"""The enrichment pipeline: text and publication date in, entities and dates out. No I/O."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import spacy
from spacy.language import Language

from services.enrich.dates import extract_dates, find_dateline
from services.enrich.entities import extract_entities
from shared.models import Enrichment

# Only what the pipeline reads: `ner` carries its own tok2vec in the sm model, and the
# rule-based sentencizer is nearly free; tagger and parser would triple the cost.
NER_COMPONENTS = ("ner",)


def load_nlp(model: str) -> Language:
    """Load a spaCy model with only named-entity recognition and sentence boundaries enabled."""
    nlp = spacy.load(
        model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    )
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


def enrich(nlp: Language, title: str, text: str, published_at: datetime | None) -> Enrichment:
    """Find the named entities and TIMEX3 dates of one article."""
    doc = nlp(text)
    published: date | None = published_at.date() if published_at else find_dateline(text)
    dates = extract_dates(doc, published)
    entities, summary = extract_entities(doc, title)
    resolved = published_at
    if resolved is None and published is not None:
        resolved = datetime.combine(published, time(0), tzinfo=UTC)
    return Enrichment(entities=entities, dates=dates, entity_summary=summary, published_at=resolved)
