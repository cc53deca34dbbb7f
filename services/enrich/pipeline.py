"""The enrichment pipeline: text and publication date in, entities and dates out. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import use_ops

from services.enrich.dates import extract_dates, find_dateline
from services.enrich.entities import extract_entities
from shared.models import Enrichment

# Everything but `ner`, which carries its own tok2vec in the sm model: tagger, parser and
# lemmatizer would triple the cost and nothing here reads them (nor sentence boundaries).
UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


@dataclass(frozen=True)
class Source:
    """What the pipeline reads of an article."""

    title: str
    text: str
    published_at: datetime | None


def model_ops() -> AbstractContextManager[None]:
    """The backend the model's layers are built with: numpy's BLAS (OpenBLAS) for the matrix
    products rather than thinc's default, BLIS. On this project's 2-core VM (AMD EPYC,
    AVX-512) `ner` on a 600-word article took 35 ms against 46, with the same entities on both
    dev sets (see docs/scaling.md); the model and its weights are the same."""
    return use_ops("numpy", use_blis=False)


def load_nlp(model: str) -> Language:
    """Load a spaCy model with only named-entity recognition enabled (see `model_ops`)."""
    with model_ops():
        return spacy.load(model, exclude=UNUSED_COMPONENTS)


def enrich(nlp: Language, title: str, text: str, published_at: datetime | None) -> Enrichment:
    """Find the named entities and TIMEX3 dates of one article."""
    return enrich_doc(nlp(text), Source(title, text, published_at))


def enrich_many(nlp: Language, sources: Iterable[Source]) -> Iterator[Enrichment]:
    """`enrich` for many articles, with spaCy batching them (`nlp.pipe`)."""
    for doc, source in nlp.pipe(((s.text, s) for s in sources), as_tuples=True):
        yield enrich_doc(doc, source)


def enrich_doc(doc: Doc, source: Source) -> Enrichment:
    """The enrichment of an article whose text spaCy has already read into `doc`."""
    published_at = source.published_at
    # The publisher's own day: "today" at 05:50 in Beijing is the 14th, whatever UTC says, so the
    # date is read in the timestamp's own offset, never after converting it.
    published: date | None = published_at.date() if published_at else find_dateline(source.text)
    dates = extract_dates(doc, published, source.text)
    entities, summary = extract_entities(doc, source.title, source.text)
    if published_at is None and published is not None:
        published_at = datetime.combine(published, time(0), tzinfo=UTC)
    return Enrichment(
        entities=entities, dates=dates, entity_summary=summary, published_at=published_at
    )
