"""Label colours and meanings: readable, and only for labels enrichment keeps."""

from __future__ import annotations

import pytest

from services.api.web.labels import (
    DATE_LABEL,
    INK,
    LABELS,
    OTHER_LABEL,
    WCAG_AA,
    contrast,
    describe,
    label_css,
)
from services.enrich.entities import EXCLUDED_LABELS
from services.enrich.entities.summary import SUMMARY_LABELS


def test_the_labels_are_those_enrichment_keeps() -> None:
    assert set(LABELS) == SUMMARY_LABELS
    assert not set(LABELS) & EXCLUDED_LABELS


@pytest.mark.parametrize("colour", [s.colour for s in (*LABELS.values(), DATE_LABEL, OTHER_LABEL)])
def test_text_on_every_label_colour_meets_wcag_aa(colour: str) -> None:
    assert contrast(INK, colour) >= WCAG_AA


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == 1


def test_the_legend_speaks_plainly() -> None:
    assert describe("GPE") == "GPE — countries, cities, states"
    assert all(spec.meaning for spec in LABELS.values())


def test_every_label_is_painted_by_the_stylesheet() -> None:
    css = label_css()
    for name, spec in LABELS.items():
        assert f".l-{name} {{ background: {spec.colour}; }}" in css
    assert ".l-DATE" in css and ".l-OTHER" in css
