"""From feed entries to article candidates: is the text all there, or must the page be read?"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from hashlib import sha256
from urllib.parse import urlsplit

import re2

from services.ingest.extract import ExtractedPage
from services.ingest.feeds import FeedEntry, ParsedFeed
from shared.models import EARLIEST_YEAR, LATEST_YEAR, ArticleIn
from shared.urls import canonicalize

MIN_FULL_TEXT_WORDS = 100
# A teaser with fewer distinct words of four letters or more is not compared with its page.
MIN_TEASER_WORDS = 5
_WORD = re.compile(r"\w+")
TITLE_FROM_TEXT_CHARS = 120
# Endings by which feeds mark an excerpt of a longer article. RE2 (linear time): with Python's
# engine, "..." followed by a long run of spaces backtracks quadratically.
_TRUNCATION_MARK = re2.compile(
    r"(?i)(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|\b(read|continue reading|read the full|more)\b"
    r"[^.!?]{0,40})\s*[\]»›>)]*\s*$"
)


@dataclass(frozen=True)
class ArticleCandidate:
    """A feed entry on its way to becoming an article.

    `complete` says `text` is the whole article. When it is not and `url` is set, the caller
    fetches the page, runs `extract_page`, and applies the result with `with_page`.
    """

    guid: str
    url: str | None
    title: str | None
    text: str
    published: datetime | None
    author: str | None
    complete: bool

    @property
    def needs_page(self) -> bool:
        return not self.complete and self.url is not None

    def with_page(self, page: ExtractedPage) -> ArticleCandidate:
        """This candidate completed by its extracted page; the feed's own fields win.

        A page without article text, or whose "main text" shares no word with the feed's
        teaser (a notice, another story), leaves the teaser as the text; its date still counts.
        """
        text = page.text if page.text and shares_words(self.text, page.text) else self.text
        return replace(
            self,
            url=page.canonical_url,
            title=self.title or page.title,
            text=text,
            published=self.published or page.published,
            author=self.author or page.author,
            complete=True,
        )

    def to_article_in(self, source: str | None = None) -> ArticleIn | None:
        """The submission for the enrichment pipeline; None when there is no text at all."""
        if not self.text.strip():
            return None
        title = self.title or _title_from_text(self.text)
        return ArticleIn(
            title=title[:1_000],
            text=self.text[:1_000_000],
            url=self.url,
            source=source[:200] if source else None,
            published_at=_plausible(self.published),
        )


def _plausible(published: datetime | None) -> datetime | None:
    """A feed's date outside the years a submission may carry is dropped, not the entry."""
    if published is None or not EARLIEST_YEAR <= published.year <= LATEST_YEAR:
        return None
    return published


def candidates_from_feed(
    feed: ParsedFeed, *, min_words: int = MIN_FULL_TEXT_WORDS
) -> list[ArticleCandidate]:
    """One candidate per entry, in feed order, with canonical URLs; entries are not deduped."""
    return [candidate_from_entry(entry, min_words=min_words) for entry in feed.entries]


def candidate_from_entry(
    entry: FeedEntry, *, min_words: int = MIN_FULL_TEXT_WORDS
) -> ArticleCandidate:
    """The candidate for one entry: its content if that is the full article, else its summary."""
    content = entry.content or ""
    summary = entry.summary or ""
    full = is_full_text(content, min_words=min_words)
    return ArticleCandidate(
        guid=entry.guid,
        url=_canonical_or_none(entry.link),
        title=entry.title,
        text=content if full else max(content, summary, key=len),
        published=entry.published,
        author=entry.author,
        complete=full,
    )


def is_full_text(text: str, *, min_words: int = MIN_FULL_TEXT_WORDS) -> bool:
    """Whether a text is a whole article: long enough and not ending like a teaser."""
    return len(text.split()) >= min_words and _TRUNCATION_MARK.search(text) is None


def shares_words(teaser: str, text: str) -> bool:
    """Whether a page's text has any word of the feed's teaser; True when the teaser is too
    short (or written without spaces) to judge by."""
    words = _content_words(teaser)
    if len(words) < MIN_TEASER_WORDS:
        return True
    return not words.isdisjoint(_content_words(text))


def _content_words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if len(word) >= 4}


def content_hash(text: str) -> str:
    """The dedupe key of a text: sha256 of its words joined by single spaces, case kept."""
    return sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _canonical_or_none(link: str | None) -> str | None:
    if not link:
        return None
    try:
        url = canonicalize(link)
    except ValueError:
        return None  # a link that cannot be parsed cannot be fetched or shown either
    return url if urlsplit(url).scheme in ("http", "https") else None


def _title_from_text(text: str) -> str:
    first_line = text.strip().split("\n", 1)[0]
    if len(first_line) <= TITLE_FROM_TEXT_CHARS:
        return first_line
    return first_line[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + "…"
