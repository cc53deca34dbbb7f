"""Polling one feed: fetch, parse, complete summaries from their pages, dedupe, queue, record.

`FeedPoller.poll` never raises for anything a feed or a page does: the outcome, good or bad, is
recorded on the feed and the worker moves on to the next one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from services.ingest.backoff import BackoffPolicy
from services.ingest.entries import ArticleCandidate, candidates_from_feed, content_hash
from services.ingest.extract import ExtractedPage, extract_page
from services.ingest.feeds import FeedParseError, ParsedFeed, parse_feed
from services.ingest.fetch import (
    PAGE_ACCEPT,
    Fetched,
    Fetcher,
    FetchFailed,
    NotModified,
    RetryLater,
)
from shared.bus import Bus
from shared.errors import FeedNotFound, QueueFull
from shared.models import Feed, FeedPollOutcome, FeedStatus
from shared.queue import EnrichQueue
from shared.store import FeedStore, Store
from shared.submission import submit_article

log = logging.getLogger(__name__)


class _Deferred:
    """A page that failed for now (timeout, 5xx, 429): try the entry again on a later poll."""


DEFERRED = _Deferred()


@dataclass
class EntryTally:
    """What became of a poll's entries."""

    queued: int = 0
    seen: int = 0
    deferred: int = 0  # a page failed for now
    over_budget: int = 0  # a page beyond this poll's page budget
    out_of_time: int = 0  # a page left when this poll's time budget ran out
    empty: int = 0
    pages: int = 0
    # Set when the enrich queue pushed back: the entries not yet queued wait for a later poll.
    queue_full: QueueFull | None = None


