"""What hostile input costs the ingest worker: peak RSS and the longest poll.

Each measurement runs in a fresh child process that first imports what the ingest worker
imports (`services.ingest.worker`), so its "before" RSS is the worker's baseline; servers run
on 127.0.0.1 only.

- `gzip-bomb`: a feed answering `Content-Encoding: gzip, gzip` with 1 GiB of zeros inside
  (about 1 kB on the wire), and the same GiB behind one gzip layer, fetched with the worker's
  fetch policy. `--httpx` measures httpx's own decoding for comparison (what the worker did
  before bodies were decoded within the cap).
- `inbox`: a 64 MB file in the inbox, read as the inbox reads it (GAZETTE_MAX_FILE_BYTES as
  set, default 16 MiB), and once more with the cap raised above it.
- `slow-poll`: one poll of a feed whose 200 summary-only entries link to pages that send their
  headers at 1 byte/s, with default settings; and one poll of a feed sending its own headers at
  1 byte/s. Prints how long each poll took. Needs redis-server (as the tests do).

    .venv/bin/python -m bench.hostile_ingest gzip-bomb|inbox|slow-poll [--httpx]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

GIB = 1024**3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def zeros_gzip(size: int) -> bytes:
    """`size` zero bytes, gzip-compressed, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * (1024 * 1024)
    out = [packer.compress(block) for _ in range(size // len(block))]
    out.append(packer.flush())
    return b"".join(out)


def child_gzip_bomb(url: str, use_httpx: bool) -> dict[str, object]:
    import httpx

    import services.ingest.worker  # noqa: F401 - the worker's baseline
    from services.ingest.fetch import Fetcher
    from services.ingest.worker import fetch_policy
    from shared.settings import Settings

    before = peak_rss_mb()
    started = time.monotonic()
    if use_httpx:
        with httpx.Client() as client, client.stream("GET", url) as response:
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > Settings().fetch_max_bytes:
                    break
        outcome = f"httpx read {total} decoded bytes"
    else:
        # The worker's policy; private addresses allowed because the server is on 127.0.0.1.
        with Fetcher(fetch_policy(Settings(allow_private_urls=True))) as fetcher:
            result = fetcher.fetch(url)
        outcome = getattr(result, "message", type(result).__name__)
    return {
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "seconds": round(time.monotonic() - started, 2),
        "outcome": outcome,
    }


def child_inbox(path: str, max_bytes: int) -> dict[str, object]:
    import services.ingest.worker  # noqa: F401 - the worker's baseline
    from services.ingest.files import read_file

    before = peak_rss_mb()
    items = read_file(Path(path), max_bytes)
    return {
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "outcome": [item.error or "article" for item in items][:3],
    }


def run_child(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.hostile_ingest", "--child", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def gzip_bomb(use_httpx: bool) -> None:
    from tests.unit.ingest_fixtures import Reply, local_server

    inner = zeros_gzip(GIB)
    stacked = gzip.compress(inner, 9)
    print(f"1 GiB of zeros: {len(inner)} bytes gzip'd once, {len(stacked)} bytes twice")
    with local_server() as server:
        server.routes["/stacked.xml"] = Reply(
            body=stacked, headers={"Content-Encoding": "gzip, gzip"}
        )
        server.routes["/single.xml"] = Reply(body=inner, headers={"Content-Encoding": "gzip"})
        for path in ("/stacked.xml", "/single.xml"):
            flag = ["--httpx"] if use_httpx else []
            print(path, run_child("gzip-bomb", server.url(path), *flag))


def inbox() -> None:
    from shared.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        with path.open("w") as handle:
            handle.write("A very large file\n\n")
            line = "word " * 19 + "word\n"
            for _ in range(64 * 1024 * 1024 // len(line)):
                handle.write(line)
        size = path.stat().st_size
        cap = Settings().max_file_bytes
        print(f"{size} bytes; GAZETTE_MAX_FILE_BYTES={cap}")
        print("as configured:", run_child("inbox", str(path), str(cap)))
        print("cap raised to 128 MiB:", run_child("inbox", str(path), str(128 * 1024 * 1024)))


def slow_poll() -> None:
    import redis

    from bench.ingest import build_site
    from services.ingest.fetch import Fetcher
    from services.ingest.poller import FeedPoller
    from services.ingest.worker import fetch_policy
    from shared.keys import Keys
    from shared.models import FeedIn
    from shared.queue import EnrichQueue, create_celery_app
    from shared.settings import Settings
    from shared.store import FeedStore, Store
    from tests.servers import redis_process
    from tests.unit.ingest_fixtures import Reply, local_server

    with redis_process() as redis_server, local_server() as server:
        url = redis_server.url
        settings = Settings(redis_url=url, allow_private_urls=True)
        raw = redis.Redis.from_url(url, decode_responses=True)
        keys = Keys("bench-slow")
        feeds, store = FeedStore(raw, keys), Store(raw, keys)
        queue = EnrichQueue(create_celery_app(settings))
        build_site(server, 200, full=False)
        for path in list(server.routes):
            if path.startswith("/summary/"):  # every page: headers at 1 byte/s, for hours
                server.routes[path] = Reply(body=b"<html></html>", headers={"X": "p" * 5000},
                                            trickle=1.0)  # fmt: skip
        server.routes["/slow-feed.xml"] = Reply(body=b"<rss/>", headers={"X": "p" * 5000},
                                                trickle=1.0)  # fmt: skip
        print(
            f"feed_poll_seconds={settings.feed_poll_seconds:g}, "
            f"claim={settings.feed_claim_seconds:g}, pages={settings.feed_pages_per_poll}"
        )
        with Fetcher(fetch_policy(settings)) as fetcher:
            poller = FeedPoller(
                feeds, store, queue, fetcher, max_pages=settings.feed_pages_per_poll,
                budget_seconds=settings.feed_poll_seconds,
            )  # fmt: skip
            for path in ("/slow-feed.xml", "/summary.xml"):
                feeds.add_feed(FeedIn(url=server.url(path)), 900)
                [claimed] = feeds.claim_due_feeds("bench", 1, settings.feed_claim_seconds)
                started = time.monotonic()
                outcome = poller.poll(claimed, "bench")
                took = time.monotonic() - started
                pages = sum(1 for seen, _ in server.seen if seen.startswith("/summary/"))
                assert outcome is not None
                print(
                    f"{path}: one poll took {took:.1f} s ({outcome.status.value}, "
                    f"{pages} page requests, error={outcome.error!r})"
                )
        raw.close()


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        kind, *rest = sys.argv[2:]
        if kind == "gzip-bomb":
            print(json.dumps(child_gzip_bomb(rest[0], "--httpx" in rest)))
        else:
            print(json.dumps(child_inbox(rest[0], int(rest[1]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=["gzip-bomb", "inbox", "slow-poll"])
    parser.add_argument("--httpx", action="store_true", help="httpx's decoding, for comparison")
    args = parser.parse_args()
    if args.what == "gzip-bomb":
        gzip_bomb(args.httpx)
    elif args.what == "inbox":
        inbox()
    else:
        slow_poll()


if __name__ == "__main__":
    main()
