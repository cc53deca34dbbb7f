"""The per-article entity summary: canonical names, mention counts and salience.

Salience weighs where a name appears, the way a reader skims: in the title, in the lead (the
first sentences after the title), and how often relative to the article's most-mentioned name.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from services.enrich.entities.mentions import Mention, mention_key
from shared.entity_names import entity_id, known_entity, strip_honorifics, tidy_name
from shared.models import EntitySummary

SUMMARY_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "EVENT",
        "PRODUCT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
TITLE_WEIGHT, LEAD_WEIGHT, FREQUENCY_WEIGHT = 0.4, 0.3, 0.3
# About the first hundred words: the lead paragraph a reader skims.
LEAD_CHARS = 600
TITLE_SEARCH = 200
SHORT_ACRONYM = 5
SHOUTED_ACRONYM = 3


def _display(surface: str, shouted: bool) -> str:
    """A name as a reader expects it: "ALEPPO" -> "Aleppo", acronyms like "SANA" kept.

    A name only ever seen in capitals (a headline, a dateline "PARIS (AP) -") is cased as a name.
    """
    longest = SHOUTED_ACRONYM if shouted else SHORT_ACRONYM
    if surface.isupper() and (" " in surface or len(surface) > longest):
        return " ".join(w.capitalize() for w in surface.split(" "))
    return surface


def canonical_name(mentions: list[Mention], label: str) -> str:
    """The name a group of mentions is listed under.

    Only the group's own forms compete: "GM", grouped under "General Motors ( GM )", or "Lavrov",
    grouped under "Sergei Lavrov", never names the group.
    """
    known = known_entity(tidy_name(mentions[0].text))
    if known is not None:
        return known.name
    own = [m for m in mentions if mention_key(m.text, label) == m.key] or mentions
    names = [tidy_name(m.text) for m in own if not m.shouted]
    shouted = not names
    names = names or [tidy_name(m.text) for m in own]
    if label == "PERSON":
        names = [strip_honorifics(n) for n in names]
        return _display(max(names, key=lambda n: (len(n.split()), len(n))), shouted)
    counts = Counter(names)
    return _display(max(counts, key=lambda n: (counts[n], not n.isupper(), len(n))), shouted)


def lead_end(text: str, title: str) -> int:
    """Where the lead ends: a paragraph's worth of text after the title, if the text repeats it."""
    stripped = title.strip()
    start = text.find(stripped) if stripped else -1
    skip = start + len(stripped) if 0 <= start < TITLE_SEARCH else 0
    return skip + LEAD_CHARS


def _in_title(names: set[str], title: str) -> bool:
    """Whether any of the names is a whole word or phrase of the title, ignoring case."""
    folded = title.casefold()
    for name in filter(None, (n.casefold() for n in names)):
        at = folded.find(name)
        while at >= 0:
            end = at + len(name)
            if not (at and folded[at - 1].isalnum()) and not folded[end : end + 1].isalnum():
                return True
            at = folded.find(name, at + 1)
    return False


def summarise(text: str, title: str, mentions: list[Mention]) -> list[EntitySummary]:
    """Group resolved mentions into summary rows, most salient first."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.label in SUMMARY_LABELS:
            groups[m.key].append(m)
    if not groups:
        return []
    lead = lead_end(text, title)
    most = max(len(g) for g in groups.values())
    rows = []
    for group in groups.values():
        label = group[0].label
        name = canonical_name(group, label)
        surfaces = {tidy_name(m.text) for m in group} | {name}
        salience = (
            TITLE_WEIGHT * _in_title(surfaces, title)
            + LEAD_WEIGHT * (min(m.start_char for m in group) < lead)
            + FREQUENCY_WEIGHT * len(group) / most
        )
        rows.append(
            EntitySummary(
                entity_id=entity_id(label, name),
                name=name,
                label=label,
                mentions=len(group),
                salience=round(salience, 3),
            )
        )
    rows.sort(key=lambda r: (-r.salience, -r.mentions, r.name))
    return rows
