"""The majority rule and the corrections it makes to one article's enrichment."""

from __future__ import annotations

from shared.models import Enrichment, Entity, EntitySummary
from shared.store.labels import (
    Correction,
    Known,
    Tally,
    archive_corrections,
    correct,
    majority,
)


def corrections(summary: list[EntitySummary], archive: dict[str, Known]) -> dict[str, Correction]:
    return Tally(archive).corrections(summary)


def entry(entity_id: str, name: str, label: str, mentions: int = 1) -> EntitySummary:
    return EntitySummary(
        entity_id=entity_id, name=name, label=label, mentions=mentions, salience=0.5
    )


def test_a_clear_majority_needs_three_articles_and_three_quarters() -> None:
    assert majority({"org:spotify": 3, "place:spotify": 1}) == "org:spotify"
    assert majority({"org:spotify": 2, "place:spotify": 1}) is None  # too few articles
    assert majority({"org:spotify": 5, "place:spotify": 2}) is None  # 5/7 < 3/4
    assert majority({"org:spotify": 6, "place:spotify": 2}) == "org:spotify"  # exactly 3/4
    assert majority({"org:spotify": 3}) == "org:spotify"
    assert majority({}) is None
    assert majority({"org:x": 0, "place:x": 0}) is None


def test_archive_corrections_point_each_minority_at_its_majority() -> None:
    archive = {
        "org:spotify": Known("ORG", 9),
        "place:spotify": Known("GPE", 1),
        "person:bloomberg": Known("PERSON", 1),
        "org:bloomberg": Known("ORG", 4),
        "place:jordan": Known("GPE", 4),
        "person:jordan": Known("PERSON", 3),
    }
    assert archive_corrections(archive) == {
        "place:spotify": Correction("org:spotify", "ORG"),
        "person:bloomberg": Correction("org:bloomberg", "ORG"),
    }


def test_the_judged_article_votes_for_its_own_label() -> None:
    lone = [entry("place:spotify", "Spotify", "GPE")]
    # Three ORG articles and this one: 3 of 4, corrected.
    assert corrections(lone, {"org:spotify": Known("ORG", 3)}) == {
        "place:spotify": Correction("org:spotify", "ORG")
    }
    # Two ORG articles and this one: 2 of 3, not clear yet.
    assert corrections(lone, {"org:spotify": Known("ORG", 2)}) == {}
    # An earlier GPE article counts against the majority too: 3 of 5.
    split = {"org:spotify": Known("ORG", 3), "place:spotify": Known("GPE", 1)}
    assert corrections(lone, split) == {}
    # The majority's own articles are never corrected, nor are unrelated names.
    assert corrections([entry("org:spotify", "Spotify", "ORG")], split) == {}
    assert corrections([entry("org:apple", "Apple", "ORG")], split) == {}


def test_a_name_new_to_the_archive_is_left_alone() -> None:
    assert corrections([entry("place:spotify", "Spotify", "GPE")], {}) == {}


def test_a_corrected_entity_and_its_mentions_take_the_majority_label() -> None:
    text = "Spotify and Apple."
    enrichment = Enrichment(
        entities=[
            Entity(text="Spotify", label="GPE", start=0, end=7),
            Entity(text="Apple", label="ORG", start=12, end=17),
        ],
        entity_summary=[
            entry("place:spotify", "Spotify", "GPE"),
            entry("org:apple", "Apple", "ORG"),
        ],
    )
    fixed = correct(enrichment, {"place:spotify": Correction("org:spotify", "ORG")})
    assert text[fixed.entities[0].start : fixed.entities[0].end] == "Spotify"
    assert fixed.entities[0].label == "ORG"
    assert fixed.entities[0].label_corrected_from == "GPE"
    assert fixed.entities[1] == enrichment.entities[1]
    assert fixed.entity_summary[0] == EntitySummary(
        entity_id="org:spotify",
        name="Spotify",
        label="ORG",
        mentions=1,
        salience=0.5,
        label_corrected_from="GPE",
    )
    assert fixed.entity_summary[1] == enrichment.entity_summary[1]
    # What is stored and served says so; an uncorrected entry does not grow a null field.
    assert fixed.entity_summary[0].model_dump()["label_corrected_from"] == "GPE"
    assert "label_corrected_from" not in fixed.entity_summary[1].model_dump()


def test_an_entry_corrected_onto_one_the_article_has_is_merged_into_it() -> None:
    enrichment = Enrichment(
        entities=[
            Entity(text="Spotify", label="GPE", start=0, end=7),
            Entity(text="Spotify", label="ORG", start=20, end=27),
        ],
        entity_summary=[
            entry("place:spotify", "Spotify", "GPE", mentions=1),
            entry("org:spotify", "Spotify", "ORG", mentions=2),
        ],
    )
    fixed = correct(enrichment, {"place:spotify": Correction("org:spotify", "ORG")})
    assert [e.label for e in fixed.entities] == ["ORG", "ORG"]
    assert [e.label_corrected_from for e in fixed.entities] == ["GPE", None]
    assert fixed.entity_summary == [entry("org:spotify", "Spotify", "ORG", mentions=3)]


def test_no_correction_leaves_the_enrichment_as_it_was() -> None:
    enrichment = Enrichment(entity_summary=[entry("org:apple", "Apple", "ORG")])
    assert correct(enrichment, {"place:spotify": Correction("org:spotify", "ORG")}) is enrichment


def test_the_tally_counts_the_batch_stored_before() -> None:
    tally = Tally({"org:spotify": Known("ORG", 2)})
    lone = [entry("place:spotify", "Spotify", "GPE")]
    assert tally.corrections(lone) == {}  # 2 of 3
    tally.add("org:spotify", "ORG", 1)  # an ORG article earlier in the batch
    assert tally.corrections(lone) == {"place:spotify": Correction("org:spotify", "ORG")}
    tally.add("org:spotify", "", -1)  # ... which a re-enrichment dropped again
    assert tally.corrections(lone) == {}
