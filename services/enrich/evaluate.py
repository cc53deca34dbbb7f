"""Score the enrichment pipeline against a gold JSON-lines set with the scorer that sits beside it.

usage: python -m services.enrich.evaluate GOLD.jsonl --out SYSTEM.jsonl [--model NAME]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.language import Language

from services.enrich.pipeline import enrich, load_nlp
from shared.models import ArticleIn
from shared.settings import get_settings


def default_model() -> str:
    """The spaCy model the service runs with."""
    return get_settings().spacy_model


def read_gold(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the gold articles of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def published_at(article: dict[str, Any]) -> datetime | None:
    """The gold article's publication date; a malformed one counts as unknown, like a feed's."""
    raw = article.get("published_at")
    if not raw:
        return None
    try:
        return ArticleIn(title="-", text="-", published_at=raw).published_at
    except ValueError:
        return None


def annotate(nlp: Language, article: dict[str, Any]) -> dict[str, Any]:
    """Run the real pipeline on one gold article and shape its output like the gold line."""
    result = enrich(nlp, article.get("title") or "", article["text"], published_at(article))
    return {
        "id": article["id"],
        "text": article["text"],
        "entities": [e.model_dump() for e in result.entities],
        "dates": [d.model_dump() for d in result.dates],
    }


def load_scorer(gold: Path) -> ModuleType:
    """Import the `score.py` that ships beside the gold file."""
    path = gold.parent / "score.py"
    spec = importlib.util.spec_from_file_location("gold_scorer", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> None:
    """Annotate every gold article, write the system file, print the scorer's figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="where to write the system file")
    parser.add_argument("--model", default=None, help="spaCy model (default: the settings' one)")
    parser.add_argument("--labels", default="meantime", help="the scorer's entity label fold")
    args = parser.parse_args(argv)

    nlp = load_nlp(args.model or default_model())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for article in read_gold(args.gold):
            fh.write(json.dumps(annotate(nlp, article), ensure_ascii=False) + "\n")

    scorer = load_scorer(args.gold)
    figures = scorer.score(scorer.load(args.gold), scorer.load(args.out), scorer.FOLDS[args.labels])
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
