"""The edges of names: no paragraph break, score or trailing function word inside one."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from services.enrich.entities import extract_entities
from services.enrich.entities.spans import tidy_span
from services.enrich.pipeline import load_nlp
from shared.settings import Settings


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


def names(nlp: Language, text: str) -> list[str]:
    entities, _ = extract_entities(nlp(text), "")
    return [e.text for e in entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deals at Amazon\n\nSince the sale began, prices fell.", ["Amazon"]),
        ("The deal is only at Amazon\n\nSince Monday, prices fell.", ["Amazon"]),
        (
            "Buy a $50 Dell eGift Card\n\nOne of Dell's Black Friday deals is a laptop.",
            ["Dell eGift Card"],
        ),
    ],
)
def test_no_name_crosses_a_paragraph_break(nlp: Language, text: str, expected: list[str]) -> None:
    found = names(nlp, text)
    assert all("\n" not in name for name in found), found
    assert set(expected) <= set(found)


def test_a_score_is_no_part_of_a_name(nlp: Language) -> None:
    entities, summary = extract_entities(
        nlp("Djokovic beat Nicolas Jarry 6-4, 6-3 and Casper Ruud 6-4 6-2."), ""
    )
    assert "Nicolas Jarry" in [e.text for e in entities]
    assert "person:nicolas-jarry" in [s.entity_id for s in summary]
    assert not [e for e in entities if any(c.isdigit() for c in e.text)]


@pytest.mark.parametrize(
    ("text", "start", "end", "label", "expected"),
    [
        ("Sources told The Associated Press that it failed.", 2, 6, "ORG", "The Associated Press"),
        ("Jarry won 6-4 in the final set.", 2, 5, "PERSON", None),
        ("Real Madrid 3-1 Barcelona", 0, 5, "ORG", "Real Madrid"),
        ("Boeing 737-800 jets", 0, 4, "PRODUCT", "Boeing 737-800"),
        ("Amazon\n\nSince then", 0, 3, "ORG", "Amazon"),
    ],
)  # fmt: skip
def test_span_edges(
    nlp: Language, text: str, start: int, end: int, label: str, expected: str | None
) -> None:
    doc = nlp(text)
    tidied = tidy_span(doc, Span(doc, start, end, label=label))
    assert (tidied.text if tidied is not None else None) == expected
