"""Further mentions of names the article already established, where the model missed them.

The model finds "iPhone" in one sentence and misses it in the next, and it reads little in an
all-capitals headline. Once a name has a resolved label, its other occurrences are the same
entity: exact-case matches in ordinary text, case-insensitive ones in capitalised lines.
"""

from __future__ import annotations

import re2
from spacy.tokens import Doc

from services.enrich.entities.mentions import Mention, mention_key, shouted_ranges
from shared.entity_names import GENERATIONAL, tidy_name

# "BERLIN (Reuters) -", "WASHINGTON, Nov 25 (AP) —", "LONDON -": a capitalised place opening
# a line before the agency or a dash. The model often misses it for want of case.
# RE2 has no lookahead: what follows the place is matched too, and only group 1 is the place.
_DATELINE = re2.compile(
    r"(?m)^([A-Z][A-Z'.]+(?: [A-Z][A-Z'.]+){0,2})"  # the place
    r"(?:,[^\n(]{0,30})?\s*(?:\([^)\n]{1,40}\)\s*)?[-–—]",  # ", date (Agency) -"
)
PROPAGATED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT"})
MIN_LENGTH = 3


def _surfaces(mentions: list[Mention]) -> dict[str, tuple[str, str]]:
    """Each name's surface forms and surnames -> (group key, label)."""
    labels_by_key = {m.key: m.label for m in mentions}
    found: dict[str, tuple[str, str]] = {}
    for m in mentions:
        if m.label not in PROPAGATED_LABELS or m.shouted:
            continue
        name = tidy_name(m.text)
        if len(name) >= MIN_LENGTH and not name.isdigit():
            found.setdefault(name, (m.key, m.label))
        words = [w for w in name.split(" ") if w.strip(".,").lower() not in GENERATIONAL]
        surname = words[-1] if words else ""
        if (
            m.label == "PERSON"
            and len(words) > 1
            and len(surname) >= MIN_LENGTH
            and labels_by_key.get(surname.lower(), "PERSON") == "PERSON"
        ):
            found.setdefault(surname, (m.key, m.label))
    return found


# What the name patterns treat as part of a word around a name: "$" of "US$", "-" of "pro-".
_WORD_LIKE = frozenset("_$£€-")


def _is_boundary(text: str, at: int) -> bool:
    """Whether the character at `at` may border a name: not a word character, "$", "-"..."""
    if not 0 <= at < len(text):
        return True
    char = text[at]
    return not (char.isalnum() or char in _WORD_LIKE)


def _find_names(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where the names occur as whole words, not inside a longer word, "$" or "-" compound.

    Compiling a pattern per article costs more than the search itself; `str.find` needs none.
    Like the pattern, the leftmost occurrence wins, then the longest name at that place.
    """
    best: dict[int, tuple[int, int]] = {}  # start -> (rank in the alternation, end)
    for rank, name in enumerate(sorted(names, key=len, reverse=True)):
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if at not in best and _is_boundary(text, at - 1) and _is_boundary(text, end):
                best[at] = (rank, end)
            at = text.find(name, at + 1)
    found: list[tuple[int, int]] = []
    for start in sorted(best):
        if not found or start >= found[-1][1]:
            found.append((start, best[start][1]))
    return found


def propagate(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """`mentions` plus the unlabelled occurrences of their names, in text order."""
    surfaces = _surfaces(mentions)
    taken = bytearray(len(text))
    for m in mentions:
        taken[m.start_char : m.end_char] = b"\x01" * (m.end_char - m.start_char)
    folded: dict[str, tuple[str, str]] = {}
    for name, value in surfaces.items():
        folded.setdefault(name.lower(), value)
    # (start, end, (key, label), shouted): capitals-only occurrences do not name the entity in
    # the summary.
    matches: list[tuple[int, int, tuple[str, str], bool]] = [
        (start, end, surfaces[text[start:end]], False)
        for start, end in _find_names(text, list(surfaces))
    ]
    shouted = shouted_ranges(text)
    if shouted and surfaces:
        names = list(folded)
        for lo, hi in shouted:
            line = text[lo:hi].lower()
            if len(line) != hi - lo:
                continue  # lower-casing moved the offsets ("İ"): too rare to search another way
            matches += [
                (lo + start, lo + end, folded[line[start:end]], True)
                for start, end in _find_names(line, names)
            ]
    for hit in _DATELINE.finditer(text):
        place = folded.get(hit.group(1).lower())
        value = place or (mention_key(hit.group(1).title(), "GPE"), "GPE")
        matches.append((*hit.span(1), value, True))
    added = []
    for start, end, (key, label), loud in matches:
        span = None if any(taken[start:end]) else doc.char_span(start, end)
        if span is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        added.append(Mention(span, label, key, shouted=loud, votes={label: 1.0}))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start_char)
