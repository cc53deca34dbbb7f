"""Stable identities of articles: the same article always gets the same id."""

from __future__ import annotations

import hashlib
import re

from shared.models import ArticleIn

_SPACE = re.compile(r"\s+")


def content_digest(title: str, text: str) -> str:
    """A digest of an article's words, blind to whitespace and case differences."""
    folded = _SPACE.sub(" ", f"{title}\n{text}").strip().casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def url_digest(url: str) -> str:
    """A digest of an article's (already canonical) URL."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def article_id(article: ArticleIn) -> str:
    """The article's id: from its URL when it has one, else from its words."""
    digest = url_digest(article.url) if article.url else content_digest(article.title, article.text)
    return digest[:16]
