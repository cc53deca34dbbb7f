"""`gazette ingest PATH` on saved feeds: RSS, Atom and JSON Feed files and folders of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from services.ingest.files import SUPPORTED_SUFFIXES, read_articles
from tests.unit.ingest_fixtures import FEEDS


def test_every_entry_of_a_saved_rss_feed_is_one_article() -> None:
    items = list(read_articles(FEEDS / "rss2.xml"))
    assert [item.error for item in items] == [None, None, None]
    flood, cycle, market = (item.article for item in items)
    assert flood is not None and cycle is not None and market is not None
    assert flood.url == "https://courier.example/news/flood-barrier-opens"  # utm_* dropped
    assert flood.source == "Valley Courier — Local News"
    assert "alert(" not in flood.text and len(flood.text.split()) > 100
    assert cycle.title == "Council approves new cycle lanes & bus stops"
    assert market.text == "Traders return on Saturday."  # a file is read as it is: no fetch


def test_a_folder_is_read_recursively_with_feeds_beside_json_lines(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(FEEDS / "atom.xml", nested / "harbour.atom")
    shutil.copy(FEEDS / "jsonfeed.json", tmp_path / "a" / "hilltown.json")
    (tmp_path / "plain.json").write_text(json.dumps({"title": "T", "text": "Words."}) + "\n")
    found = {item.origin: item for item in read_articles(tmp_path)}
    assert sorted(Path(origin).name for origin in found) == [
        "harbour.atom#1", "harbour.atom#2", "hilltown.json#1", "hilltown.json#2", "plain.json:1",
    ]  # fmt: skip
    assert all(item.article is not None for item in found.values())
    titles = {item.article.title for item in found.values() if item.article}
    assert "School choir wins regional prize" in titles and "T" in titles


def test_a_broken_or_dangerous_feed_file_is_one_error_not_a_crash() -> None:
    for name, reason in (("malformed.xml", "not a readable"), ("entity-bomb.xml", "entities")):
        [item] = list(read_articles(FEEDS / name))
        assert item.article is None and item.error is not None and reason in item.error


def test_feed_suffixes_are_watched_in_the_inbox() -> None:
    assert {".xml", ".rss", ".atom", ".json"} <= SUPPORTED_SUFFIXES
