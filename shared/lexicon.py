"""Word lists kept as data, so they can grow without code changes."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def word_lists(package: str, resource: str) -> dict[str, list[str]]:
    """Every named word list of a JSON file shipped in `package`."""
    text = resources.files(package).joinpath(resource).read_text(encoding="utf-8")
    lists: dict[str, list[str]] = json.loads(text)
    return lists


def words(name: str) -> frozenset[str]:
    """One named word list of `data/name_words.json`: the words canonical names are built with."""
    return frozenset(word_lists("shared", "data/name_words.json")[name])
