"""Readable text out of HTML: feed content fragments and whole article pages.

Everything here works on markup already in memory; nothing fetches. trafilatura is given the
parsed tree, never a URL to download.
"""

from __future__ import annotations

import html
import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import lxml.html
from lxml import etree
from trafilatura import bare_extraction, baseline
from trafilatura.utils import load_html

from services.ingest.page_dates import page_published
from shared.urls import choose_canonical

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
MIN_PAGE_WORDS = 10
# Precision results with fewer words than 1/RECALL_RATIO of what the page seems to hold are
# extracted again in recall mode.
RECALL_RATIO = 3
# A "main text" this short that reads like a notice is not an article.
NOTICE_MAX_WORDS = 120
NOTICE_PHRASES = (
    "for your personal, non-commercial use",
    "for your personal non-commercial use",
    "all rights reserved",
    "subscribe to continue",
    "subscribe to read",
    "subscribers only",
    "for subscribers",
    "to continue reading",
    "already a subscriber",
    "sign in to continue",
    "log in to continue",
    "create a free account",
    "you have reached your limit",
    "free articles this month",
    "subscriber agreement",
    "please enable javascript",
    "enable cookies",
)
_UNTEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class ExtractedPage:
    """The main text of an article page ("" when it holds none) and what the page says about
    itself."""

    text: str
    title: str | None
    published: datetime | None
    canonical_url: str
    author: str | None


def normalise_text(text: str) -> str:
    """Collapse runs of spaces, keep line breaks, paragraphs apart by one blank line, trim."""
    # Line by line rather than by a regular expression: a pattern such as \s*\n\s*\n\s* backtracks
    # quadratically on a long run of spaces, and this text comes from feeds and pages.
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if line:
            lines.append(line)
        elif lines:  # a blank line ends a paragraph
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one blank line between blocks; scripts and styles dropped."""
    # lxml refuses text nodes with control characters or lone surrogates; they carry no text.
    markup = _UNTEXT.sub("", markup)
    if "<" not in markup:
        # HTML without a tag is still HTML: its entities are decoded, once, as lxml would.
        return normalise_text(html.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*INVISIBLE_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return normalise_text(root.text_content())


def extract_page(
    html: str | bytes, url: str, *, min_words: int = MIN_PAGE_WORDS
) -> ExtractedPage | None:
    """The main text of an article page without navigation, footer or comments, and what the
    page says about itself; None when it gives neither text nor a publication date.

    `text` is empty when the page holds no article: a "main text" shorter than `min_words`
    (a menu, a cookie notice) or a subscription or copyright notice. Its date, title and
    canonical URL are kept all the same.
    """
    tree = load_html(html)
    if tree is None:
        return None
    canonical = choose_canonical(url, _declared_canonical(tree))
    published = page_published(tree, url)
    document = _extract(tree, url, favor_precision=True)
    text = _document_text(document)
    expected = _expected_words(tree)
    if len(text.split()) * RECALL_RATIO < expected:
        # Precision mode sometimes keeps only a teaser of a long article; recall-oriented
        # settings read the rest, at the risk of a little boilerplate.
        recalled = _extract(tree, url, favor_recall=True)
        if len(_document_text(recalled).split()) > len(text.split()):
            document, text = recalled, _document_text(recalled)
    if len(text.split()) < min_words or is_notice(text):
        text = ""
    if not text and published is None:
        return None
    return ExtractedPage(
        text=text,
        title=_clean(document.get("title")),
        published=published,
        canonical_url=canonical,
        author=_clean(document.get("author")),
    )


def is_notice(text: str) -> bool:
    """Whether a short "main text" is a subscription, paywall or copyright notice."""
    if len(text.split()) > NOTICE_MAX_WORDS:
        return False
    folded = " ".join(text.lower().split())
    return any(phrase in folded for phrase in NOTICE_PHRASES)


def _extract(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    favor_precision: bool = False,
    favor_recall: bool = False,
) -> dict[str, Any]:
    # trafilatura works on a copy of a tree it is given; the date is ours (page_dates), so its
    # own date search is kept to the cheap signals.
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
        favor_precision=favor_precision,
        favor_recall=favor_recall,
    )
    if document is None:
        return {}
    return document if isinstance(document, dict) else document.as_dict()


def _document_text(document: dict[str, Any]) -> str:
    title = _clean(document.get("title"))
    # trafilatura ends each paragraph with one newline; the stored text keeps a blank line.
    lines = str(document.get("text") or "").split("\n")
    if title and lines and _clean(lines[0]) == title:
        lines = lines[1:]  # the headline is stored as the title, not repeated in the text
    return normalise_text("\n\n".join(lines))


def _expected_words(tree: lxml.html.HtmlElement) -> int:
    """How many words the page's article seems to have: its JSON-LD articleBody, or the text
    of its <article> or paragraphs (trafilatura's baseline), whichever it finds first."""
    try:
        _body, text, _length = baseline(deepcopy(tree))
    except (ValueError, TypeError):
        return 0
    return len(text.split())


def _declared_canonical(tree: lxml.html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
