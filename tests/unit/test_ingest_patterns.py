"""Every pattern that sees feed or page text runs in linear time: adversarial input of a
megabyte is read within a generous budget (the backtracking versions took hours)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from services.ingest.entries import is_full_text
from services.ingest.extract import html_to_text, normalise_text

MEGABYTE = 1_000_000
BUDGET_SECONDS = 5.0

ADVERSARIAL: dict[str, tuple[Callable[[str], object], str]] = {
    "spaces without a line break": (normalise_text, " " * MEGABYTE + "x"),
    "a paragraph of spaces": (html_to_text, "<p>" + " " * MEGABYTE + "x</p>"),
    "an ellipsis then spaces": (is_full_text, "word " * 100 + "..." + " " * MEGABYTE + "x"),
    "read more then spaces": (is_full_text, "word " * 100 + "read" + " " * MEGABYTE + "x"),
    "many ellipses": (is_full_text, "... " * (MEGABYTE // 4) + "x"),
}


@pytest.mark.parametrize("case", list(ADVERSARIAL))
def test_adversarial_text_is_read_in_linear_time(case: str) -> None:
    function, text = ADVERSARIAL[case]
    started = time.monotonic()
    function(text)
    assert time.monotonic() - started < BUDGET_SECONDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a  b\n\n\n  c\t d \n e", "a b\n\nc d\ne"),
        ("\r\n\r\none\r\n \r\ntwo\rthree\n\n", "one\n\ntwo\nthree"),
        ("  \n \n ", ""),
        ("x\u00a0\u2003y\n\u3000\nz", "x y\n\nz"),
    ],
)
def test_normalising_keeps_lines_and_paragraphs(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_truncation_marks_are_still_found() -> None:
    long = "word " * 120
    for ending in ("...", "…", "[…]", "Read more »", "Continue reading ›", "more"):
        assert not is_full_text(long + ending)
    assert is_full_text(long.strip() + ".")
