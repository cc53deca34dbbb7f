"""Product names the small model splits or misses: makers' model numbers and camel-case brands.

"Boeing 787" comes out as an organisation and a number, "iPhone 4" as a number alone; a
lower-camel-case word ("iPhone", "iOS", "iCloud") is a brand name whatever the sentence says.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from services.enrich.entities.mentions import Mention, mention_key

# "787", "A380", "737-800", "747s" but not a year: what follows a maker's name in a model.
_MODEL_NUMBER = re.compile(r"^(?!(?:19|20)\d\d$)[A-Z]{0,2}\d{2,4}(?:-\d{1,4})?[A-Za-z]{0,2}$")
# "4", "3GS", "10.5": the version after a product's name.
_VERSION = re.compile(r"^(?!(?:19|20)\d\d$)\d{1,4}(?:\.\d+)*[A-Za-z]{0,3}$")
_LOWER_CAMEL = re.compile(r"(?<![\w'’.-])[a-z]{1,2}[A-Z][A-Za-z]+(?![\w-])")
# "Air France Flight 447" is a flight, not a product.
NOT_MAKERS = frozenset({"flight", "route", "highway", "road"})
NUMERIC = frozenset({"CARDINAL", "ORDINAL", "QUANTITY"})


def join_model_numbers(doc: Doc, spans: list[Span]) -> list[Span]:
    """A maker's name and the model number after it are one product: "Boeing 787", "Airbus A380".

    The model splits them into an organisation and a number; the number alone names nothing.
    """
    joined: list[Span] = []
    following = {span.start: span for span in spans}
    skip_until = -1
    for span in spans:
        if span.start < skip_until:
            continue
        end = span.end
        maker = span.label_ == "ORG" and span[-1].lower_ not in NOT_MAKERS
        if maker and end < len(doc) and _MODEL_NUMBER.match(doc[end].text):
            number = following.get(end)
            skip_until = number.end if number is not None else end + 1
            joined.append(Span(doc, span.start, skip_until, label="PRODUCT"))
        else:
            joined.append(span)
    return joined


def _version_end(doc: Doc, end: int, by_start: dict[int, Mention]) -> int:
    """Where a product name ends once the version after it is included: "iPhone 4", "3GS"."""
    if end >= len(doc) or not _VERSION.match(doc[end].text):
        return end
    number = by_start.get(end)
    if number is not None and number.label not in NUMERIC:
        return end
    end = number.span.end if number is not None else end + 1
    last = doc[end - 1]
    if not last.whitespace_ and end < len(doc) and doc[end].text.isalnum():
        return end + 1  # the "G" of "3G", split off by the tokenizer
    return end


def add_camel_case_products(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """`mentions` with the lower-camel-case brand names the model missed, versions included."""
    by_start = {m.span.start: m for m in mentions}
    names = [m for m in mentions if m.label not in NUMERIC]
    taken = {i for m in names for i in range(m.start_char, m.end_char)}
    products: list[Mention] = []
    for m in names:
        end = _version_end(doc, m.span.end, by_start) if m.label == "PRODUCT" else m.span.end
        if end == m.span.end:
            products.append(m)
            continue
        span = Span(doc, m.span.start, end, label="PRODUCT")
        products.append(Mention(span, "PRODUCT", mention_key(span.text, "PRODUCT"), votes={}))
    for hit in _LOWER_CAMEL.finditer(text):
        name = None if hit.start() in taken else doc.char_span(hit.start(), hit.end())
        if name is not None:
            span = Span(doc, name.start, _version_end(doc, name.end, by_start), label="PRODUCT")
            products.append(Mention(span, "PRODUCT", mention_key(span.text, "PRODUCT"), votes={}))
    covered = {i for m in products for i in range(m.span.start, m.span.end)}
    numbers = [m for m in mentions if m.label in NUMERIC and m.span.start not in covered]
    return sorted(products + numbers, key=lambda m: m.span.start)
