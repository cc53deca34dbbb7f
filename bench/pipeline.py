"""Cost of the pure enrichment pipeline over the spaCy `ner` call alone, on the dev set's texts.

usage: python -m bench.pipeline [GOLD.jsonl] [--words 50000] [--model NAME]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from bench.devset import announce_dev_set
from services.enrich.evaluate import default_model
from services.enrich.pipeline import (
    UNUSED_COMPONENTS,
    Source,
    enrich,
    enrich_many,
    load_nlp,
    model_ops,
)

ROUNDS = 3


def load_texts(path: Path, min_words: int) -> list[str]:
    """The dev set's texts, repeated until they hold at least `min_words` words."""
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    corpus: list[str] = []
    while sum(len(t.split()) for t in corpus) < min_words:
        corpus.extend(texts)
    return corpus


def best_seconds(runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    """The fastest of a few rounds of each run, interleaved so that load hits all alike."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in timings.items()}


def main(argv: list[str] | None = None) -> None:
    """Time spaCy's `ner` alone and the whole pipeline over the same texts; print the overhead."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path, nargs="?", default=None)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    model = args.model or default_model()
    nlp = load_nlp(model)
    # The baseline: the model's `ner` component and nothing else, on the same backend.
    with model_ops():
        ner_only = spacy.load(model, exclude=UNUSED_COMPONENTS)
    assert ner_only.pipe_names == ["ner"], ner_only.pipe_names
    texts = load_texts(args.gold or announce_dev_set(), args.words)
    sources = [Source("", text, None) for text in texts]
    words = sum(len(t.split()) for t in texts)

    def ner_each() -> None:
        for text in texts:
            ner_only(text)

    def ner_batched() -> None:
        for _ in ner_only.pipe(texts):
            pass

    def pipeline_each() -> None:
        for text in texts:
            enrich(nlp, "", text, None)

    def pipeline_batched() -> None:
        for _ in enrich_many(nlp, sources):
            pass

    runs = {
        "ner, nlp(text) each": ner_each,
        "enrich(), one article a call": pipeline_each,
        "ner, nlp.pipe(texts)": ner_batched,
        "enrich_many(), nlp.pipe": pipeline_batched,
    }
    for run in runs.values():  # warm-up: vocab growth and lazy initialisation don't count
        run()
    best = best_seconds(runs)
    print(f"texts: {len(texts)}  words: {words}  model: {model}")
    for name, seconds in best.items():
        print(f"{name:<32} {words / seconds:>9,.0f} words/s  ({seconds:.2f} s)")
    each = best["enrich(), one article a call"] / best["ner, nlp(text) each"] - 1
    batched = best["enrich_many(), nlp.pipe"] / best["ner, nlp.pipe(texts)"] - 1
    # The worker's path is one article per task: the first figure is the one that counts there.
    print(f"overhead, one article a call:    {each * 100:+.1f} %  (target <= 10 %)")
    print(f"overhead, batched:               {batched * 100:+.1f} %  (target <= 10 %)")


if __name__ == "__main__":
    main()
