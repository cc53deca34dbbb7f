"""The edges of a name: what the model's spans take in that no name holds.

The small model runs a name on across a paragraph break ("Amazon\\n\\nSince"), keeps a tennis
score after a player ("Nicolas Jarry 6-4"), labels a score alone as a person, and lets a name
end in a function word ("The Associated Press that"). A name ends at a line break, never ends in
a score or a lower-case function word, and holds at least one letter.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

# "6-4", "7-6(5)", "3–1" after a name: a result, never part of the name. The tokenizer may split
# a score into digits and dashes, so it is looked for in the text.
_TRAILING_SCORE = re.compile(r"\s\d+(?:\(\d+\))?(?:\s?[-–]\s?\d+(?:\(\d+\))?)+$")
# Model numbers belong to products ("Boeing 737-800"): their digits stay.
KEEPS_NUMBERS = frozenset({"PRODUCT"})
_EDGE_PUNCTUATION = frozenset({",", ";", ":", "-", "–", "—", "(", "/"})


def _breaks_line(doc: Doc, i: int) -> bool:
    """Whether token `i` is or ends in a line break."""
    token = doc[i]
    return "\n" in token.text or "\n" in token.whitespace_


def _is_tail_noise(doc: Doc, i: int, label: str) -> bool:
    token = doc[i]
    if token.is_space or token.text in _EDGE_PUNCTUATION:
        return True
    if token.is_lower and token.is_stop:
        return True  # "that", "which", "and": a function word ends no name
    return label == "PERSON" and token.text.isdigit()


def _is_clean(doc: Doc, span: Span) -> bool:
    """Most spans need no tidying; telling so from their text is cheaper than walking tokens."""
    text = span.text
    return (
        "\n" not in text
        and text[-1:].isalpha()
        and not _is_tail_noise(doc, span.end - 1, span.label_)
        and not (span.label_ not in KEEPS_NUMBERS and _TRAILING_SCORE.search(text))
    )


def tidy_span(doc: Doc, span: Span) -> Span | None:
    """`span` cut at its first line break and without trailing noise; None if no name is left."""
    if _is_clean(doc, span):
        return span
    start, end = span.start, span.end
    while start < end and doc[start].is_space:
        start += 1
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text:
            end = i
            break
        if _breaks_line(doc, i) and i + 1 < end:
            end = i + 1
            break
    while end > start and _is_tail_noise(doc, end - 1, span.label_):
        end -= 1
    score = None if span.label_ in KEEPS_NUMBERS else _TRAILING_SCORE.search(doc[start:end].text)
    if score is not None:
        cut = doc[start].idx + score.start()
        while end > start and doc[end - 1].idx >= cut:
            end -= 1
    if end <= start or not any(c.isalpha() for c in doc[start:end].text):
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def tidy_spans(doc: Doc, spans: list[Span]) -> list[Span]:
    """The spans with their edges tidied; spans that hold no name are dropped."""
    tidied = (tidy_span(doc, span) for span in spans)
    return [span for span in tidied if span is not None]
