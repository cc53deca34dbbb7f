"""Articles as CSV rows and JSON lines."""

from __future__ import annotations

import csv
import io
import json

from services.api.exports import CSV_COLUMNS, csv_rows, jsonl_rows
from shared.models import Article, EntitySummary


def article(title: str, text: str) -> Article:
    return Article(
        id="3f2a9c1d0b7e4a66",
        title=title,
        text=text,
        source="Reuters",
        published_at="2016-09-23T10:00:00+02:00",
        entity_summary=[
            EntitySummary(entity_id="place:syria", name="Syria", label="GPE", mentions=1,
                          salience=0.2),
            EntitySummary(entity_id="person:sergei-lavrov", name="Sergei Lavrov",
                          label="PERSON", mentions=2, salience=0.9),
        ],
    )  # fmt: skip


def test_csv_keeps_commas_quotes_and_newlines_in_one_row() -> None:
    text = 'He said, "no".\nThen left.'
    rows = list(csv.reader(io.StringIO(csv_rows([article("A, B", text)], header=True))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 2
    row = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert (row["title"], row["text"], row["url"]) == ("A, B", text, "")
    assert row["entities"] == "Sergei Lavrov; Syria"  # most salient first
    assert row["published_at"] == "2016-09-23T10:00:00+02:00"


def test_a_later_chunk_has_no_header() -> None:
    assert csv_rows([article("A", "b")], header=False).count("\n") == 1


def test_json_lines_are_whole_articles() -> None:
    lines = jsonl_rows([article("A", "line\nbreak"), article("B", "c")]).splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["A", "B"]
    assert json.loads(lines[0])["text"] == "line\nbreak"
