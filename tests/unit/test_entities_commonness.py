"""Common words capitalised by their place in a sentence are not entities."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from services.enrich.entities.commonness import drop_common_words, opens_sentence
from services.enrich.entities.mentions import Mention, mention_key


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def kept(blank: Language, text: str, label: str = "GPE") -> list[tuple[str, int]]:
    """The mentions left of every capitalised word of `text`, as the model might tag them."""
    doc = blank(text)
    spans = [Span(doc, t.i, t.i + 1, label=label) for t in doc if t.text[:1].isupper()]
    mentions = [Mention(s, label, mention_key(s.text, label)) for s in spans]
    return [(m.text, m.start_char) for m in drop_common_words(text, mentions)]


def test_a_sentence_opening_word_used_in_lower_case_elsewhere_is_dropped(blank: Language) -> None:
    text = "Negotiators met in Geneva. Then the negotiators left Geneva."
    assert kept(blank, text) == [("Geneva", 19), ("Then", 27), ("Geneva", 53)]


def test_a_word_capitalised_mid_sentence_too_is_kept(blank: Language) -> None:
    text = "Bush spoke first. Later Bush said a bush was burning."
    assert [w for w, _ in kept(blank, text, "PERSON")] == ["Bush", "Later", "Bush"]


def test_a_sentence_opening_name_never_written_in_lower_case_is_kept(blank: Language) -> None:
    assert [w for w, _ in kept(blank, "Aleppo was shelled.\nAleppo burned.")] == ["Aleppo"] * 2


def test_a_listed_common_word_is_dropped_anywhere(blank: Language) -> None:
    text = "As International powers met, Diplomats waited in Vienna."
    assert [w for w, _ in kept(blank, text, "ORG")] == ["As", "Vienna"]


def test_a_listed_word_inside_a_longer_name_is_kept(blank: Language) -> None:
    doc = blank("the International Syria Support Group met")
    span = Span(doc, 1, 5, label="ORG")
    mention = Mention(span, "ORG", mention_key(span.text, "ORG"))
    assert drop_common_words(doc.text, [mention]) == [mention]


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("Diplomats said", 0, True),
        ("It ended. Diplomats said", 10, True),
        ('He said:\n"Diplomats said', 10, True),
        ("As Diplomats said", 3, False),
    ],
)
def test_opens_sentence(text: str, at: int, expected: bool) -> None:
    assert opens_sentence(text, at) is expected
