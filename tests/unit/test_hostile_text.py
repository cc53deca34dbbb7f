"""Enrichment stays fast on text written to make its patterns backtrack.

Anyone who can submit an article, or any subscribed feed, chooses the text: a pattern whose time
grows faster than the text's length lets one article hold a worker for minutes. The budget is
generous (spaCy itself takes a fraction of it); a backtracking pattern misses it by far. It
is CPU time of the thread that runs the patterns, so that other processes busy on the same
cores (a parallel test run, CI neighbours) cannot make a linear pattern look slow.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from spacy.language import Language

from services.enrich.dates.spans import trim
from services.enrich.pipeline import enrich, load_nlp
from shared.settings import Settings
from tests.unit.hostile_texts import HOSTILE_TEXTS

BUDGET_SECONDS = 2.0


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(Settings().spacy_model)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_text_is_enriched_within_budget(nlp: Language, name: str) -> None:
    text = HOSTILE_TEXTS[name]
    start = time.thread_time()
    enrich(nlp, "t", text, datetime(2020, 1, 1, tzinfo=UTC))
    assert time.thread_time() - start < BUDGET_SECONDS


@pytest.mark.timeout(60)
def test_a_long_run_of_spaces_is_trimmed_within_budget() -> None:
    text = "May" + " " * 10_000 + "and"
    start = time.thread_time()
    assert trim(text, (0, len(text))) == (0, 3)
    assert time.thread_time() - start < BUDGET_SECONDS


def test_shouted_lines_are_still_found(nlp: Language) -> None:
    text = "MERKEL MEETS OBAMA IN BERLIN\nAngela Merkel met Barack Obama in Berlin on Monday."
    found = enrich(nlp, "t", text, datetime(2020, 1, 1, tzinfo=UTC))
    assert any(e.start < 28 and e.text.upper() == "BERLIN" for e in found.entities)
