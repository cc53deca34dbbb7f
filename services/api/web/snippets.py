"""A hit's context: a short passage of its text around the first query word or matched name,
with those marked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.models import Entity

WIDTH = 240  # characters of context, about two lines of a result list
LEAD = 60  # of which before the first match


@dataclass(frozen=True)
class Piece:
    """A run of snippet text; `mark` is "word" or "entity" when it is highlighted."""

    text: str
    mark: str = ""


def query_words(q: str | None) -> list[str]:
    return [w for w in re.findall(r"\w+", q or "") if len(w) > 1]


def snippet(
    text: str, words: list[str], names: list[Entity], width: int = WIDTH, lead: int = 0
) -> list[Piece]:
    """About `width` characters around the first match, cut at word boundaries; without a
    match, from `lead` (past a title the text repeats)."""
    marks: list[tuple[int, int, str]] = [(n.start, n.end, "entity") for n in names]
    if words:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*", re.IGNORECASE)
        marks += [(m.start(), m.end(), "word") for m in pattern.finditer(text)]
    marks = sorted(m for m in marks if 0 <= m[0] < m[1] <= len(text))
    start = lead
    if marks:
        first = marks[0][0]
        start = max(0, first - LEAD)
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if start and space > 0 and first - space < LEAD * 2 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    pieces = [Piece("…")] if start and marks else []
    position = start
    for mark_start, mark_end, kind in marks:
        if mark_start < position or mark_end > end:
            continue
        pieces.append(Piece(_flat(text[position:mark_start])))
        pieces.append(Piece(_flat(text[mark_start:mark_end]), kind))
        position = mark_end
    pieces.append(Piece(_flat(text[position:end])))
    if end < len(text):
        pieces.append(Piece("…"))
    return [p for p in pieces if p.text]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
