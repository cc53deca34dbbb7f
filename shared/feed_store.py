"""Feeds in Redis: what to poll, when, by whom, what it found, and which entries were seen."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

import redis

from shared.errors import GazetteError
from shared.keys import Keys
from shared.models import Feed, FeedIn, FeedPollOutcome, FeedStatus

# Add a feed unless its URL is followed already. KEYS: feed, created, due. ARGV: id, now, pairs.
_ADD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return 1
"""

# Claim up to N due feeds: each one gets a lock (SET NX PX) and is pushed back in the due set by
# the lease, so that a second worker neither polls it now nor sees it again until the lease ends
# (a worker that dies mid-poll frees its feeds that way).
# KEYS: due. ARGV: now, limit, lease ms, holder, claim-key prefix.
_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, id in ipairs(ids) do
  if redis.call('SET', ARGV[5] .. id, ARGV[4], 'NX', 'PX', tonumber(ARGV[3])) then
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]) / 1000, id)
    claimed[#claimed + 1] = id
  end
end
return claimed
"""

# Record a poll and release the claim; a feed deleted meanwhile is not brought back.
# KEYS: feed, due, claim. ARGV: holder, next-due score, id, field/value pairs.
_RECORD = """
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# Check-and-mark an entry by all its identities at once: new only if none was seen before.
# KEYS: seen url, seen guid, seen hash. ARGV: number of urls, number of guids, then digests.
_MARK_SEEN = """
local urls, guids = tonumber(ARGV[1]), tonumber(ARGV[2])
local function set_of(i)
  if i <= 2 + urls then return KEYS[1] end
  if i <= 2 + urls + guids then return KEYS[2] end
  return KEYS[3]
end
for i = 3, #ARGV do
  if redis.call('SISMEMBER', set_of(i), ARGV[i]) == 1 then return 0 end
end
for i = 3, #ARGV do redis.call('SADD', set_of(i), ARGV[i]) end
return 1
"""


class FeedNotFound(GazetteError):
    status = 404
    title = "Feed not found"

    def __init__(self, feed_id: str) -> None:
        super().__init__(f"No feed has the id {feed_id!r}.")
        self.feed_id = feed_id


def feed_id_for(url: str) -> str:
    """A feed's id: from its URL, so the same URL added twice is one feed."""
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]


def _digest(value: str) -> str:
    # Sets of digests, not of URLs and GUIDs: bounded member size whatever feeds put there.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


