from pathlib import Path

from services.ingest.files import parse_plain_text, read_articles

SEED = Path(__file__).resolve().parents[2] / "seeds" / "articles"
SEED_ARTICLE = SEED / "world-powers-fail-to-salvage-syrian-truce.txt"


def test_plain_text_title_is_the_first_line_and_text_the_rest() -> None:
    article = parse_plain_text(SEED_ARTICLE.read_text())
    assert article.title == "World powers fail to salvage Syrian truce"
    assert article.text.startswith("World powers fail to salvage Syrian truce\nA high-level")
    assert article.text.endswith("Agencies contributed to this report")
    assert article.published_at is None  # left to the dateline


def test_json_lines_keep_good_lines_and_report_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"title": "One", "text": "First.", "published_at": "2020-01-02"}\n'
        "not json\n"
        '{"title": "", "text": "No title."}\n'
        '{"title": "Two", "text": "Second.", "url": "https://example.org/2"}\n'
    )
    items = list(read_articles(path))
    assert [i.article.title for i in items if i.article] == ["One", "Two"]
    errors = {i.origin: i.error for i in items if i.error}
    assert set(errors) == {f"{path}:2", f"{path}:3"}
    assert "invalid JSON" in errors[f"{path}:2"]
    assert "title" in errors[f"{path}:3"]
    first = items[0].article
    assert first is not None and first.published_at is not None
    assert first.published_at.isoformat() == "2020-01-02T00:00:00+00:00"


def test_folders_are_read_recursively_and_unknown_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "a.txt").write_text("Title A\n\nBody A.\n")
    (tmp_path / "b.jsonl").write_text('{"title": "B", "text": "Body B."}\n')
    (tmp_path / "notes.md").write_text("# not an article")
    titles = sorted(i.article.title for i in read_articles(tmp_path) if i.article)
    assert titles == ["B", "Title A"]


def test_an_empty_text_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n\n")
    [item] = read_articles(path)
    assert item.article is None and item.error == "the file is empty"
