"""Long-lived objects kept out of the garbage collector's way.

A process that has built what it keeps for life (the API after its start-up, the enrich worker
after loading the spaCy model) freezes it: CPython's full collections then leave those objects
alone instead of walking every one of them again. The API holds ~140,000 objects after its
start-up (FastAPI, Celery, Alembic, pydantic schemas), and a full collection of them took 76 ms
on the 2-core VM, a pause that every request in flight waited out: `bench/archive.py` saw eight
answers at once take ~90 ms. The enrich worker freezes the model before its pool forks, so that
no child walks (and so copies) the pages it shares with the others.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_long_lived() -> int:
    """Collect what is garbage already, then move every object left to the permanent
    generation; how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """`freeze_long_lived` for the life of a block (an app's lifespan); thawed after it, so that
    a process which builds several apps (the tests) still collects the ones it dropped."""
    freeze_long_lived()
    try:
        yield
    finally:
        gc.unfreeze()
