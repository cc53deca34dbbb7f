"""One label per name within an article: mentions grouped by name, then a weighted label vote.

The model labels each mention from its own sentence, so the same name flips between PERSON and
ORG. Grouping mentions by their canonical key and letting the model's labels, local cues and
known entities vote gives every mention of a name the same label; short forms join the full
name they abbreviate first ("Lavrov" -> "Sergei Lavrov").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from services.enrich.entities.commonness import drop_common_words
from services.enrich.entities.cues import NAME_LABELS
from services.enrich.entities.links import link_acronyms, link_surnames, tally_votes
from services.enrich.entities.mentions import SHOUTED_WEIGHT, Mention, collect_mentions


def resolve_labels(doc: Doc, text: str, spans: list[Span]) -> list[Mention]:
    """Mentions with one label per grouped name; common words and unsupported shouted guesses
    are dropped."""
    mentions = link_acronyms(doc, drop_common_words(text, collect_mentions(doc, text, spans)))
    link_surnames(mentions, tally_votes(mentions))
    tally = tally_votes(mentions)
    quiet_keys = {m.key for m in mentions if not m.shouted}
    resolved = []
    for m in mentions:
        if m.span.label_ in NAME_LABELS:
            # A capitals-only guess with nothing in the body to back it is dropped.
            if m.shouted and m.key not in quiet_keys and sum(m.votes.values()) <= SHOUTED_WEIGHT:
                continue
            votes = tally[m.key]
            m.label = max(votes, key=votes.__getitem__)
        resolved.append(m)
    return resolved
