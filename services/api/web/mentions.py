"""Which entity of an article's summary each mention stands for: the links from highlighted
names to entity pages, the surface forms of an entity, and the names a snippet marks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from shared.entity_names import entity_key, label_class, strip_honorifics, tidy_name
from shared.models import Article, Entity


def _key(mention: Entity) -> str:
    return entity_key(strip_honorifics(tidy_name(mention.text)))


def mention_entity_id(mention: Entity, known: Iterable[str]) -> str | None:
    """The id among `known` a mention stands for: the same key, else (for a person) the
    surname of a fuller name ("Lavrov" for `person:sergei-lavrov`)."""
    cls, key = label_class(mention.label), _key(mention)
    if not key:
        return None
    exact = f"{cls}:{key}"
    candidates = [k for k in known if k.startswith(f"{cls}:")]
    if exact in candidates:
        return exact
    if cls == "person":
        by_surname = [k for k in candidates if k.endswith(f"-{key}")]
        if len(by_surname) == 1:
            return by_surname[0]
    return None


def mention_ids(article: Article) -> dict[int, str]:
    """Entity id per mention start offset, for the mentions the summary accounts for."""
    known = [summary.entity_id for summary in article.entity_summary]
    found = {}
    for mention in article.entities:
        entity_id = mention_entity_id(mention, known)
        if entity_id:
            found[mention.start] = entity_id
    return found


def surface_forms(entity_id: str, articles: Iterable[Article]) -> list[tuple[str, int]]:
    """How articles write an entity, most frequent first, with the number of mentions."""
    forms: Counter[str] = Counter()
    for article in articles:
        ids = mention_ids(article)
        forms.update(m.text for m in article.entities if ids.get(m.start) == entity_id)
    return forms.most_common()
