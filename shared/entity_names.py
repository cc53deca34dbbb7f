"""Canonical names and stable keys for named entities: enrichment names them, the store and the
query API look them up.

An entity id is `<class>:<key>`: the class folds labels that the model confuses with each other
(GPE, LOC and FAC are all `place`), and the key is the canonical name, accent- and case-folded and
slugged ("Sergei Lavrov" -> `person:sergei-lavrov`, "U.S." -> `place:united-states`). Ids are the
same in every article, so a lookup by id needs no index of surface forms.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from shared.lexicon import words

LABEL_CLASSES = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "PRODUCT": "product",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "law",
    "LANGUAGE": "language",
}

# Forms of address and roles that the model sometimes keeps inside a PERSON span.
HONORIFICS = words("honorifics")
# Legal-form suffixes: "Apple Inc." and "Apple" are one company.
LEGAL_SUFFIXES = words("legal_suffixes")
GENERATIONAL = words("generational")

_POSSESSIVE = re.compile(r"\s*['’]s?$")
_SPACED_HYPHEN = re.compile(r"(?<=\w)\s+-\s+(?=\w)")
_SPACES = re.compile(r"\s+")
_ACRONYM_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_NON_WORD = re.compile(r"[^0-9a-z]+")


# Names recur across articles; the string work behind a key is worth remembering.
CACHE_SIZE = 16_384


class KnownEntity(NamedTuple):
    name: str
    label: str


@lru_cache(maxsize=CACHE_SIZE)
def tidy_name(surface: str) -> str:
    """The surface form of a mention without a leading article, possessive or stray spacing."""
    name = _SPACES.sub(" ", surface).strip(" \t\n,;:\"'`()[]")
    name = _SPACED_HYPHEN.sub("-", name)
    name = _POSSESSIVE.sub("", name)
    if name[:4].lower() == "the " and len(name) > 4:
        name = name[4:]
    return name.strip()


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-free form: the core of every key."""
    text = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", ""), text)
    text = unicodedata.normalize("NFKD", text.replace("&", " and "))
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    return _NON_WORD.sub("-", ascii_text).strip("-")


def _strip_words(key: str, leading: frozenset[str], trailing: frozenset[str]) -> str:
    words = key.split("-")
    while len(words) > 1 and words[0] in leading:
        words = words[1:]
    while len(words) > 1 and words[-1] in trailing:
        words = words[:-1]
    return "-".join(words)


@lru_cache(maxsize=1)
def _known_entities() -> dict[str, KnownEntity]:
    """Every alias and canonical name of the data file, by folded key."""
    raw = json.loads(resources.files(__package__).joinpath("data/aliases.json").read_text())
    known: dict[str, KnownEntity] = {}
    for name, entry in raw.items():
        if name.startswith("_"):
            continue
        entity = KnownEntity(name, entry["label"])
        for surface in [name, *entry["aliases"]]:
            known[_strip_words(_fold(surface), frozenset({"the"}), frozenset())] = entity
    return known


@lru_cache(maxsize=CACHE_SIZE)
def known_entity(name: str) -> KnownEntity | None:
    """The well-known entity a surface form stands for ("U.S." -> United States), if any."""
    return _known_entities().get(_strip_words(_fold(name), frozenset({"the"}), frozenset()))


@lru_cache(maxsize=CACHE_SIZE)
def entity_key(name: str) -> str:
    """The case-insensitive lookup key of a name: "the U.S." and "United States" share one."""
    known = known_entity(name)
    if known is not None:
        name = known.name
    return _strip_words(_fold(name), frozenset({"the"}), LEGAL_SUFFIXES | GENERATIONAL)


def strip_honorifics(name: str) -> str:
    """A person's name without the forms of address before it: "Mr Howard" -> "Howard"."""
    words = name.split(" ")
    while len(words) > 1 and _fold(words[0]) in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def label_class(label: str) -> str:
    """The class an entity id is namespaced by; labels the model confuses share a class."""
    return LABEL_CLASSES.get(label, label.lower())


def entity_id(label: str, name: str) -> str:
    """The stable id of a canonical entity, e.g. `person:sergei-lavrov`."""
    return f"{label_class(label)}:{entity_key(name)}"


def query_keys(query: str) -> list[str]:
    """Candidate keys for a user's query, best first: the whole name, then its last word.

    "Sergei Lavrov" -> ["sergei-lavrov", "lavrov"], so articles that only say "Lavrov" are
    found too; "us" -> ["united-states"]. Match them against the key part of entity ids.
    """
    keys: list[str] = []
    for name in (query, strip_honorifics(tidy_name(query))):
        key = entity_key(name)
        words = key.split("-")
        candidates = [key]
        if len(words) > 1 and known_entity(name) is None and len(words[-1]) > 2:
            candidates.append(words[-1])
        keys.extend(k for k in candidates if k and k not in keys)
    return keys


def entity_keys(entity_id_: str) -> list[str]:
    """The keys an entity should be indexed under: its own key, and a person's surname."""
    klass, _, key = entity_id_.partition(":")
    keys = [key] if key else []
    words = key.split("-")
    if klass == "person" and len(words) > 1:
        keys.append(words[-1])
    return keys