@dataclass
class FeedPoller:
    """Polls claimed feeds with one fetcher, queueing new entries as articles."""

    feeds: FeedStore
    articles: Store
    queue: EnrichQueue
    fetcher: Fetcher
    bus: Bus
    # Pages one poll fetches at most (see Settings.feed_pages_per_poll).
    max_pages: int = 200
    # Seconds one poll may take, feed and pages together (see Settings.feed_poll_seconds).
    budget_seconds: float = 300.0
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)
    # True once the worker is shutting down: the entries left are kept for the next poll.
    stopping: Callable[[], bool] = lambda: False
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    monotonic: Callable[[], float] = time.monotonic
    _ends_at: float = field(default=0.0, init=False, repr=False)

    def _time_left(self) -> float:
        return self._ends_at - self.monotonic()

    def poll(self, feed_id: str, holder: str) -> FeedPollOutcome | None:
        """Poll a feed `holder` has claimed and record the outcome; None if it was deleted."""
        try:
            feed = self.feeds.get_feed(feed_id)
        except FeedNotFound:
            return None
        self._ends_at = self.monotonic() + self.budget_seconds
        try:
            outcome = self._poll(feed)
        except Exception as exc:
            # Whatever went wrong (the queue is down, a parser bug), this feed is rescheduled
            # with backoff and the worker goes on with the next one.
            log.exception("polling feed %s failed", feed.url)
            outcome = self._failed(feed, FeedStatus.ERROR, f"{type(exc).__name__}: {exc}")
        self.feeds.record_poll(feed.id, holder, outcome)
        log.info(
            "polled feed %s: %s, %d new article(s)%s",
            feed.url, outcome.status.value, outcome.new_articles,
            f" ({outcome.error})" if outcome.error else "",
        )  # fmt: skip
        return outcome

    def _poll(self, feed: Feed) -> FeedPollOutcome:
        result = self.fetcher.fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, timeout=self._time_left()
        )
        if isinstance(result, NotModified):
            # A 304: nothing to parse. The server may have sent fresher validators.
            return self._succeeded(
                feed, FeedStatus.NOT_MODIFIED, etag=result.etag, last_modified=result.last_modified
            )
        if isinstance(result, RetryLater):
            return self._failed(feed, FeedStatus.RETRY_LATER, result.message, result.retry_at)
        if isinstance(result, FetchFailed):
            return self._failed(feed, FeedStatus.ERROR, result.message)
        try:
            parsed = parse_feed(result.content, content_type=result.content_type,
                                url=result.final_url)  # fmt: skip
        except FeedParseError as exc:
            return self._failed(feed, FeedStatus.ERROR, str(exc))
        tally = self._queue_entries(feed, parsed)
        # With entries left over, the old validators stay, so that the next poll reads the feed
        # again instead of getting a 304 that hides those entries.
        left = tally.deferred + tally.over_budget + tally.out_of_time
        keep_old = left > 0 or tally.queue_full is not None
        outcome = self._succeeded(
            feed,
            FeedStatus.OK,
            etag=None if keep_old else result.etag,
            last_modified=None if keep_old else result.last_modified,
            title=parsed.title,
            moved_to=result.moved_to,
            warning=parsed.warning,
            new_articles=tally.queued,
        )
        if tally.queue_full is not None:
            # Backpressure is not the feed's fault: no error count, just a later poll.
            wait = timedelta(seconds=tally.queue_full.retry_after or 5)
            error = f"{tally.queue_full.title}: {tally.queue_full}"
            outcome = outcome.model_copy(
                update={"next_poll_at": outcome.polled_at + wait, "error": error}
            )
        elif tally.over_budget and not tally.out_of_time:
            # Due again at once: the rest of the entries come after the other due feeds. Not
            # when time ran out: pages that slow would have the feed hold the worker for good.
            outcome = outcome.model_copy(update={"next_poll_at": outcome.polled_at})
        return outcome

    def _queue_entries(self, feed: Feed, parsed: ParsedFeed) -> EntryTally:
        tally = EntryTally()
        source = feed.source or parsed.title
        candidates = candidates_from_feed(parsed)
        identities = [([c.url] if c.url else [], [c.guid]) for c in candidates]
        # Before any page is fetched: an entry seen by its link or GUID costs nothing more.
        seen = self.feeds.entries_seen(identities)
        for candidate, (urls, guids), known in zip(candidates, identities, seen, strict=True):
            if known:
                tally.seen += 1
                continue
            if candidate.needs_page:
                if self._time_left() <= 0:
                    tally.out_of_time += 1
                    continue
                if tally.pages >= self.max_pages or self.stopping():
                    tally.over_budget += 1
                    continue
                tally.pages += 1
            completed = self._complete(candidate)
            if completed is DEFERRED:
                tally.deferred += 1
                continue
            assert isinstance(completed, ArticleCandidate)
            if completed.url and completed.url not in urls:
                urls.append(completed.url)  # the page's rel=canonical
            article = completed.to_article_in(source=source)
            if article is None:
                tally.empty += 1
                continue
            hashes = [content_hash(article.text)]
            if not self.feeds.mark_entry_seen(urls, guids, hashes):
                tally.seen += 1
                continue
            try:
                accepted, created = submit_article(self.articles, self.bus, self.queue, article)
            except QueueFull as exc:
                self.feeds.forget_entry(urls, guids, hashes)  # so a later poll tries again
                tally.queue_full = exc
                break
            except Exception:
                self.feeds.forget_entry(urls, guids, hashes)
                raise
            if created:
                self.feeds.add_feed_article(feed.id, accepted.id)
                tally.queued += 1
            else:
                tally.seen += 1
        return tally

    def _complete(self, candidate: ArticleCandidate) -> ArticleCandidate | _Deferred:
        """The candidate with its page's main text when the feed gave only a summary."""
        if not candidate.needs_page or candidate.url is None:
            return candidate
        page = self._read_page(candidate.url)
        if page is DEFERRED:
            return DEFERRED
        # A page that is gone, refused or holds no article: the summary is all there is.
        return candidate.with_page(page) if isinstance(page, ExtractedPage) else candidate

    def _read_page(self, url: str) -> ExtractedPage | _Deferred | None:
        result = self.fetcher.fetch(url, accept=PAGE_ACCEPT, timeout=self._time_left())
        if isinstance(result, Fetched):
            return extract_page(result.content, result.final_url)
        if isinstance(result, RetryLater) or (
            isinstance(result, FetchFailed) and _transient(result)
        ):
            log.info("page %s deferred: %s", url, result.message)
            return DEFERRED
        message = result.message if isinstance(result, FetchFailed) else "not modified"
        log.info("page %s not read, keeping the summary: %s", url, message)
        return None

    def _succeeded(
        self,
        feed: Feed,
        status: FeedStatus,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        moved_to: str | None = None,
        warning: str | None = None,
        new_articles: int = 0,
    ) -> FeedPollOutcome:
        now = self.clock()
        return FeedPollOutcome(
            status=status,
            polled_at=now,
            next_poll_at=now + timedelta(seconds=feed.interval_seconds),
            error=warning,
            error_count=0,
            etag=etag,
            last_modified=last_modified,
            title=title,
            moved_to=moved_to,
            new_articles=new_articles,
        )

    def _failed(
        self, feed: Feed, status: FeedStatus, message: str, retry_at: datetime | None = None
    ) -> FeedPollOutcome:
        now = self.clock()
        errors = feed.error_count + 1
        # Errors only ever slow a feed down: the next poll is the later of its interval and
        # the backoff (or the server's Retry-After).
        backoff = self.backoff.next_attempt(errors, now, retry_at)
        interval = now + timedelta(seconds=feed.interval_seconds)
        return FeedPollOutcome(
            status=status,
            polled_at=now,
            next_poll_at=max(backoff, interval),
            error=message,
            error_count=errors,
        )


def _transient(failure: FetchFailed) -> bool:
    """Worth another try later: a timeout or a server error (not a 4xx, a refusal, a cap)."""
    if failure.status is not None:
        return failure.status >= 500
    return failure.message.startswith("timed out")
