"""Common words the model takes for names because they are capitalised.

"Diplomats said ..." opens a sentence, so the small model reads a capitalised word and guesses a
place; "As International powers met" capitalises an adjective. A one-word name mention is a
common word when it is on a short list of words that are never names alone, or when it is
capitalised only where a sentence or line starts while the article also uses it in lower case.
Neither test needs POS tags, which the pipeline does not load.
"""

from __future__ import annotations

from services.enrich.entities.cues import NAME_LABELS
from services.enrich.entities.lexicon import words
from services.enrich.entities.mentions import Mention

# Plural nouns and adjectives that news copy capitalises but that never name an entity alone.
COMMON_WORDS = words("common_words")
# What may stand between a sentence end and the first word: spaces and opening quotes.
_OPENERS = frozenset(" \t\"'“‘`([")
_SENTENCE_ENDS = frozenset(".!?\n")


def opens_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` is the first of a sentence or line."""
    i = at - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-" or after.isalnum() or after == "-")


def _occurrences(text: str, word: str) -> list[int]:
    """Where `word` occurs as a whole word; `str.find` needs no pattern compiled per article."""
    found = []
    at = text.find(word)
    while at >= 0:
        if _whole_word(text, at, at + len(word)):
            found.append(at)
        at = text.find(word, at + 1)
    return found


def _capitalised_by_position(text: str, word: str) -> bool:
    """A title-case word the article writes in lower case and capitalises only to open sentences."""
    if not _occurrences(text, word.lower()):
        return False
    return all(opens_sentence(text, at) for at in _occurrences(text, word))


def is_common_word(text: str, mention: Mention) -> bool:
    """Whether a one-word name mention is a common word, not a name."""
    word = mention.text
    if len(mention.span) != 1 or mention.span.label_ not in NAME_LABELS:
        return False
    if word.lower() in COMMON_WORDS:
        return True
    title_case = word[:1].isupper() and word[1:].islower() and word.isalpha()
    return (
        title_case
        and mention.cue is None
        and opens_sentence(text, mention.start_char)
        and _capitalised_by_position(text, word)
    )


def drop_common_words(text: str, mentions: list[Mention]) -> list[Mention]:
    """`mentions` without the common words capitalised by their place in the sentence."""
    return [m for m in mentions if not is_common_word(text, m)]
