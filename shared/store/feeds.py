"""Feeds: what to poll, when, by whom, what it found, and which entries were seen."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from shared.errors import FeedNotFound
from shared.models import Feed, FeedIn, FeedPollOutcome
from shared.settings import Settings
from shared.store.db import Database, Transactions
from shared.store.rows import feed_from_row

FEED_COLUMNS = """
f.id, f.url, f.source, f.title, f.interval_seconds, f.created_at, f.last_polled_at,
f.last_status, f.last_error, f.error_count, f.next_poll_at, f.etag, f.last_modified,
(SELECT count(*) FROM feed_articles fa WHERE fa.feed_id = f.id) AS articles
"""
ADD = """
INSERT INTO feeds (id, url, source, interval_seconds, created_at, last_status, due_at)
VALUES (%s, %s, %s, %s, %s, 'new', %s)
ON CONFLICT (id) DO NOTHING
RETURNING id
"""
# Up to N due feeds nobody holds; the lease pushes each one's due time back, so that a worker
# that dies mid-poll frees its feed when the lease ends. SKIP LOCKED: two workers claiming at
# once take different feeds instead of waiting for each other.
CLAIM = """
UPDATE feeds SET claimed_by = %(holder)s,
                 claimed_until = now() + make_interval(secs => %(lease)s),
                 due_at = now() + make_interval(secs => %(lease)s)
WHERE id IN (
    SELECT id FROM feeds
    WHERE due_at <= now() AND (claimed_until IS NULL OR claimed_until <= now())
    ORDER BY due_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING id, due_at
"""
# Record a poll and release the claim; a feed deleted meanwhile is not brought back.
RECORD = """
UPDATE feeds SET
    last_polled_at = %(polled_at)s, last_status = %(status)s, last_error = %(error)s,
    error_count = %(error_count)s, next_poll_at = %(next_poll_at)s, due_at = %(next_poll_at)s,
    etag = COALESCE(%(etag)s, etag), last_modified = COALESCE(%(last_modified)s, last_modified),
    title = COALESCE(%(title)s, title), url = COALESCE(%(moved_to)s, url),
    claimed_by = CASE WHEN claimed_by = %(holder)s THEN NULL ELSE claimed_by END,
    claimed_until = CASE WHEN claimed_by = %(holder)s THEN NULL ELSE claimed_until END
WHERE id = %(id)s
RETURNING id
"""
SEEN = """
SELECT kind, digest FROM feed_entries_seen
WHERE (kind, digest) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
"""
MARK_SEEN = """
INSERT INTO feed_entries_seen (kind, digest)
SELECT * FROM unnest(%s::text[], %s::text[]) ORDER BY 1, 2
ON CONFLICT DO NOTHING
RETURNING digest
"""
FORGET = """
DELETE FROM feed_entries_seen
WHERE (kind, digest) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
"""


def feed_id_for(url: str) -> str:
    """A feed's id: from its URL, so the same URL added twice is one feed."""
    return hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:16]


