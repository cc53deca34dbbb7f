"""Feeds the way publishers write them: multi-byte encodings, entities escaped twice, dates in
their own offset, placeholder dates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from services.ingest.feeds import FeedParseError, parse_feed
from services.ingest.files import read_articles

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "title", "summary"),
    [
        ("big5.xml", "颱風今晚登陸臺灣", "氣象局表示，颱風預計今晚在東部沿海登陸。"),
        ("gb2312.xml", "台风今晚登陆", "气象局表示，台风预计今晚在东部沿海登陆。"),
        (
            "euc-kr.xml",
            "태풍 오늘 밤 상륙",
            "기상청은 태풍이 오늘 밤 동해안에 상륙할 것으로 예보했다.",
        ),
        ("utf16-nobom.xml", "Flood barrier opens", "The barrier held."),
    ],
)
def test_multi_byte_encodings_are_read_as_feedparser_reads_them(
    name: str, title: str, summary: str
) -> None:
    feed = parse_feed(read(name))
    [entry] = feed.entries
    assert (entry.title, entry.summary) == (title, summary)


def test_a_declared_charset_in_the_content_type_is_honoured() -> None:
    content = read("gb2312.xml").replace(b' encoding="gb2312"', b"")
    [entry] = parse_feed(content, content_type="application/rss+xml; charset=gb2312").entries
    assert entry.title == "台风今晚登陆"


@pytest.mark.parametrize("name", ["gb2312-entity-bomb.xml", "utf16-entity-bomb.xml"])
def test_the_entity_guard_still_works_on_multi_byte_documents(name: str) -> None:
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(read(name))


def test_entities_in_tag_less_fields_are_decoded_exactly_once() -> None:
    feed = parse_feed(read("entities.xml"))
    [entry] = feed.entries
    assert feed.title == "Books & More"
    assert entry.title == "Barnes & Noble"
    assert entry.summary == "you'll see the <new> store"


def test_json_feed_text_fields_are_decoded_once() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Books &amp; More",
        "items": [
            {
                "id": "1",
                "title": "Barnes &amp;amp; Noble",
                "content_text": "you&#039;ll see",
                "date_published": "2020-10-14T05:50:00+08:00",
            }
        ],
    }
    feed = parse_feed(json.dumps(document).encode())
    [entry] = feed.entries
    assert (feed.title, entry.title, entry.content) == (
        "Books & More",
        "Barnes &amp; Noble",
        "you'll see",
    )
    assert entry.published is not None
    assert entry.published.isoformat() == "2020-10-14T05:50:00+08:00"


def test_an_rss_date_keeps_the_publishers_offset() -> None:
    [entry] = parse_feed(read("gb2312.xml")).entries
    assert entry.published is not None
    assert entry.published.isoformat() == "2020-10-14T05:50:00+08:00"  # the 14th, not the 13th
    assert entry.published.date().isoformat() == "2020-10-14"


def test_placeholder_dates_are_unknown_and_the_next_source_is_used() -> None:
    first, second, third = parse_feed(read("placeholder-dates.atom")).entries
    assert first.published is not None
    assert first.published.isoformat() == "2020-10-14T05:50:00+08:00"  # <updated>, not 0001
    assert second.published is None  # 2999 is no publication date
    assert third.published == datetime(2020, 10, 14, 5, 50, tzinfo=timezone(timedelta(hours=-5)))
    assert third.published.utcoffset() == timedelta(hours=-5)


def test_a_saved_feed_file_keeps_offset_and_decoding_into_the_article(tmp_path: Path) -> None:
    (tmp_path / "big5.xml").write_bytes(read("big5.xml"))
    [item] = read_articles(tmp_path / "big5.xml")
    assert item.article is not None
    assert item.article.title == "颱風今晚登陸臺灣"
    assert item.article.source == "中央社新聞"
    assert item.article.published_at is not None
    assert item.article.published_at.isoformat() == "2020-10-14T05:50:00+08:00"
    assert item.article.model_dump(mode="json")["published_at"] == "2020-10-14T05:50:00+08:00"
