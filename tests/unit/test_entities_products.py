"""Products and places the small model splits or misses, on the real spaCy model."""

from __future__ import annotations

import pytest
from spacy.language import Language

from services.enrich.entities import extract_entities
from services.enrich.pipeline import load_nlp
from shared.models import Entity, EntitySummary
from shared.settings import Settings


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


def run(nlp: Language, text: str, title: str) -> tuple[list[Entity], list[EntitySummary]]:
    return extract_entities(nlp(text), title)


def test_camel_case_brands_are_products_with_their_version(nlp: Language) -> None:
    text = "Apple unveiled iPhone 4 and iOS 4 on Monday. Customers who ordered the iPhone 3GS wait."
    entities, summary = run(nlp, text, "Apple unveils iPhone 4")
    products = {(e.text, e.label) for e in entities if e.label == "PRODUCT"}
    assert {("iPhone 4", "PRODUCT"), ("iOS 4", "PRODUCT"), ("iPhone 3GS", "PRODUCT")} <= products
    assert not [e for e in entities if e.text == "4"]
    assert next(r for r in summary if r.name == "iPhone 4").entity_id == "product:iphone-4"


def test_a_year_after_a_product_is_not_its_version(nlp: Language) -> None:
    entities, _ = run(nlp, "Sales of the iPod 2008 edition fell.", "iPod sales fall")
    assert "iPod" in {e.text for e in entities if e.label == "PRODUCT"}
    assert "iPod 2008" not in {e.text for e in entities}


def test_a_flight_number_is_not_a_product(nlp: Language) -> None:
    entities, _ = run(nlp, "Searchers found debris from Air France Flight 447 on Monday.", "Debris")
    assert not [e for e in entities if e.label == "PRODUCT"]


def test_a_country_after_in_is_a_place_even_when_the_model_says_person(nlp: Language) -> None:
    text = "In Malawi, the government of President Lazarus Chakwera appealed for aid."
    entities, _ = run(nlp, text, "Malawi appeals for aid")
    assert {e.label for e in entities if e.text == "Malawi"} == {"GPE"}
    assert {e.label for e in entities if e.text == "Lazarus Chakwera"} == {"PERSON"}


def test_a_dateline_place_is_named_in_ordinary_case(nlp: Language) -> None:
    text = "PARIS (AP) — French President Emmanuel Macron met farmers on Tuesday."
    entities, summary = run(nlp, text, "Macron meets farmers")
    assert {e.label for e in entities if e.text == "PARIS"} == {"GPE"}
    assert next(r for r in summary if r.entity_id == "place:paris").name == "Paris"