def _digest(value: str) -> str:
    # Digests, not URLs and GUIDs: bounded row size whatever feeds put there.
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _identities(
    urls: Sequence[str], guids: Sequence[str], hashes: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    """(kinds, digests) of an entry's identities, each once."""
    pairs = dict.fromkeys(
        [("url", _digest(u)) for u in urls]
        + [("guid", _digest(g)) for g in guids]
        + [("hash", _digest(h)) for h in hashes]
    )
    return [kind for kind, _ in pairs], [digest for _, digest in pairs]


class FeedStore:
    """Feeds, their polling schedule and claims, and the entries already queued."""

    def __init__(self, database: Transactions) -> None:
        self.database = database

    @classmethod
    def from_url(cls, url: str, max_size: int = 2) -> FeedStore:
        return cls(Database(url, min_size=1, max_size=max_size))

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedStore:
        return cls(Database.from_settings(settings))

    def close(self) -> None:
        self.database.close()

    # -- feeds as resources -------------------------------------------------------------------

    def add_feed(self, submitted: FeedIn, default_interval: int) -> tuple[Feed, bool]:
        """Follow a feed, due for polling now; a URL already followed answers its feed."""
        new_id = feed_id_for(submitted.url)
        now = datetime.now(UTC)
        interval = submitted.interval_seconds or default_interval
        with self.database.connection() as conn:
            created = conn.execute(
                ADD, (new_id, submitted.url, submitted.source, interval, now, now)
            ).fetchone()
        return self.get_feed(new_id), created is not None

    def get_feed(self, feed_id: str) -> Feed:
        """The feed with its article count; raises FeedNotFound."""
        with self.database.connection() as conn:
            row = conn.execute(
                f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = %s", (feed_id,)
            ).fetchone()
        if row is None:
            raise FeedNotFound(feed_id)
        return feed_from_row(row)

    def list_feeds(self) -> list[Feed]:
        """Every followed feed, oldest first."""
        with self.database.connection() as conn:
            rows = conn.execute(
                f"SELECT {FEED_COLUMNS} FROM feeds f ORDER BY f.created_at, f.id"
            ).fetchall()
        return [feed_from_row(row) for row in rows]

    def delete_feed(self, feed_id: str) -> None:
        """Stop following a feed; its articles stay. Raises FeedNotFound."""
        with self.database.connection() as conn:
            gone = conn.execute("DELETE FROM feeds WHERE id = %s RETURNING id", (feed_id,))
            if gone.fetchone() is None:
                raise FeedNotFound(feed_id)

    def request_poll(self, feed_id: str) -> Feed:
        """Make the feed due now (a worker polling it already finishes first)."""
        with self.database.connection() as conn:
            conn.execute("UPDATE feeds SET due_at = now() WHERE id = %s", (feed_id,))
        return self.get_feed(feed_id)

    # -- scheduling ---------------------------------------------------------------------------

    def claim_due_feeds(self, holder: str, limit: int, lease_seconds: float) -> list[str]:
        """Ids of up to `limit` due feeds that `holder` alone may poll for `lease_seconds`."""
        with self.database.connection() as conn:
            rows = conn.execute(
                CLAIM, {"holder": holder, "lease": lease_seconds, "limit": limit}
            ).fetchall()
        return [row["id"] for row in sorted(rows, key=lambda r: (r["due_at"], r["id"]))]

    def record_poll(self, feed_id: str, holder: str, outcome: FeedPollOutcome) -> bool:
        """Store a poll's outcome, schedule the next poll and release the claim.

        False when the feed was deleted while it was being polled (nothing is stored then).
        """
        params = {
            "id": feed_id,
            "holder": holder,
            "polled_at": outcome.polled_at,
            "status": outcome.status.value,
            "error": outcome.error or None,
            "error_count": outcome.error_count,
            "next_poll_at": outcome.next_poll_at,
            "etag": outcome.etag or None,
            "last_modified": outcome.last_modified or None,
            "title": outcome.title or None,
            "moved_to": outcome.moved_to or None,
        }
        with self.database.connection() as conn:
            return conn.execute(RECORD, params).fetchone() is not None

    # -- entries and articles -----------------------------------------------------------------

    def entries_seen(self, entries: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[bool]:
        """For each entry's (URLs, GUIDs): whether one of them was queued before, in one round
        trip (a read, so that a poll skips the work on seen entries early)."""
        per_entry = [_identities(urls, guids) for urls, guids in entries]
        kinds = [k for ks, _ in per_entry for k in ks]
        digests = [d for _, ds in per_entry for d in ds]
        if not digests:
            return [False] * len(entries)
        with self.database.connection() as conn:
            found = {(r["kind"], r["digest"]) for r in conn.execute(SEEN, (kinds, digests))}
        return [any(pair in found for pair in zip(ks, ds, strict=True)) for ks, ds in per_entry]

    def mark_entry_seen(
        self, urls: Sequence[str], guids: Sequence[str], hashes: Sequence[str]
    ) -> bool:
        """Atomically: True and mark them all when no URL, GUID or content hash was seen before,
        in any feed; False (marking nothing) when one was."""
        kinds, digests = _identities(urls, guids, hashes)
        if not digests:
            return True
        with self.database.connection() as conn:
            inserted = conn.execute(MARK_SEEN, (kinds, digests)).fetchall()
            if len(inserted) == len(digests):
                return True
            conn.rollback()  # one was seen already: mark none
            return False

    def forget_entry(
        self, urls: Sequence[str], guids: Sequence[str], hashes: Sequence[str]
    ) -> None:
        """Undo `mark_entry_seen` for an entry that could not be queued after all."""
        kinds, digests = _identities(urls, guids, hashes)
        with self.database.connection() as conn:
            conn.execute(FORGET, (kinds, digests))

    def add_feed_article(self, feed_id: str, article_id: str) -> None:
        """Count an article the feed contributed (nothing when the feed is gone)."""
        with self.database.connection() as conn:
            conn.execute(
                "INSERT INTO feed_articles (feed_id, article_id) SELECT id, %s FROM feeds "
                "WHERE id = %s ON CONFLICT DO NOTHING",
                (article_id, feed_id),
            )

    def feed_article_ids(self, feed_id: str) -> list[str]:
        """The ids of the articles a feed contributed, sorted."""
        with self.database.connection() as conn:
            rows = conn.execute(
                "SELECT article_id FROM feed_articles WHERE feed_id = %s ORDER BY article_id",
                (feed_id,),
            ).fetchall()
        return [row["article_id"] for row in rows]
