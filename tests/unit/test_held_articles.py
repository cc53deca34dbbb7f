"""Articles held back for a fuller batch task: full batches go at once, the rest soon after."""

from shared.queue import ENRICH_BATCH_SIZE, HeldArticles
from tests.polling import wait_until


def test_full_batches_go_at_once_and_the_rest_when_flushed() -> None:
    published: list[list[str]] = []
    held = HeldArticles(published.append, seconds=60)
    ids = [f"a{n}" for n in range(ENRICH_BATCH_SIZE + 3)]
    held.add(ids[:2])
    held.add(ids[2:])
    assert published == [ids[:ENRICH_BATCH_SIZE]]
    assert len(held) == 3
    held.flush()
    assert published == [ids[:ENRICH_BATCH_SIZE], ids[ENRICH_BATCH_SIZE:]]
    assert len(held) == 0
    held.flush()
    assert len(published) == 2


def test_the_rest_goes_by_itself_after_the_hold() -> None:
    published: list[list[str]] = []
    held = HeldArticles(published.append, seconds=0.05)
    held.add(["a", "b"])
    wait_until(lambda: published, timeout=10, what="the held articles")
    assert published == [["a", "b"]]
    held.add(["c"])
    wait_until(lambda: len(published) == 2, timeout=10, what="the next held article")
    assert published == [["a", "b"], ["c"]]
