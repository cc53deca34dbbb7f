"""Cost of the pure enrichment pipeline over the spaCy `ner` call alone, on the dev set's texts.

usage: python -m bench.pipeline [GOLD.jsonl] [--words 50000] [--model NAME]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from services.enrich.evaluate import default_model
from services.enrich.pipeline import enrich, load_nlp

DEV_SET = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "meantime-en.jsonl"
ROUNDS = 3


def load_texts(path: Path, min_words: int) -> list[str]:
    """The dev set's texts, repeated until they hold at least `min_words` words."""
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    corpus: list[str] = []
    while sum(len(t.split()) for t in corpus) < min_words:
        corpus.extend(texts)
    return corpus


def best_seconds(run: Callable[[], None]) -> float:
    """The fastest of a few timed runs, so one noisy run does not decide."""
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main(argv: list[str] | None = None) -> None:
    """Time `nlp.pipe` alone and the whole `enrich()` over the same texts; print the overhead."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path, nargs="?", default=DEV_SET)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    nlp = load_nlp(args.model or default_model())
    texts = load_texts(args.gold, args.words)
    words = sum(len(t.split()) for t in texts)

    def spacy_only() -> None:
        for _ in nlp.pipe(texts):
            pass

    def pipeline() -> None:
        for text in texts:
            enrich(nlp, "", text, None)

    # Warm up both paths: vocab growth and lazy initialisation should not count.
    spacy_only()
    pipeline()
    ner = best_seconds(spacy_only)
    full = best_seconds(pipeline)
    overhead = (full - ner) / ner * 100
    print(f"texts: {len(texts)}  words: {words}  model: {nlp.meta.get('name')}")
    print(f"spaCy ner (nlp.pipe): {words / ner:>10,.0f} words/s  ({ner:.2f} s)")
    print(f"enrich() pipeline:    {words / full:>10,.0f} words/s  ({full:.2f} s)")
    print(f"overhead: {overhead:+.1f} %  (target <= 10 %)")


if __name__ == "__main__":
    main()
