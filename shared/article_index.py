"""Writing the query indexes: what the store adds when an article is saved and enriched.

Every index is a sorted set of article ids scored by `order_score`, so a filter costs in
proportion to what it lists. The entries an enrichment added are remembered in the article's
hash (`_index`), so that a re-enrichment removes exactly those before adding its own: a
redelivered task never leaves a stale entity, label or date behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import redis
from pydantic import TypeAdapter

from shared.article_query import ArticleSummary, EntityRef
from shared.article_terms import (
    indexed_words,
    mentioned_spans,
    normal_source,
    order_score,
    top_entities,
)
from shared.entity_names import entity_keys
from shared.keys import Keys
from shared.models import ArticleIn, ArticleStatus, Enrichment

POSTINGS_FIELD = "_index"
TOP_ENTITIES_FIELD = "top_entities"
SUMMARY_FIELDS = ("id", "title", "url", "source", "published_at", "status", "created_at")
ALL = ("all", "*")

# KEYS: article hashes; ARGV: field names. Answers one list of values per article ('' if absent).
_SUMMARY_FIELDS = """
local rows = {}
for i, key in ipairs(KEYS) do
  local values = redis.call('HMGET', key, unpack(ARGV))
  for j = 1, #ARGV do if not values[j] then values[j] = '' end end
  rows[i] = values
end
return rows
"""


class ArticleIndex:
    """Index writes; runs its commands on the store's client (or a pipeline it is given)."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self._redis = client
        self._keys = keys
        self._summary_fields = client.register_script(_SUMMARY_FIELDS)

    # -- submission ---------------------------------------------------------------------------

    def add_submission(
        self, pipe: Any, article_id: str, submitted: ArticleIn, created_at: datetime
    ) -> None:
        """Queue the entries of a new article (all, source, words) on `pipe`."""
        score = order_score(submitted.published_at or created_at, article_id)
        for key in self._base_keys(submitted.title, submitted.text, submitted.source):
            pipe.zadd(key, {article_id: score})

    def _base_keys(self, title: str, text: str, source: str | None) -> list[str]:
        keys = [self._keys.index(*ALL)]
        if source:
            keys.append(self._keys.index("source", normal_source(source)))
        keys.extend(self._keys.index("word", word) for word in indexed_words(title, text))
        return keys

    # -- enrichment ---------------------------------------------------------------------------

    def replace_enrichment(self, article_id: str, enrichment: Enrichment) -> None:
        """Swap the article's enrichment entries for those of `enrichment`, atomically."""
        article_key = self._keys.article(article_id)

        def swap(pipe: Any) -> None:
            raw = pipe.hmget(
                article_key, [POSTINGS_FIELD, "published_at", "created_at", "title", "source"]
            )
            old_postings, published, created, title, source = raw
            if created is None:
                return  # the article is gone; nothing to index
            moment = datetime.fromisoformat(published or created)
            if published is None and enrichment.published_at is not None:
                moment = enrichment.published_at  # the dateline the store is about to fill in
            score = order_score(moment, article_id)
            old_score = pipe.zscore(self._keys.index(*ALL), article_id)
            text = pipe.hget(article_key, "text") if old_score != score else None
            postings = self._enrichment_postings(article_id, enrichment, score)
            pipe.multi()
            self._remove(pipe, json.loads(old_postings) if old_postings else [])
            if text is not None:  # the publication date changed: move the base entries too
                for key in self._base_keys(title or "", text, source):
                    pipe.zadd(key, {article_id: score})
            self._add(pipe, postings)
            summary = [
                EntityRef(entity_id=e.entity_id, name=e.name, label=e.label)
                for e in top_entities(enrichment.entity_summary)
            ]
            pipe.hset(
                article_key,
                mapping={
                    POSTINGS_FIELD: json.dumps(postings),
                    TOP_ENTITIES_FIELD: "[" + ",".join(e.model_dump_json() for e in summary) + "]",
                },
            )
            for entity in enrichment.entity_summary:
                meta = json.dumps({"name": entity.name, "label": entity.label})
                pipe.hset(self._keys.entity_names, entity.entity_id, meta)
                for key in entity_keys(entity.entity_id):
                    pipe.sadd(self._keys.entity_alias(key), entity.entity_id)

        self._redis.transaction(swap, article_key)

    def _enrichment_postings(
        self, article_id: str, enrichment: Enrichment, score: float
    ) -> list[list[Any]]:
        """[op, key, member, score] rows: `z` an index entry, `r` one count in a ranking."""
        keys = self._keys
        rows: list[list[Any]] = []
        labels = {e.label.upper() for e in enrichment.entity_summary} or {
            e.label.upper() for e in enrichment.entities
        }
        for label in sorted(labels):
            rows.append(["z", keys.index("label", label), article_id, score])
        for entity in {e.entity_id: e for e in enrichment.entity_summary}.values():
            rows.append(["z", keys.index("entity", entity.entity_id), article_id, score])
            rows.append(["r", keys.entity_ranking(), entity.entity_id, 1])
            rows.append(["r", keys.entity_ranking(entity.label.upper()), entity.entity_id, 1])
        for span in sorted(mentioned_spans(enrichment.dates)):
            member = f"{span.last.toordinal()}|{article_id}"
            rows.append(["z", keys.mentioned_dates(span.bucket), member, span.first.toordinal()])
        return rows

    def _remove(self, pipe: Any, postings: Iterable[list[Any]]) -> None:
        rankings = set()
        for op, key, member, amount in postings:
            if op == "r":
                pipe.zincrby(key, -amount, member)
                rankings.add(key)
            else:
                pipe.zrem(key, member)
        for key in rankings:
            pipe.zremrangebyscore(key, "-inf", 0)

    def _add(self, pipe: Any, postings: Iterable[list[Any]]) -> None:
        for op, key, member, amount in postings:
            if op == "r":
                pipe.zincrby(key, amount, member)
            else:
                pipe.zadd(key, {member: amount})

    # -- summaries and events -----------------------------------------------------------------

    def summaries(self, article_ids: list[str]) -> list[ArticleSummary]:
        """List-view summaries of the articles, in the order given; vanished ones left out."""
        if not article_ids:
            return []
        # One script call rather than a pipeline of HMGETs: a page costs one round trip and
        # one reply to parse, which is most of a query's time.
        rows = self._summary_fields(
            keys=[self._keys.article(found) for found in article_ids],
            args=[*SUMMARY_FIELDS, TOP_ENTITIES_FIELD],
        )
        # Validated from JSON in one call: several times faster than a model per dict.
        return _SUMMARY_LIST.validate_json(
            "[" + ",".join(_summary_json(r) for r in rows if r[0]) + "]"
        )

    def announce_enriched(self, article_id: str) -> None:
        """Publish the article's summary to the enriched-events channel (fire and forget)."""
        found = self.summaries([article_id])
        if found:
            self._redis.publish(self._keys.enriched_events, found[0].model_dump_json())


_SUMMARY_LIST = TypeAdapter(list[ArticleSummary])


def _summary_json(row: list[str]) -> str:
    """One summary as JSON text from its hash values (`top_entities` is stored as JSON)."""
    values = dict(zip(SUMMARY_FIELDS, row, strict=False))
    scalars = {
        "id": values["id"],
        "title": values["title"],
        "url": values["url"] or None,
        "source": values["source"] or None,
        "published_at": values["published_at"] or None,
        "status": values["status"] or ArticleStatus.QUEUED.value,
    }
    return json.dumps(scalars)[:-1] + ',"top_entities":' + (row[-1] or "[]") + "}"
