"""The evaluation runner: real pipeline on gold articles, scored by the scorer beside the gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.enrich import evaluate

# A stand-in for the gold set's `score.py`: it reports what it was given, so the test can see
# that the runner passed the gold and the system file it wrote.
SCORER = """
import json
FOLDS = {"meantime": {}}
def load(path):
    with open(path, encoding="utf-8") as fh:
        return {d["id"]: d for d in map(json.loads, filter(str.strip, fh))}
def score(gold, system, fold):
    dates = {k: len(v["dates"]) for k, v in system.items()}
    return {"gold_ids": sorted(gold), "system_dates": dates}
"""

ARTICLE = {
    "id": "a1",
    "title": "Talks fail",
    "published_at": "2016-09-23",
    "text": "Talks fail\nA meeting on Thursday ended without agreement.",
    "dates": [{"start": 23, "end": 31, "type": "DATE", "value": "2016-09-22"}],
    "entities": [],
}


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    (tmp_path / "score.py").write_text(SCORER, encoding="utf-8")
    path = tmp_path / "gold.jsonl"
    undated = dict(ARTICLE, id="a2", published_at="03-02-2009", text="Shares fell on Monday.")
    path.write_text("\n".join(json.dumps(a) for a in (ARTICLE, undated)) + "\n", encoding="utf-8")
    return path


def test_writes_system_lines_and_prints_the_scorers_figures(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "system.jsonl"
    evaluate.main([str(gold), "--out", str(out)])

    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a1", "a2"]
    first = lines[0]
    assert first["text"] == ARTICLE["text"]
    assert [(d["text"], d["value"]) for d in first["dates"]] == [("Thursday", "2016-09-22")]
    assert set(first) == {"id", "text", "entities", "dates"}

    printed = json.loads(capsys.readouterr().out)
    assert printed == {"gold_ids": ["a1", "a2"], "system_dates": {"a1": 1, "a2": 1}}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2016-09-23", "2016-09-23"), ("03-02-2009", None), (None, None), ("", None)],
)
def test_publication_dates_that_cannot_be_read_count_as_unknown(
    raw: str | None, expected: str | None
) -> None:
    found = evaluate.published_at({"published_at": raw})
    assert (found.date().isoformat() if found else None) == expected
