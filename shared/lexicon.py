"""The word lists behind the entity rules, kept as data so they can grow without code changes."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _lexicon() -> dict[str, list[str]]:
    text = resources.files(__package__).joinpath("data/entity_words.json").read_text()
    lexicon: dict[str, list[str]] = json.loads(text)
    return lexicon


def words(name: str) -> frozenset[str]:
    """One named word list of `data/entity_words.json`."""
    return frozenset(_lexicon()[name])
