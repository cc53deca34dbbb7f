"""Parsing fetched feed bytes: RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed by hand."""

from __future__ import annotations

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

from services.ingest.extract import html_to_text, normalise_text

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
    refuse_entity_declarations(content)
    headers = {"content-type": content_type or "application/xml"}
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
        title=_one_line(parsed.feed.get("title")),  # feedparser unescaped it already
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


def refuse_entity_declarations(content: bytes) -> None:
    """FeedParseError if the document declares entities (billion laughs, external entities).

    Only the prolog is read, by defusedxml's hardened expat reader. A plain DOCTYPE (as old RSS
    0.91 feeds carry) is fine; what is refused is any <!ENTITY>. When the prolog itself is not
    well-formed, a raw search for an entity declaration decides instead.
    """
    # forbid_external would refuse the public DTD of an RSS 0.91 DOCTYPE, which nothing fetches
    # (expat resolves no external subset, feedparser turns external entities off); external
    # entities themselves are declarations, which forbid_entities refuses.
    parser = create_parser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setContentHandler(_StopAtRoot())
    try:
        parser.parse(io.BytesIO(content))
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise FeedParseError(f"refused: the document declares XML entities ({exc})") from None
    except (SAXException, UnicodeError, LookupError):
        if _declares_entity_raw(content):
            raise FeedParseError("refused: the document declares XML entities") from None


def _declares_entity_raw(content: bytes) -> bool:
    texts = [content]
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:64]:
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            texts.append(content.decode(encoding, errors="ignore").encode("utf-8"))
    return any(b"<!entity" in text.lower() for text in texts)


def _entry_from_feedparser(entry: Mapping[str, Any]) -> FeedEntry:
    link = entry.get("link") or None
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    content = max((_detail_text(c) for c in contents), key=len, default="") or None
    summary = _detail_text(entry.get("summary_detail") or {"value": entry.get("summary")})
    published = _struct_to_datetime(
        entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
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
        author=_one_line(entry.get("author")),
    )


def _detail_text(detail: Mapping[str, Any]) -> str:
    value = str(detail.get("value") or "")
    if str(detail.get("type") or "").lower() == "text/plain":
        return normalise_text(value)
    return html_to_text(value)


def _struct_to_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=UTC)
    except (TypeError, ValueError):
        return None


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
        title=_one_line(data.get("title")),
        link=_string(data.get("home_page_url")),
        entries=entries,
        warning=f"{skipped} items are not objects and were skipped" if skipped else None,
    )


def _entry_from_json(item: Mapping[str, Any], base: str | None) -> FeedEntry:
    raw_link = _string(item.get("url")) or _string(item.get("external_url"))
    link = urljoin(base, raw_link) if raw_link and base else raw_link
    html, plain = _string(item.get("content_html")), _string(item.get("content_text"))
    content = html_to_text(html) if html else normalise_text(plain) if plain else None
    summary = normalise_text(_string(item.get("summary")) or "") or None
    published = _iso_to_datetime(item.get("date_published") or item.get("date_modified"))
    title = _one_line(item.get("title"))
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    return FeedEntry(
        guid=str(item.get("id") or link or _fallback_guid(title, published, summary or content)),
        link=link,
        title=title,
        summary=summary,
        content=content or None,
        published=published,
        author=_one_line(", ".join(map(str, names))),
    )


def _iso_to_datetime(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _fallback_guid(title: str | None, published: datetime | None, text: str | None) -> str:
    """A stable id for entries with neither id nor link, from what identifies them."""
    key = "\x1f".join([title or "", published.isoformat() if published else "", text or ""])
    return "sha256:" + sha256(key.encode("utf-8")).hexdigest()


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
