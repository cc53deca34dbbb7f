"""Entities as a reader of the article would expect them, on the real spaCy model."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from services.enrich.entities import extract_entities
from services.enrich.pipeline import UNUSED_COMPONENTS, load_nlp
from shared.models import Entity, EntitySummary
from shared.settings import Settings

SEED_ARTICLE = (
    Path(__file__).resolve().parents[2]
    / "seeds"
    / "articles"
    / "world-powers-fail-to-salvage-syrian-truce.txt"
)
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "meantime-sample.jsonl"
SEED_TITLE = "World powers fail to salvage Syrian truce"
SUMMARY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"}
SUMMARY_LABELS |= {"WORK_OF_ART", "LAW", "LANGUAGE"}

Result = tuple[list[Entity], list[EntitySummary]]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


@pytest.fixture(scope="module")
def seed(nlp: Language) -> Result:
    return extract_entities(nlp(SEED_ARTICLE.read_text(encoding="utf-8")), SEED_TITLE)


def run(nlp: Language, text: str, title: str = "") -> Result:
    return extract_entities(nlp(text), title or text.split("\n")[0])


def labels_of(entities: list[Entity], text: str) -> set[str]:
    return {e.label for e in entities if e.text == text}


def row(summary: list[EntitySummary], name: str) -> EntitySummary:
    found = [r for r in summary if r.name == name]
    assert found, f"{name!r} not in {[r.name for r in summary]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Staffan de Mistura", "PERSON"),
        ("Aleppo", "GPE"),
        ("SANA", "ORG"),
        ("Syrian Observatory for Human Rights", "ORG"),
        ("Lavrov", "PERSON"),
        ("Sergei Lavrov", "PERSON"),
        ("John Kerry", "PERSON"),
        ("Jean-Marc Ayrault", "PERSON"),
        ("US", "GPE"),
    ],
)
def test_seed_mentions_carry_the_right_label(seed: Result, text: str, label: str) -> None:
    assert labels_of(seed[0], text) == {label}


def test_seed_summary_groups_lavrov_under_his_full_name(seed: Result) -> None:
    lavrov = row(seed[1], "Sergei Lavrov")
    assert (lavrov.entity_id, lavrov.label, lavrov.mentions) == (
        "person:sergei-lavrov",
        "PERSON",
        2,
    )
    assert not [r for r in seed[1] if r.name == "Lavrov"]


def test_seed_summary_names_us_the_united_states(seed: Result) -> None:
    us = row(seed[1], "United States")
    assert (us.entity_id, us.label) == ("place:united-states", "GPE")
    assert us.mentions == len([e for e in seed[0] if e.text == "US"])


def test_seed_summary_rows_for_people_places_and_organisations(seed: Result) -> None:
    by_name = {r.name: r for r in seed[1]}
    assert by_name["Staffan de Mistura"].entity_id == "person:staffan-de-mistura"
    assert by_name["Aleppo"].label == "GPE"
    assert by_name["Aleppo"].mentions == 3
    assert by_name["Syrian Observatory for Human Rights"].mentions == 2
    assert by_name["SANA"].label == "ORG"


def test_one_label_per_name_within_an_article(seed: Result) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for e in seed[0]:
        labels[e.text.lower()].add(e.label)
    assert {name: found for name, found in labels.items() if len(found) > 1} == {}


def test_offsets_point_into_the_text_and_dates_are_left_out(nlp: Language) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    entities, _ = extract_entities(nlp(text), SEED_TITLE)
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert not {e.label for e in entities} & {"DATE", "TIME"}


def test_summary_is_names_only_sorted_by_salience(seed: Result) -> None:
    summary = seed[1]
    assert summary
    assert {r.label for r in summary} <= SUMMARY_LABELS
    assert [r.salience for r in summary] == sorted((r.salience for r in summary), reverse=True)
    assert all(0.0 <= r.salience <= 1.0 for r in summary)
    assert len({r.entity_id for r in summary}) == len(summary)


def test_title_and_lead_outweigh_a_late_mention(nlp: Language) -> None:
    text = (
        "Angela Merkel meets Emmanuel Macron in Paris\n"
        "German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on Friday. "
        + "The two leaders discussed trade and the budget at length. " * 12
        + "Spain's prime minister, Pedro Sanchez, was not invited."
    )
    summary = run(nlp, text)[1]
    assert row(summary, "Angela Merkel").salience > row(summary, "Pedro Sanchez").salience
    assert row(summary, "Paris").salience > row(summary, "Pedro Sanchez").salience


def test_surname_joins_the_full_name_but_a_company_keeps_its_own(nlp: Language) -> None:
    text = (
        "Ford Motor Company said sales rose. William Clay Ford Jr. welcomed the news. "
        "Ford shares gained 3 percent and Ford expects more."
    )
    entities, summary = run(nlp, text, "Ford sales rise")
    assert labels_of(entities, "Ford") == {"ORG"}
    assert row(summary, "William Clay Ford Jr.").mentions == 1


def test_an_acronym_defined_in_brackets_joins_the_full_name(nlp: Language) -> None:
    text = "General Motors (GM) will cut 10,000 jobs. GM said the cuts would fall in Europe."
    summary = run(nlp, text, "GM to cut jobs")[1]
    gm = row(summary, "General Motors")
    assert (gm.entity_id, gm.mentions) == ("org:general-motors", 3)


def test_a_maker_and_its_model_number_are_one_product(nlp: Language) -> None:
    text = "Boeing delivered the first Boeing 787 to a Japanese airline on Tuesday."
    entities, summary = run(nlp, text, "Boeing delivers jet")
    assert [e.label for e in entities if e.text == "Boeing 787"] == ["PRODUCT"]
    assert row(summary, "Boeing 787").entity_id == "product:boeing-787"


def test_capitalised_headline_and_dateline_take_the_body_names(nlp: Language) -> None:
    text = (
        "MERKEL MEETS OBAMA IN BERLIN\n"
        "BERLIN (Reuters) - German Chancellor Angela Merkel met U.S. President Barack Obama "
        "in Berlin on Friday. Merkel said the talks were good. Obama agreed."
    )
    entities, summary = run(nlp, text)
    headline = [e for e in entities if e.end <= text.index("\n")]
    assert {(e.text, e.label) for e in headline} == {
        ("MERKEL", "PERSON"),
        ("OBAMA", "PERSON"),
        ("BERLIN", "GPE"),
    }
    assert row(summary, "Angela Merkel").mentions == 3
    assert row(summary, "Berlin").mentions == 3


def test_people_after_titles_and_in_apposition(nlp: Language) -> None:
    text = (
        "The UN envoy for Yemen, Martin Griffiths, arrived in eastern Aden on Monday. "
        "Griffiths met the state news agency Saba."
    )
    entities, summary = run(nlp, text, "Envoy arrives in Aden")
    assert row(summary, "Martin Griffiths").mentions == 2
    assert labels_of(entities, "Aden") == {"GPE"}


def test_codes_and_common_words_are_not_names(nlp: Language) -> None:
    text = "Shares rose at 14:00 UTC, the Secretary of State said in Washington."
    entities, _ = run(nlp, text, "Shares rise")
    assert not {"UTC", "State"} & {e.text for e in entities}


def test_a_role_in_apposition_outweighs_the_organisation_before_it(nlp: Language) -> None:
    text = (
        "The spokesman for the group, Zabihullah Mujahid, said the militants held Kandahar. "
        "Irish low cost airline, Ryanair, ordered jets. Mujahid added that talks would go on."
    )
    entities, summary = run(nlp, text, "Taliban hold Kandahar")
    assert row(summary, "Zabihullah Mujahid").mentions == 2
    assert labels_of(entities, "Ryanair") == {"ORG"}


@pytest.mark.parametrize("word", ["Diplomats", "International"])
def test_seed_common_words_are_not_entities(seed: Result, word: str) -> None:
    # "Diplomats said ..." opens a sentence; "As International powers ..." is an adjective.
    assert not [e for e in seed[0] if e.text == word]


def test_the_models_faster_products_find_the_same_entities_as_spacys_default(
    nlp: Language,
) -> None:
    # `load_nlp` multiplies through numpy's BLAS instead of thinc's BLIS; it must not change a
    # single entity of the seed article or of the WikiNews sample.
    shipped = spacy.load(Settings().spacy_model, exclude=UNUSED_COMPONENTS)
    layers = list(nlp.get_pipe("ner").model.walk())
    assert any(getattr(layer.ops, "use_blis", True) is False for layer in layers)
    texts = [SEED_ARTICLE.read_text(encoding="utf-8")]
    with SAMPLE.open(encoding="utf-8") as fh:
        texts += [json.loads(line)["text"] for line in fh if line.strip()]
    for ours, theirs in zip(nlp.pipe(texts), shipped.pipe(texts), strict=True):
        assert ours.ents, "the model found nothing"
        assert [(e.start_char, e.end_char, e.label_) for e in ours.ents] == [
            (e.start_char, e.end_char, e.label_) for e in theirs.ents
        ]
