"""The word lists behind the entity rules, in `words.json` beside this module."""

from __future__ import annotations

from shared.lexicon import word_lists


def words(name: str) -> frozenset[str]:
    """One named word list of `words.json`."""
    return frozenset(word_lists("services.enrich.entities", "words.json")[name])
