"""Snippets: the passage around the first match, with query words and names marked; and which
entity a mention stands for."""

from __future__ import annotations

from services.api.web.mentions import mention_entity_id, surface_forms
from services.api.web.snippets import Piece, query_words, snippet
from shared.models import Article, Entity, EntitySummary

LONG = ("Filler words come first. " * 20) + "Then the truce in Aleppo held. " + ("More. " * 60)


def test_the_snippet_starts_near_the_first_match_and_marks_it() -> None:
    pieces = snippet(LONG, query_words("truce"), [])
    assert pieces[0] == Piece("…") and pieces[-1] == Piece("…")
    assert Piece("truce", "word") in pieces
    assert 150 < sum(len(p.text) for p in pieces) < 260


def test_names_are_marked_and_words_match_case_and_endings() -> None:
    start = LONG.index("Aleppo")
    aleppo = Entity(text="Aleppo", label="GPE", start=start, end=start + 6)
    pieces = snippet(LONG, query_words("TRUC a"), [aleppo])
    assert [p for p in pieces if p.mark] == [Piece("truce", "word"), Piece("Aleppo", "entity")]


def test_without_a_match_the_snippet_is_the_lead() -> None:
    pieces = snippet("Short text.", [], [])
    assert pieces == [Piece("Short text.")]


def test_a_mention_stands_for_the_entity_with_its_key_or_surname() -> None:
    known = ["person:sergei-lavrov", "place:geneva", "person:john-kerry"]
    assert mention_entity_id(Entity(text="Lavrov", label="PERSON", start=0, end=6), known) == (
        "person:sergei-lavrov"
    )
    assert mention_entity_id(Entity(text="Geneva", label="LOC", start=0, end=6), known) == (
        "place:geneva"
    )
    assert mention_entity_id(Entity(text="Geneva", label="ORG", start=0, end=6), known) is None


def test_surface_forms_count_how_articles_write_an_entity() -> None:
    text = "Sergei Lavrov spoke. Lavrov left. Lavrov returned."
    entities = [Entity(text="Sergei Lavrov", label="PERSON", start=0, end=13)]
    entities += [Entity(text="Lavrov", label="PERSON", start=s, end=s + 6) for s in (21, 34)]
    summary = EntitySummary(entity_id="person:sergei-lavrov", name="Sergei Lavrov",
                            label="PERSON", mentions=3, salience=1)  # fmt: skip
    article = Article(id="a", title="t", text=text, entities=entities, entity_summary=[summary])
    assert surface_forms("person:sergei-lavrov", [article]) == [("Lavrov", 2), ("Sergei Lavrov", 1)]


def test_the_lead_skips_a_title_the_text_repeats() -> None:
    assert snippet("Title\nThe story.", [], [], lead=6) == [Piece("The story.")]
