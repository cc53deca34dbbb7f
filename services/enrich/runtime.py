"""What an enrich worker process holds for its lifetime: the spaCy model and a store."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from services.enrich.pipeline import load_nlp
from shared.settings import get_settings
from shared.store import Store


@lru_cache(maxsize=1)
def worker_nlp() -> Language:
    """The model, loaded once per process (before the pool forks, so children share it)."""
    return load_nlp(get_settings().spacy_model)


@lru_cache(maxsize=1)
def worker_store() -> Store:
    """The store, connected lazily in each process that uses it (never across a fork)."""
    return Store.from_url(get_settings().require_redis_url())
