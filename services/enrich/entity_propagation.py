"""Further mentions of names the article already established, where the model missed them.

The model finds "iPhone" in one sentence and misses it in the next, and it reads little in an
all-capitals headline. Once a name has a resolved label, its other occurrences are the same
entity: exact-case matches in ordinary text, case-insensitive ones in capitalised lines.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from services.enrich.entity_mentions import Mention, mention_key, shouted_ranges
from shared.entity_names import GENERATIONAL, tidy_name

# "BERLIN (Reuters) -", "WASHINGTON, Nov 25 (AP) —", "LONDON -": a capitalised place opening
# a line before the agency or a dash. The model often misses it for want of case.
_DATELINE = re.compile(
    r"^([A-Z][A-Z'.]+(?: [A-Z][A-Z'.]+){0,2})"  # the place
    r"(?=(?:,[^\n(]{0,30})?\s*(?:\([^)\n]{1,40}\)\s*)?[-–—])",  # ", date (Agency) -"
    re.MULTILINE,
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


def _pattern(names: list[str], flags: int = 0) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w$£€-])(?:{alternatives})(?![\w$£€-])", flags)


def propagate(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """`mentions` plus the unlabelled occurrences of their names, in text order."""
    surfaces = _surfaces(mentions)
    taken = bytearray(len(text))
    for m in mentions:
        taken[m.start_char : m.end_char] = b"\x01" * (m.end_char - m.start_char)
    folded: dict[str, tuple[str, str]] = {}
    for name, value in surfaces.items():
        folded.setdefault(name.lower(), value)
    matches: list[tuple[re.Match[str], tuple[str, str]]] = []
    if surfaces:
        exact = _pattern(list(surfaces))
        matches += [(hit, surfaces[hit.group()]) for hit in exact.finditer(text)]
    shouted = shouted_ranges(text)
    if shouted and surfaces:
        caseless = _pattern(list(surfaces), re.IGNORECASE)
        for lo, hi in shouted:
            matches += [(h, folded[h.group().lower()]) for h in caseless.finditer(text, lo, hi)]
    for hit in _DATELINE.finditer(text):
        place = folded.get(hit.group(1).lower())
        matches.append((hit, place or (mention_key(hit.group(1).title(), "GPE"), "GPE")))
    added = []
    for hit, (key, label) in matches:
        start, end = hit.span(1) if hit.re is _DATELINE else hit.span()
        span = None if any(taken[start:end]) else doc.char_span(start, end)
        if span is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        # Capitals-only occurrences do not name the entity in the summary.
        loud = hit.re is _DATELINE or bool(hit.re.flags & re.IGNORECASE)
        added.append(Mention(span, label, key, shouted=loud, votes={label: 1.0}))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start_char)
