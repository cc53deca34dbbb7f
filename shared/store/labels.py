"""One name, one label: where the archive clearly agrees on a canonical name's class, an
article whose model labelled that name otherwise is corrected to the archive's label (Spotify
as GPE, where most articles say ORG, is filed under `org:spotify`).

The rule. Entity ids that share the key after the class (`org:spotify`, `place:spotify`) are
one name; each id's count is its number of articles. One id holds a *clear majority* when it
has at least MIN_ARTICLES articles and at least MIN_SHARE of all the name's articles. Three
articles, so that two early articles cannot decide for the archive; three quarters, so that a
name the archive genuinely splits (a person and a place both called Jordan, each common) is
left alone. An article being stored votes for its own class(es): it is part of the count it
is judged by, so a single dissenting article against two cannot be outvoted (2 of 3 is
below 3/4), while one against three can.

What a correction changes: the summary entry takes the majority's id and label (with
`label_corrected_from` the model's label), and so do the mentions that stood for it; an
entry that lands on an id the article already has is merged into it. Everything built from the
summary (the article_entities index, the entity counts, the label filter, top entities)
follows. A corrected article counts for the majority from then on, so a majority, once formed,
only grows: names do not flip back and forth as articles arrive.

Pure: counts in, corrected enrichment out; `shared/store/relabel.py` reads the counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import NamedTuple

from shared.models import Enrichment, Entity, EntitySummary
from shared.store.rows import mention_entity

MIN_ARTICLES = 3
MIN_SHARE = Fraction(3, 4)


class Known(NamedTuple):
    """An entity as the archive counts it."""

    label: str
    articles: int


class Correction(NamedTuple):
    """The id and label a minority entity is filed under instead."""

    entity_id: str
    label: str


def name_key(entity_id: str) -> str:
    """The canonical name an id stands for, whatever its class: `org:spotify` -> `spotify`."""
    return entity_id.partition(":")[2]


def majority(counts: Mapping[str, int]) -> str | None:
    """Of ids sharing one name, with their article counts, the one holding a clear majority;
    None when no id does."""
    total = sum(max(n, 0) for n in counts.values())
    if not total:
        return None
    best = min(counts, key=lambda e: (-counts[e], e))
    articles = counts[best]
    return best if articles >= MIN_ARTICLES and articles >= MIN_SHARE * total else None


def archive_corrections(archive: Mapping[str, Known]) -> dict[str, Correction]:
    """Every id the archive's own counts correct, to its name's majority id and label."""
    by_name: dict[str, dict[str, int]] = {}
    for entity_id, known in archive.items():
        if name_key(entity_id):
            by_name.setdefault(name_key(entity_id), {})[entity_id] = known.articles
    fixes: dict[str, Correction] = {}
    for counts in by_name.values():
        winner = majority(counts)
        if winner is None or not archive[winner].label:
            continue
        for entity_id in counts:
            if entity_id != winner:
                fixes[entity_id] = Correction(winner, archive[winner].label)
    return fixes


class Tally:
    """Article counts per id, grouped by name: the archive's, then a batch's as it is stored,
    so that an article is judged by the articles before it in its transaction too."""

    def __init__(self, archive: Mapping[str, Known] | None = None) -> None:
        self._names: dict[str, dict[str, Known]] = {}
        for entity_id, known in (archive or {}).items():
            self.add(entity_id, known.label, known.articles)

    def add(self, entity_id: str, label: str, articles: int) -> None:
        """Count `articles` more (fewer, when negative) for an id; a label replaces the one
        known, an empty one keeps it."""
        name = name_key(entity_id)
        if not name:
            return
        ids = self._names.setdefault(name, {})
        before = ids.get(entity_id, Known("", 0))
        ids[entity_id] = Known(label or before.label, before.articles + articles)

    def corrections(self, summary: Iterable[EntitySummary]) -> dict[str, Correction]:
        """The corrections an article with this entity summary gets; the article is not
        counted yet, and votes for its own ids."""
        by_name: dict[str, dict[str, EntitySummary]] = {}
        for entry in summary:
            if name := name_key(entry.entity_id):
                by_name.setdefault(name, {})[entry.entity_id] = entry
        fixes: dict[str, Correction] = {}
        for name, entries in by_name.items():
            counted = self._names.get(name, {})
            if not counted and len(entries) == 1:
                continue  # a name only this article has: no majority to go by
            ids = dict(counted)
            for entity_id, entry in entries.items():
                before = ids.get(entity_id, Known(entry.label, 0))
                ids[entity_id] = Known(before.label or entry.label, before.articles + 1)
            fixes.update((e, fix) for e, fix in archive_corrections(ids).items() if e in entries)
        return fixes


def correct(enrichment: Enrichment, fixes: Mapping[str, Correction]) -> Enrichment:
    """The enrichment with each corrected entity (and its mentions) under the majority's id
    and label; unchanged when nothing applies."""
    if not any(e.entity_id in fixes for e in enrichment.entity_summary):
        return enrichment
    by_id = {e.entity_id: e for e in enrichment.entity_summary}
    mentions = [_mention(m, fixes.get(mention_entity(m.text, m.label, by_id) or ""))
                for m in enrichment.entities]  # fmt: skip
    summary: dict[str, EntitySummary] = {}
    for entry in enrichment.entity_summary:
        fix = fixes.get(entry.entity_id)
        if fix is not None:
            entry = entry.model_copy(
                update={
                    "entity_id": fix.entity_id,
                    "label": fix.label,
                    "label_corrected_from": entry.label_corrected_from or entry.label,
                }
            )
        other = summary.get(entry.entity_id)
        summary[entry.entity_id] = entry if other is None else _merged(other, entry)
    return enrichment.model_copy(
        update={"entities": mentions, "entity_summary": list(summary.values())}
    )


def _mention(mention: Entity, fix: Correction | None) -> Entity:
    if fix is None or fix.label == mention.label:
        return mention
    return mention.model_copy(
        update={
            "label": fix.label,
            "label_corrected_from": mention.label_corrected_from or mention.label,
        }
    )


def _merged(first: EntitySummary, second: EntitySummary) -> EntitySummary:
    """Two entries of one article that turn out to be one entity: the model's own (the
    uncorrected) entry with the mentions of both and the higher salience."""
    kept = second if first.label_corrected_from and not second.label_corrected_from else first
    return kept.model_copy(
        update={
            "mentions": first.mentions + second.mentions,
            "salience": max(first.salience, second.salience),
        }
    )
