"""What an enrich worker process holds for its lifetime: the spaCy model, the archive, the bus."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from services.enrich.pipeline import load_nlp
from shared.bus import Bus
from shared.settings import get_settings
from shared.store import Store
from shared.store.db import OneConnection


@lru_cache(maxsize=1)
def worker_nlp() -> Language:
    """The model, loaded once per process (before the pool forks, so children share it)."""
    return load_nlp(get_settings().spacy_model)


@lru_cache(maxsize=1)
def worker_store() -> Store:
    """The archive, connected lazily in each process that uses it (never across a fork), on
    one connection: a pool's threads would slow spaCy in this process (see OneConnection)."""
    return Store(OneConnection.from_settings(get_settings()))


@lru_cache(maxsize=1)
def worker_bus() -> Bus:
    """The Redis side (counters, events), connected lazily in each process."""
    return Bus.from_url(get_settings().require_redis_url())