class FeedStore:
    """Feeds, their polling schedule and claims, and the entries already queued."""

    def __init__(self, client: redis.Redis, keys: Keys | None = None) -> None:
        self._redis = client
        self._keys = keys or Keys()
        self._add = client.register_script(_ADD)
        self._claim = client.register_script(_CLAIM)
        self._record = client.register_script(_RECORD)
        self._mark_seen = client.register_script(_MARK_SEEN)

    @classmethod
    def from_url(cls, url: str, prefix: str = "gazette") -> FeedStore:
        client = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=5, socket_connect_timeout=2
        )
        return cls(client, Keys(prefix))

    def close(self) -> None:
        self._redis.close()

    # -- feeds as resources -------------------------------------------------------------------

    def add_feed(self, submitted: FeedIn, default_interval: int) -> tuple[Feed, bool]:
        """Follow a feed, due for polling now; a URL already followed answers its feed."""
        new_id = feed_id_for(submitted.url)
        now = time.time()
        fields = {
            "id": new_id,
            "url": submitted.url,
            "interval_seconds": str(submitted.interval_seconds or default_interval),
            "created_at": datetime.fromtimestamp(now, UTC).isoformat(),
            "last_status": FeedStatus.NEW.value,
            "error_count": "0",
        }
        if submitted.source:
            fields["source"] = submitted.source
        keys = self._keys
        created = self._add(
            keys=[keys.feed(new_id), keys.feeds_by_created, keys.feeds_due],
            args=[new_id, repr(now), *[part for pair in fields.items() for part in pair]],
        )
        return self.get_feed(new_id), bool(int(created))

    def get_feed(self, feed_id: str) -> Feed:
        """The feed with its article count; raises FeedNotFound."""
        found = self._load([feed_id])
        if not found:
            raise FeedNotFound(feed_id)
        return found[0]

    def list_feeds(self) -> list[Feed]:
        """Every followed feed, oldest first."""
        ids = [str(i) for i in self._redis.zrange(self._keys.feeds_by_created, 0, -1)]
        return self._load(ids)

    def delete_feed(self, feed_id: str) -> None:
        """Stop following a feed; its articles stay. Raises FeedNotFound."""
        keys = self._keys
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(keys.feed(feed_id))
        pipe.zrem(keys.feeds_by_created, feed_id)
        pipe.zrem(keys.feeds_due, feed_id)
        pipe.delete(keys.feed_articles(feed_id))
        if not pipe.execute()[0]:
            raise FeedNotFound(feed_id)

    def request_poll(self, feed_id: str) -> Feed:
        """Make the feed due now (a worker polling it already finishes first)."""
        feed = self.get_feed(feed_id)
        self._redis.zadd(self._keys.feeds_due, {feed_id: time.time()}, xx=True)
        return feed

    # -- scheduling ---------------------------------------------------------------------------

    def claim_due_feeds(self, holder: str, limit: int, lease_seconds: float) -> list[str]:
        """Ids of up to `limit` due feeds that `holder` alone may poll for `lease_seconds`."""
        claimed = self._claim(
            keys=[self._keys.feeds_due],
            args=[repr(time.time()), limit, int(lease_seconds * 1000), holder,
                  self._keys.feed_claim("")],
        )  # fmt: skip
        return [str(i) for i in cast(list[str], claimed)]

    def record_poll(self, feed_id: str, holder: str, outcome: FeedPollOutcome) -> bool:
        """Store a poll's outcome, schedule the next poll and release the claim.

        False when the feed was deleted while it was being polled (nothing is stored then).
        """
        fields: dict[str, str] = {
            "last_polled_at": outcome.polled_at.isoformat(),
            "last_status": outcome.status.value,
            "last_error": outcome.error or "",
            "error_count": str(outcome.error_count),
            "next_poll_at": outcome.next_poll_at.isoformat(),
        }
        optional = {
            "etag": outcome.etag,
            "last_modified": outcome.last_modified,
            "title": outcome.title,
            "url": outcome.moved_to,
        }
        fields.update({name: value for name, value in optional.items() if value})
        keys = self._keys
        stored = self._record(
            keys=[keys.feed(feed_id), keys.feeds_due, keys.feed_claim(feed_id)],
            args=[holder, repr(outcome.next_poll_at.timestamp()), feed_id,
                  *[part for pair in fields.items() for part in pair]],
        )  # fmt: skip
        return bool(int(stored))

    # -- entries and articles -----------------------------------------------------------------

    def entries_seen(self, entries: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[bool]:
        """For each entry's (URLs, GUIDs): whether one of them was queued before, in one round
        trip (a read, so that a poll skips the work on seen entries early)."""
        pipe = self._redis.pipeline(transaction=False)
        for urls, guids in entries:
            pipe.smismember(self._seen("url"), [_digest(u) for u in urls] or [""])
            pipe.smismember(self._seen("guid"), [_digest(g) for g in guids] or [""])
        answers = [any(bool(int(hit)) for hit in found) for found in pipe.execute()]
        return [
            by_url or by_guid for by_url, by_guid in zip(answers[::2], answers[1::2], strict=True)
        ]

    def mark_entry_seen(
        self, urls: Sequence[str], guids: Sequence[str], hashes: Sequence[str]
    ) -> bool:
        """Atomically: True and mark them all when no URL, GUID or content hash was seen before,
        in any feed; False (marking nothing) when one was."""
        digests = [_digest(v) for v in (*urls, *guids, *hashes)]
        if not digests:
            return True
        answer = self._mark_seen(
            keys=[self._seen("url"), self._seen("guid"), self._seen("hash")],
            args=[len(urls), len(guids), *digests],
        )
        return bool(int(answer))

    def forget_entry(
        self, urls: Sequence[str], guids: Sequence[str], hashes: Sequence[str]
    ) -> None:
        """Undo `mark_entry_seen` for an entry that could not be queued after all."""
        pipe = self._redis.pipeline(transaction=True)
        for kind, values in (("url", urls), ("guid", guids), ("hash", hashes)):
            for value in values:
                pipe.srem(self._seen(kind), _digest(value))
        pipe.execute()

    def add_feed_article(self, feed_id: str, article_id: str) -> None:
        """Count an article the feed contributed."""
        self._redis.sadd(self._keys.feed_articles(feed_id), article_id)

    def feed_article_ids(self, feed_id: str) -> list[str]:
        """The ids of the articles a feed contributed, sorted."""
        return sorted(str(i) for i in self._redis.smembers(self._keys.feed_articles(feed_id)))

    # -- helpers ------------------------------------------------------------------------------

    def _seen(self, kind: str) -> str:
        return self._keys.seen_entries(kind)

    def _load(self, ids: Sequence[str]) -> list[Feed]:
        pipe = self._redis.pipeline(transaction=False)
        for feed_id in ids:
            pipe.hgetall(self._keys.feed(feed_id))
            pipe.scard(self._keys.feed_articles(feed_id))
        answers = pipe.execute()
        feeds = []
        for raw, count in zip(answers[::2], answers[1::2], strict=True):
            if raw:
                feeds.append(_feed_from_hash(cast(dict[str, str], raw), int(count)))
        return feeds


def _feed_from_hash(raw: dict[str, str], articles: int) -> Feed:
    # Absent and empty fields are both "not set"; pydantic parses the ISO timestamps.
    data: dict[str, object] = {name: value for name, value in raw.items() if value}
    data["articles"] = articles
    return Feed.model_validate(data)
