"""Parsing fetched feed bytes: RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed by hand."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any
from urllib.parse import urljoin
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser
from feedparser.encodings import convert_to_utf8

from services.ingest.extract import html_to_text, normalise_text
from services.ingest.published import feed_timestamp, first_plausible, parse_timestamp

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


class FeedParseError(ValueError):
    """The bytes are not a feed we can read, or are one we refuse to read."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed; `summary` and `content` are plain text (HTML already stripped)."""

    guid: str
    link: str | None
    title: str | None
    summary: str | None
    content: str | None
    published: datetime | None
    author: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed. `warning` says what was wrong with a feed that still yielded entries."""

    format: str
    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    warning: str | None = None


def parse_feed(
    content: bytes, *, content_type: str | None = None, url: str | None = None
) -> ParsedFeed:
    """Entries of a feed document; FeedParseError for anything that is not a readable feed."""
    if _looks_like_json(content, content_type):
        return _parse_json_feed(content, url)
    headers = {"content-type": content_type or "application/xml"}
    refuse_entity_declarations(content, headers)
    if url:
        headers["content-location"] = url
    # A file-like object, never bare bytes or str: feedparser treats those as a path or a URL
    # to open, which would let a feed body name a local file.
    try:
        parsed = feedparser.parse(
            io.BytesIO(content),
            response_headers=headers,
            # The HTML is reduced to text here (scripts dropped), so sanitizing it first and
            # resolving the links inside it would be work thrown away.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (UnicodeError, LookupError) as exc:
        # feedparser trips over some undecodable encoding declarations instead of flagging them.
        raise FeedParseError(f"not a readable RSS, Atom or JSON feed: {exc}") from None
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries and (problem is not None or not parsed.get("version")):
        reason = f": {problem}" if problem is not None else ""
        raise FeedParseError(f"not a readable RSS, Atom or JSON feed{reason}")
    return ParsedFeed(
        format=str(parsed.get("version") or "unknown"),
        title=_one_line(_detail_text(parsed.feed.get("title_detail") or {})),
        link=parsed.feed.get("link"),
        entries=[_entry_from_feedparser(entry) for entry in parsed.entries],
        warning=f"feed is not well-formed: {problem}" if problem is not None else None,
    )


class _RootReached(Exception):
    """Stops the prolog scan: entity declarations can only come before the root element."""


class _StopAtRoot(ContentHandler):
    def startElement(self, name: str, attrs: object) -> None:  # noqa: N802 - SAX API
        raise _RootReached

    def startElementNS(self, name: object, qname: object, attrs: object) -> None:  # noqa: N802
        raise _RootReached


def refuse_entity_declarations(content: bytes, headers: Mapping[str, str] | None = None) -> None:
    """FeedParseError if the document declares entities (billion laughs, external entities).

    Only the prolog is read, by defusedxml's hardened expat reader, of the document as
    feedparser will read it: converted to UTF-8 by feedparser's own encoding detection (expat
    reads no multi-byte encoding such as GB2312, Big5 or EUC-KR, nor UTF-16 it cannot sniff).
    A plain DOCTYPE (as old RSS 0.91 feeds carry) is fine; what is refused is any <!ENTITY>.
    When the prolog itself is not well-formed, a raw search for an entity declaration decides.
    """
    decoded = _as_utf8(content, headers)
    # forbid_external would refuse the public DTD of an RSS 0.91 DOCTYPE, which nothing fetches
    # (expat resolves no external subset, feedparser turns external entities off); external
    # entities themselves are declarations, which forbid_entities refuses.
    parser = create_parser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setContentHandler(_StopAtRoot())
    try:
        parser.parse(io.BytesIO(decoded))
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise FeedParseError(f"refused: the document declares XML entities ({exc})") from None
    except (SAXException, ValueError, LookupError):
        # ValueError covers UnicodeError and expat's "multi-byte encodings are not supported".
        if _declares_entity_raw(decoded) or _declares_entity_raw(content):
            raise FeedParseError("refused: the document declares XML entities") from None


def _as_utf8(content: bytes, headers: Mapping[str, str] | None) -> bytes:
    """The document re-encoded in UTF-8 exactly as feedparser will parse it."""
    result: dict[str, Any] = {}
    try:
        converted = convert_to_utf8(dict(headers or {}), content, result)
    except (ValueError, LookupError):
        return content
    return converted if isinstance(converted, bytes) else content


def _declares_entity_raw(content: bytes) -> bool:
    texts = [content]
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:64]:
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            texts.append(content.decode(encoding, errors="ignore").encode("utf-8"))
    return any(b"<!entity" in text.lower() for text in texts)


def _entry_from_feedparser(entry: dict[str, Any]) -> FeedEntry:
    link = entry.get("link") or None
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    content = max((_detail_text(c) for c in contents), key=len, default="") or None
    summary = _detail_text(entry.get("summary_detail") or {"value": entry.get("summary")})
    # The first date that is not a placeholder, in the offset the publisher wrote it in.
    published = first_plausible(
        # dict.get: feedparser's own get() maps a missing `updated` to `published`, and warns.
        feed_timestamp(dict.get(entry, name), dict.get(entry, f"{name}_parsed"))
        for name in ("published", "updated", "created")
    )
    title_detail = entry.get("title_detail") or {"value": entry.get("title")}
    title = " ".join(_detail_text(title_detail).split()) or None
    return FeedEntry(
        guid=str(entry.get("id") or link or _fallback_guid(title, published, summary)),
        link=link,
        title=title,
        # Atom feeds with only <content> get it copied into summary by feedparser.
        summary=summary if summary and summary != content else None,
        content=content,
        published=published,
        author=_one_line(_unescape(entry.get("author"))),
    )


def _detail_text(detail: Mapping[str, Any]) -> str:
    value = str(detail.get("value") or "")
    if str(detail.get("type") or "").lower() == "text/plain":
        # Publishers escape plain-text fields as if they were HTML (`you&#039;ll`): once more.
        return normalise_text(html.unescape(value))
    return html_to_text(value)


def _unescape(value: object) -> str | None:
    """A tag-less field with its HTML entities decoded, once (`&amp;amp;` is `&amp;`)."""
    return html.unescape(value) if isinstance(value, str) else None


def _looks_like_json(content: bytes, content_type: str | None) -> bool:
    # The body decides when it can (servers mislabel feeds both ways); the header only breaks
    # the tie for bodies that start with neither "{" nor "<".
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"<"):
        return start == b"{"
    return bool(content_type) and "json" in str(content_type).lower()


def _parse_json_feed(content: bytes, url: str | None) -> ParsedFeed:
    try:
        data = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"not a readable JSON Feed: {exc}") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise FeedParseError("not a JSON Feed: no https://jsonfeed.org/version/ marker")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedParseError("not a readable JSON Feed: 'items' is not a list")
    base = url or _string(data.get("feed_url")) or _string(data.get("home_page_url"))
    version = str(data["version"]).removeprefix(JSON_FEED_VERSION_PREFIX)
    entries = [_entry_from_json(item, base) for item in items if isinstance(item, dict)]
    skipped = len(items) - len(entries)
    return ParsedFeed(
        format=f"json{version}",
        title=_one_line(_unescape(data.get("title"))),
        link=_string(data.get("home_page_url")),
        entries=entries,
        warning=f"{skipped} items are not objects and were skipped" if skipped else None,
    )


def _entry_from_json(item: Mapping[str, Any], base: str | None) -> FeedEntry:
    raw_link = _string(item.get("url")) or _string(item.get("external_url"))
    link = urljoin(base, raw_link) if raw_link and base else raw_link
    markup, plain = _string(item.get("content_html")), _string(item.get("content_text"))
    content = html_to_text(markup) if markup else normalise_text(html.unescape(plain or ""))
    summary = normalise_text(html.unescape(_string(item.get("summary")) or "")) or None
    published = first_plausible(
        parse_timestamp(item.get(name)) for name in ("date_published", "date_modified")
    )
    title = _one_line(_unescape(item.get("title")))
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [_unescape(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return FeedEntry(
        guid=str(item.get("id") or link or _fallback_guid(title, published, summary or content)),
        link=link,
        title=title,
        summary=summary,
        content=content or None,
        published=published,
        author=_one_line(", ".join(map(str, names))),
    )


def _fallback_guid(title: str | None, published: datetime | None, text: str | None) -> str:
    """A stable id for entries with neither id nor link, from what identifies them."""
    # In UTC, so that an id does not change with the offset a date is kept in.
    moment = published.astimezone(UTC).isoformat() if published else ""
    key = "\x1f".join([title or "", moment, text or ""])
    return "sha256:" + sha256(key.encode("utf-8")).hexdigest()


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
