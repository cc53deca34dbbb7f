"""Cutting an article's text into plain runs and highlighted mentions."""

from __future__ import annotations

from services.api.web.highlight import Segment, segments
from shared.models import DateMention, Entity

TEXT = "Lavrov met Kerry in Geneva on Thursday."


def entity(text: str, label: str, start: int | None = None) -> Entity:
    start = TEXT.index(text) if start is None else start
    return Entity(text=text, label=label, start=start, end=start + len(text))


def test_mentions_are_cut_out_and_the_text_kept_whole() -> None:
    dates = [DateMention(text="Thursday", type="DATE", value="2016-09-22",
                         start=TEXT.index("Thursday"), end=TEXT.index("Thursday") + 8)]  # fmt: skip
    cut = segments(TEXT, [entity("Kerry", "PERSON"), entity("Lavrov", "PERSON")], dates)
    assert "".join(s.text for s in cut) == TEXT
    assert [(s.text, s.kind, s.value) for s in cut if s.kind] == [
        ("Lavrov", "entity", ""),
        ("Kerry", "entity", ""),
        ("Thursday", "date", "2016-09-22"),
    ]


def test_names_carry_the_entity_they_stand_for() -> None:
    cut = segments(TEXT, [entity("Lavrov", "PERSON"), entity("Geneva", "GPE")], [],
                   {0: "person:sergei-lavrov"})  # fmt: skip
    assert [(s.text, s.entity_id) for s in cut if s.kind] == [
        ("Lavrov", "person:sergei-lavrov"),
        ("Geneva", ""),
    ]


def test_overlapping_mentions_keep_the_longer_then_the_earlier() -> None:
    nested = [
        entity("Kerry in Geneva", "EVENT"),
        entity("Geneva", "GPE"),
        entity("Kerry", "PERSON"),
    ]
    cut = segments(TEXT, nested, [])
    assert [s.text for s in cut if s.kind] == ["Kerry in Geneva"]
    assert "".join(s.text for s in cut) == TEXT


def test_spans_outside_the_text_are_ignored() -> None:
    stray = [Entity(text="x", label="ORG", start=500, end=505), Entity(text="", label="ORG",
             start=3, end=3)]  # fmt: skip
    assert segments(TEXT, stray, []) == [Segment(TEXT)]


def test_each_label_has_its_class_with_a_fallback() -> None:
    assert Segment("x", "entity", "PERSON").css == "l-PERSON"
    assert Segment("x", "entity", "MADE_UP").css == "l-OTHER"
    assert Segment("x", "date", "DATE", "2016").css == "l-DATE"
