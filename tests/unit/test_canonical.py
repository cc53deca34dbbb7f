"""Canonical names and lookup keys: what a query for an entity will match."""

from __future__ import annotations

import pytest

from shared.entity_names import (
    entity_id,
    entity_key,
    entity_keys,
    known_entity,
    query_keys,
    strip_honorifics,
    tidy_name,
)


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("the International Syria Support Group", "International Syria Support Group"),
        ("Lavrov 's", "Lavrov"),
        ("Apple's", "Apple"),
        ("Wal - Mart", "Wal-Mart"),
        ("  Staffan   de Mistura ", "Staffan de Mistura"),
    ],
)
def test_tidy_name_drops_articles_possessives_and_stray_spacing(surface: str, name: str) -> None:
    assert tidy_name(surface) == name


@pytest.mark.parametrize("surface", ["US", "U.S.", "the United States", "USA", "united states"])
def test_forms_of_the_united_states_share_one_key(surface: str) -> None:
    assert entity_key(surface) == "united-states"
    assert known_entity(surface) == ("United States", "GPE")


def test_keys_ignore_case_accents_and_legal_form() -> None:
    assert entity_key("SERGEI LAVROV") == entity_key("Sergei Lavrov") == "sergei-lavrov"
    assert entity_key("Zürich") == entity_key("Zurich")
    assert entity_key("Apple Inc.") == entity_key("Apple") == "apple"
    assert entity_key("William Clay Ford Jr.") == "william-clay-ford"
    assert entity_key("AT&T") == entity_key("AT and T")


def test_honorifics_are_stripped_from_person_names_only_on_request() -> None:
    assert strip_honorifics("President Barack Obama") == "Barack Obama"
    assert strip_honorifics("Mr Howard") == "Howard"
    assert entity_key("General Motors") == "general-motors"


def test_ids_fold_labels_the_model_confuses() -> None:
    assert entity_id("GPE", "Aleppo") == entity_id("LOC", "Aleppo") == "place:aleppo"
    assert entity_id("PERSON", "Sergei Lavrov") == "person:sergei-lavrov"
    assert entity_id("ORG", "U.N.") == "org:united-nations"


def test_query_for_a_full_name_also_finds_the_surname() -> None:
    assert query_keys("Sergei Lavrov") == ["sergei-lavrov", "lavrov"]
    assert query_keys("lavrov") == ["lavrov"]
    assert "lavrov" in query_keys("Mr. Lavrov")


def test_query_for_an_alias_finds_the_canonical_key_only() -> None:
    assert query_keys("U.S.") == ["united-states"]
    assert query_keys("the United States") == ["united-states"]


def test_a_person_is_indexed_under_the_surname_too() -> None:
    assert entity_keys("person:sergei-lavrov") == ["sergei-lavrov", "lavrov"]
    assert entity_keys("org:general-motors") == ["general-motors"]
    # What the API does: a query key matches an indexed key.
    assert set(query_keys("Lavrov")) & set(entity_keys(entity_id("PERSON", "Sergei Lavrov")))
