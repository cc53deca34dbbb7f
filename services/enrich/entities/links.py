"""Short forms that join the full name they abbreviate within one article.

"Lavrov" after "Sergei Lavrov" is the same person, and "GM" after "General Motors ( GM )" the
same company: the short form is regrouped under the full name's key, so both share one label
and one summary row.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from services.enrich.entities.cues import MEDIUM, NAME_LABELS
from services.enrich.entities.mentions import Mention, mention_key

Tally = dict[str, dict[str, float]]
FUNCTION_WORDS = frozenset({"of", "and", "for", "the", "&", "de", "du", "des", "la"})
# The model's own votes against a person only block the link when they clearly outnumber it.
MODEL_MAJORITY = 2.0


def tally_votes(mentions: list[Mention]) -> Tally:
    """Summed label votes per grouping key."""
    tally: Tally = defaultdict(lambda: defaultdict(float))
    for m in mentions:
        if m.span.label_ in NAME_LABELS:
            for label, weight in m.votes.items():
                tally[m.key][label] += weight
    return tally


def _winner(votes: dict[str, float]) -> str:
    return max(votes, key=votes.__getitem__)


def link_surnames(mentions: list[Mention], tally: Tally) -> None:
    """Regroup a lone surname under the one full name it abbreviates, unless it names a company.

    "Ford" is not "William Clay Ford Jr." when "Ford Motor Company" is in the article, or when
    local cues or most of the model's labels say organisation; "Lavrov" joins "Sergei Lavrov".
    """
    full_names: dict[str, set[str]] = defaultdict(set)
    other_prefixes: set[str] = set()
    # A capitals-only headline guess ("MERKEL MEETS OBAMA") is no full name to link to.
    heard = {m.key for m in mentions if not m.shouted}
    for key, votes in tally.items():
        words = key.split("-")
        if key not in heard:
            continue
        if len(words) > 1 and _winner(votes) == "PERSON":
            full_names[words[-1]].add(key)
        elif len(words) > 1:
            other_prefixes.add(words[0])
    for surname, owners in full_names.items():
        if len(owners) > 1 or surname in other_prefixes or surname not in tally:
            continue
        owner = next(iter(owners))
        short = [m for m in mentions if m.key == surname]
        cues_against = sum(
            m.cue.weight for m in short if m.cue is not None and m.cue.label != "PERSON"
        )
        model_against = sum(1 for m in short if m.span.label_ != "PERSON")
        support = sum(1 for m in short if m.span.label_ == "PERSON") + sum(tally[owner].values())
        if cues_against < MEDIUM and model_against <= MODEL_MAJORITY * support:
            for m in short:
                # The link outweighs the model's guess: this mention now votes PERSON.
                m.key, m.votes = owner, {"PERSON": 1.0}


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in FUNCTION_WORDS).upper()


def link_acronyms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Key an acronym defined in brackets after a name ("General Motors ( GM )") like the name.

    Returns the mentions plus the bracketed acronym where the model missed it.
    """
    acronyms: dict[str, Mention] = {}
    by_start = {m.span.start: m for m in mentions}
    added = []
    for m in mentions:
        end = m.span.end
        if m.span.label_ not in NAME_LABELS or end + 2 >= len(doc):
            continue
        if doc[end].text != "(" or doc[end + 2].text != ")":
            continue
        token = doc[end + 1]
        if not token.text.isupper() or _initials(m.text.split()) != token.text:
            continue
        acronyms[mention_key(token.text, m.label)] = m
        if end + 1 not in by_start:
            span = doc[end + 1 : end + 2]
            added.append(Mention(span, m.label, m.key, votes={m.label: 1.0}))
    if not acronyms:
        return mentions
    for m in mentions:
        full = acronyms.get(m.key)
        if full is not None:
            m.key = full.key
    return sorted(mentions + added, key=lambda m: m.span.start)
