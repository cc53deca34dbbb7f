"""Word queries at the store, one at a time, for several lengths of the newest-first walk.

`q` checks the newest articles one by one before it reads older matches from the GIN index
(`shared/store/search.py`, `WORDS_WALK`). This times `find_articles` for random pairs of dev-set
words (those of bench/archive.py's `q`: alphabetic, five letters or more) against an archive
that bench/archive.py loaded and kept (`--data-dir DIR`), with the walk fixed at each length
asked for, and with the store's own length (`auto`: about 5 × √(articles)). Each length runs
the same pairs twice; the second run is reported, so that both find the pages in memory.

usage: python -m bench.word_walk --data-dir DIR [--pairs 300] [--walks 2000,5000,10000,auto]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from bench.devset import announce_dev_set, dev_set
from bench.query import percentiles
from shared.store import Store, search
from shared.store.query import ArticleQuery
from tests.servers import postgres_process


def word_pairs(count: int) -> list[str]:
    with dev_set().open(encoding="utf-8") as fh:
        texts = [str(json.loads(line)["text"]) for line in fh if line.strip()]
    words = sorted({w.lower() for t in texts for w in t.split() if w.isalpha() and len(w) >= 5})
    rng = random.Random(11)
    return [" ".join(rng.sample(words, 2)) for _ in range(count)]


def timed(store: Store, pairs: list[str]) -> list[float]:
    latencies = []
    for pair in pairs:
        began = time.perf_counter()
        store.find_articles(ArticleQuery(text=pair))
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="an archive bench.archive kept")
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--walks", default="2000,5000,10000,auto")
    args = parser.parse_args()
    announce_dev_set()
    pairs = word_pairs(args.pairs)
    automatic = search.WORDS_WALK
    with postgres_process(Path(args.data_dir)) as pg:
        store = Store.from_url(pg.url)
        try:
            for walk in args.walks.split(","):
                search.WORDS_WALK = automatic if walk == "auto" else (int(walk), int(walk))
                timed(store, pairs)
                latencies = timed(store, pairs)
                stats = percentiles(latencies)
                stats["mean"] = sum(latencies) / len(latencies)
                print(f"  walk {walk:>6}", "  ".join(f"{k}={v:.1f}" for k, v in stats.items()),
                      flush=True)  # fmt: skip
        finally:
            search.WORDS_WALK = automatic
            store.close()


if __name__ == "__main__":
    main()
