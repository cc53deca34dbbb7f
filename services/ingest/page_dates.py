"""The publication time of an article page: its metadata by preference, then htmldate.

Pages carry several dates, in no useful order: `sailthru.date` (a newsletter tool's date,
often the last update) can come before `article:published_time`. The explicit publication
signals are taken by rank, whatever their place on the page, each kept in the offset it was
written in and skipped when it is a placeholder (`0001-01-01`). A page with none of them is
left to htmldate, which reads URLs, `<time>` elements and the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import lxml.html
from htmldate import find_date

from services.ingest.published import (
    EARLIEST_PLAUSIBLE,
    FUTURE_SLACK,
    first_plausible,
    parse_timestamp,
)

# Best first. JSON-LD's datePublished is "ld:datepublished"; the rest are meta names,
# properties or itemprops, lower-cased.
PUBLISHED_SIGNALS = (
    "article:published_time",
    "og:article:published_time",
    "ld:datepublished",
    "datepublished",
    "og:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "sailthru.date",
)
# htmldate's output: full time and offset when the page has them.
_HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def page_published(
    tree: lxml.html.HtmlElement, url: str | None = None, now: datetime | None = None
) -> datetime | None:
    """The page's publication time, in its own offset; None when it gives no plausible one."""
    now = now or datetime.now(UTC)
    found: dict[str, list[str]] = {}
    for key, value in _signals(tree):
        found.setdefault(key, []).append(value)
    ranked = (parse_timestamp(v) for key in PUBLISHED_SIGNALS for v in found.get(key, []))
    best = first_plausible(ranked, now)
    if best is not None:
        return best
    return _htmldate(tree, url, now)


def _signals(tree: lxml.html.HtmlElement) -> Iterator[tuple[str, str]]:
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        content = meta.get("content") or meta.get("datetime")
        if key and content:
            yield key.strip().lower(), content
    for element in tree.iter("time"):
        moment = element.get("datetime")
        if moment and (
            (element.get("itemprop") or "").lower() == "datepublished"
            or element.get("pubdate") is not None
        ):
            yield "datepublished", moment
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            for value in _json_ld_published(script.text):
                yield "ld:datepublished", value


def _json_ld_published(source: str) -> Iterator[str]:
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        return
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str):
                yield value
            stack.extend(v for v in item.values() if isinstance(v, list | dict))


def _htmldate(tree: lxml.html.HtmlElement, url: str | None, now: datetime) -> datetime | None:
    try:
        found = find_date(
            tree,
            # The extensive search guesses from years in the text ("the winter of 2014" gives
            # 2014-01-01): a wrong date is worse than none.
            extensive_search=False,
            original_date=True,
            outputformat=_HTMLDATE_FORMAT,
            url=url,
            min_date=EARLIEST_PLAUSIBLE.replace(tzinfo=None),
            max_date=(now + FUTURE_SLACK).replace(tzinfo=None),
        )
    except (ValueError, TypeError, OverflowError):
        return None
    return first_plausible([parse_timestamp(found)], now)
