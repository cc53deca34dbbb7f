"""Readable text out of HTML: feed content fragments and whole article pages.

Everything here works on markup already in memory; nothing fetches. trafilatura is given the
parsed tree, never a URL to download.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from shared.urls import choose_canonical

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date",
)  # fmt: skip
MIN_PAGE_WORDS = 10
_UNTEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*\n\s*")


@dataclass(frozen=True)
class ExtractedPage:
    """The main text of an article page and what the page says about itself."""

    text: str
    title: str | None
    published: datetime | None
    canonical_url: str
    author: str | None


def normalise_text(text: str) -> str:
    """Collapse runs of spaces, keep line breaks, paragraphs apart by one blank line, trim."""
    paragraphs = _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = (
        "\n".join(line for line in (" ".join(raw.split()) for raw in p.split("\n")) if line)
        for p in paragraphs
    )
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


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
    """The main text of an article page without navigation, footer or comments; None if none.

    A "main text" shorter than `min_words` is what trafilatura scrapes from a page that has no
    article (a menu, a cookie notice), so it counts as none.
    """
    tree = load_html(html)
    if tree is None:
        return None
    canonical = choose_canonical(url, _declared_canonical(tree))
    published = _published_from_markup(tree)
    # trafilatura prunes the tree it is given, so everything read from the head comes first.
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if document is None:
        return None
    if not isinstance(document, dict):
        document = document.as_dict()
    title = _clean(document.get("title"))
    # trafilatura ends each paragraph with one newline; the stored text keeps a blank line.
    lines = str(document.get("text") or "").split("\n")
    if title and lines and _clean(lines[0]) == title:
        lines = lines[1:]  # the headline is stored as the title, not repeated in the text
    text = normalise_text("\n\n".join(lines))
    if len(text.split()) < min_words:
        return None
    return ExtractedPage(
        text=text,
        title=title,
        published=published or _parse_datetime(document.get("date")),
        canonical_url=canonical,
        author=_clean(document.get("author")),
    )


def _declared_canonical(tree: lxml.html.HtmlElement) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _published_from_markup(tree: lxml.html.HtmlElement) -> datetime | None:
    """A full publication timestamp from meta tags or JSON-LD, where the page gives one."""
    wanted = {name.lower() for name in PUBLISHED_META}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted:
            moment = _parse_datetime(meta.get("content"))
            if moment is not None:
                return moment
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            moment = _parse_datetime(_json_ld_published(script.text))
            if moment is not None:
                return moment
    return None


def _json_ld_published(source: str) -> str | None:
    try:
        data = json.loads(source)
    except ValueError:
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str):
                return value
            stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return None


def _parse_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
