"""Answering queries from the indexes `article_index` keeps.

A query is an AND of sorted sets (entity, label, source, words, mentioned dates) and plain sets
(the store's status sets). The smallest sorted set is walked newest first in growing batches,
and each batch is checked against the others with one pipelined ZMSCORE/SMISMEMBER per set, so
a page costs in proportion to the articles walked, not to the corpus.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import cast

import redis

from shared.article_query import (
    ArticleQuery,
    Cursor,
    EntityCount,
)
from shared.article_terms import SPAN_BUCKETS, bound_score, normal_source, words
from shared.keys import Keys

SCRATCH_SECONDS = 60
FIRST_BATCH = 64
MAX_BATCH = 2_048
# A plain (status) set this many times smaller than the smallest sorted set is copied into a
# sorted set and walked instead: "failed" articles are few, "enriched" ones most of the corpus.
MATERIALISE_RATIO = 8

Hit = tuple[str, float]
# A filter's sorted sets: an article matches when any of them holds it.
Source = tuple[str, ...]


class ArticleSearch:
    """Read-only queries over the article and entity indexes."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self._redis = client
        self._keys = keys

    def find(self, query: ArticleQuery) -> tuple[list[Hit], Cursor | None]:
        """One page of (id, score) newest first, and the cursor of the next page if any."""
        query.check()
        with self._scratch() as scratch:
            ordered = self._ordered_sources(query, scratch)
            if ordered is None:
                return [], None
            unordered = []
            if query.status is not None:
                unordered.append(self._keys.articles_with_status(query.status.value))
            hits = self._walk(ordered, unordered, query, scratch)
        if len(hits) > query.limit:
            last_id, last_score = hits[query.limit - 1]
            return hits[: query.limit], Cursor(last_score, last_id)
        return hits, None

    def resolve_entities(
        self, entity_ids: tuple[str, ...], lookup_keys: tuple[str, ...]
    ) -> list[str]:
        """The known entity ids among `entity_ids` and those any of `lookup_keys` stands for."""
        pipe = self._redis.pipeline(transaction=False)
        for entity_id in entity_ids:
            pipe.hexists(self._keys.entity_names, entity_id)
        if lookup_keys:
            pipe.sunion([self._keys.entity_alias(key) for key in lookup_keys])
        answers = pipe.execute()
        found = [e for e, known in zip(entity_ids, answers, strict=False) if known]
        if lookup_keys:
            found.extend(sorted(set(answers[-1]) - set(found)))
        return found

    def rank_entities(
        self, label: str | None, candidates: list[str] | None, limit: int
    ) -> list[EntityCount]:
        """Entities by article count, most first: all of them, or only `candidates`."""
        ranking = self._keys.entity_ranking(label.upper() if label else "*")
        if candidates is None:
            top = cast(list[Hit], self._redis.zrevrange(ranking, 0, limit - 1, withscores=True))
            ranked = [(str(member), float(score)) for member, score in top]
        elif candidates:
            scores = self._redis.zmscore(ranking, candidates)
            ranked = sorted(
                ((e, s) for e, s in zip(candidates, scores, strict=True) if s),
                key=lambda pair: (-pair[1], pair[0]),
            )[:limit]
        else:
            ranked = []
        if not ranked:
            return []
        metas = self._redis.hmget(self._keys.entity_names, [entity for entity, _ in ranked])
        counts = []
        for (entity_id, count), meta in zip(ranked, metas, strict=True):
            if meta is None or count <= 0:
                continue
            known = json.loads(meta)
            counts.append(
                EntityCount(
                    entity_id=entity_id,
                    name=known["name"],
                    label=known["label"],
                    articles=int(count),
                )
            )
        return counts

    # -- sources ------------------------------------------------------------------------------

    def _ordered_sources(self, query: ArticleQuery, scratch: list[str]) -> list[Source] | None:
        """The sorted sets (each a union of keys) to intersect; None when one is known empty."""
        keys = self._keys
        sources: list[Source] = []
        if query.filters_entity:
            found = self.resolve_entities(query.entity_ids, query.entity_keys)
            if not found:
                return None
            sources.append(tuple(keys.index("entity", e) for e in found))
        if query.label:
            sources.append((keys.index("label", query.label.strip().upper()),))
        if query.source:
            sources.append((keys.index("source", normal_source(query.source)),))
        for word in dict.fromkeys(words(query.text or "")):
            sources.append((keys.index("word", word),))
        if query.mentions_from or query.mentions_to:
            mentioning = self._mentioning(query.mentions_from, query.mentions_to, scratch)
            if mentioning is None:
                return None
            sources.append((mentioning,))
        return sources or [(keys.index("all", "*"),)]

    def _mentioning(self, first: date | None, last: date | None, scratch: list[str]) -> str | None:
        """A scratch sorted set of the articles mentioning a day in [first, last]."""
        low = first.toordinal() if first else 1
        high = last.toordinal() if last else date.max.toordinal()
        pipe = self._redis.pipeline(transaction=False)
        for bucket, span in SPAN_BUCKETS:
            # A mention starting up to `span` days before `low` may still reach into the range.
            pipe.zrangebyscore(self._keys.mentioned_dates(bucket), low - span + 1, high)
        article_ids: dict[str, None] = {}
        for members in pipe.execute():
            for member in members:
                ends, _, article_id = str(member).partition("|")
                if int(ends) >= low:
                    article_ids.setdefault(article_id, None)
        return self._materialise(list(article_ids), scratch)

    def _materialise(self, article_ids: list[str], scratch: list[str]) -> str | None:
        """A scratch sorted set of these articles with their order scores."""
        if not article_ids:
            return None
        scores = self._redis.zmscore(self._keys.index("all", "*"), article_ids)
        scored = {a: s for a, s in zip(article_ids, scores, strict=True) if s is not None}
        if not scored:
            return None
        target = self._scratch_key(scratch)
        pipe = self._redis.pipeline(transaction=False)
        pipe.zadd(target, scored)
        pipe.expire(target, SCRATCH_SECONDS)
        pipe.execute()
        return target

    # -- the walk -----------------------------------------------------------------------------

    def _walk(
        self, ordered: list[Source], unordered: list[str], query: ArticleQuery, scratch: list[str]
    ) -> list[Hit]:
        if len(ordered) == 1 and not unordered:
            return self._intersect(ordered[0], [], [], query)
        pipe = self._redis.pipeline(transaction=False)
        for source in ordered:
            for key in source:
                pipe.zcard(key)
        for key in unordered:
            pipe.scard(key)
        counts = iter(pipe.execute())
        ordered_sizes = [sum(next(counts) for _ in source) for source in ordered]
        unordered_sizes = list(counts)
        if not all(ordered_sizes) or not all(unordered_sizes):
            return []
        smallest = min(range(len(ordered)), key=ordered_sizes.__getitem__)
        if unordered and min(unordered_sizes) * MATERIALISE_RATIO < ordered_sizes[smallest]:
            small = min(range(len(unordered)), key=unordered_sizes.__getitem__)
            members = [str(m) for m in self._redis.smembers(unordered[small])]
            materialised = self._materialise(members, scratch)
            if materialised is None:
                return []
            ordered = [(materialised,), *ordered]
            unordered = unordered[:small] + unordered[small + 1 :]
            smallest = 0
        others = ordered[:smallest] + ordered[smallest + 1 :]
        return self._intersect(ordered[smallest], others, unordered, query)

    def _intersect(
        self, driver: Source, others: list[Source], unordered: list[str], query: ArticleQuery
    ) -> list[Hit]:
        """Walk the driver newest first (a k-way merge when it is a union), keeping the
        articles every other source holds, until one more than a page is found."""
        low = _score_arg(bound_score(query.published_from) if query.published_from else -math.inf)
        high = bound_score(query.published_before) if query.published_before else math.inf
        after = query.cursor
        hits: list[Hit] = []
        # Alone, the driver's first rows are the answer; otherwise some will be filtered out.
        batch = query.limit + 1 if not (others or unordered) else max(FIRST_BATCH, 2 * query.limit)
        while len(hits) <= query.limit:
            pipe = self._redis.pipeline(transaction=False)
            for key in driver:
                pipe.zrevrangebyscore(key, _upper(high, after), low, 0, batch, withscores=True)
            merged: dict[str, float] = {}
            # Below the last row of a key that filled its batch, that key may hold more.
            floor: tuple[float, str] | None = None
            for rows in cast(list[list[Hit]], pipe.execute()):
                merged.update((str(member), float(score)) for member, score in rows)
                if len(rows) == batch:
                    last = (float(rows[-1][1]), str(rows[-1][0]))
                    floor = last if floor is None else max(floor, last)
            walked = sorted(((score, member) for member, score in merged.items()), reverse=True)
            fresh = [
                (member, score)
                for score, member in walked
                if (floor is None or (score, member) >= floor)
                and (after is None or (score, member) < (after.score, after.article_id))
            ]
            hits.extend(self._members_of_all(fresh, others, unordered))
            if floor is None:
                break  # every key of the driver is exhausted
            after = Cursor(*floor)
            batch = min(batch * 2, MAX_BATCH) if fresh else batch * 2
        return hits[: query.limit + 1]

    def _members_of_all(
        self, hits: list[Hit], others: list[Source], unordered: list[str]
    ) -> list[Hit]:
        if not hits or not (others or unordered):
            return hits
        ids = [article_id for article_id, _ in hits]
        pipe = self._redis.pipeline(transaction=False)
        for source in others:
            for key in source:
                pipe.zmscore(key, ids)
        for key in unordered:
            pipe.smismember(key, ids)
        answers = iter(pipe.execute())
        # A hit must be in at least one key of every source (a union) and in every plain set.
        present = [
            [
                any(found is not None for found in column)
                for column in zip(*(next(answers) for _ in source), strict=True)
            ]
            for source in others
        ]
        present += [[bool(found) for found in next(answers)] for _ in unordered]
        return [hit for index, hit in enumerate(hits) if all(row[index] for row in present)]

    # -- scratch keys -------------------------------------------------------------------------

    @contextmanager
    def _scratch(self) -> Iterator[list[str]]:
        made: list[str] = []
        try:
            yield made
        finally:
            if made:
                self._redis.delete(*made)

    def _scratch_key(self, made: list[str]) -> str:
        key = self._keys.scratch(uuid.uuid4().hex)
        made.append(key)
        return key


def _score_arg(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "+inf"
    return repr(value)


def _upper(high: float, after: Cursor | None) -> str:
    """The highest score still to walk: below `high` (exclusive), at most the cursor's."""
    if after is not None and after.score < high:
        return repr(after.score)
    return "(" + _score_arg(high) if not math.isinf(high) else "+inf"
