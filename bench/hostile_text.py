"""Enrichment time of the worst-case text for each kind of pattern that reads article text.

usage: python -m bench.hostile_text [--model NAME]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from services.enrich.evaluate import default_model
from services.enrich.pipeline import enrich, load_nlp
from tests.unit.hostile_texts import HOSTILE_TEXTS

ROUNDS = 3


def main(argv: list[str] | None = None) -> None:
    """Print the best of a few rounds of `enrich` on each hostile text."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    nlp = load_nlp(args.model or default_model())
    published = datetime(2020, 1, 1, tzinfo=UTC)
    enrich(nlp, "t", "Warm-up text on Monday in Paris.", published)
    for name, text in HOSTILE_TEXTS.items():
        best = float("inf")
        for _ in range(ROUNDS):
            start = time.perf_counter()
            enrich(nlp, "t", text, published)
            best = min(best, time.perf_counter() - start)
        print(f"{name:<20} {len(text):>6} chars  {best:6.3f} s")


if __name__ == "__main__":
    main()
