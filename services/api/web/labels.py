"""Entity labels as readers see them: a colour, a plain-language meaning, and the CSS that
paints them (a stylesheet rather than inline styles, which a `default-src 'self'` policy
blocks)."""

from __future__ import annotations

from dataclasses import dataclass

INK = "#1d2330"  # the text colour on every label colour
WCAG_AA = 4.5


@dataclass(frozen=True)
class Label:
    colour: str
    noun: str  # what one entity of the label is
    meaning: str  # what the label covers, for the legend


# displaCy's palette, so that the colours mean what readers of spaCy's visualiser expect. Only
# the labels enrichment keeps as entities: amounts, counts, dates and times never reach the index.
LABELS = {
    "PERSON": Label("#aa9cfc", "person", "people, real or fictional"),
    "ORG": Label("#7aecec", "organisation", "companies, agencies, institutions"),
    "GPE": Label("#feca74", "country, city or state", "countries, cities, states"),
    "LOC": Label("#ff9561", "place", "other places: regions, mountains, seas"),
    "FAC": Label("#9cc9cc", "building or facility", "buildings, airports, roads, bridges"),
    "NORP": Label("#c887fb", "group", "nationalities, religious or political groups"),
    "EVENT": Label("#ffeb80", "event", "named wars, battles, storms, sports events"),
    "PRODUCT": Label("#bfeeb7", "product", "objects, vehicles, devices, software"),
    "WORK_OF_ART": Label("#f0d0ff", "work of art", "titles of books, songs, films"),
    "LAW": Label("#ff8197", "law", "named laws, treaties and legal documents"),
    "LANGUAGE": Label("#ff8197", "language", "named languages"),
}
DATE_LABEL = Label("#bfe1d9", "date", "dates, times and durations the text mentions")
OTHER_LABEL = Label("#dddddd", "entity", "another kind of name")


def label_of(label: str) -> Label:
    return LABELS.get(label, OTHER_LABEL)


def css_class(label: str) -> str:
    """The class that paints a label: `l-PERSON`; unknown labels share `l-OTHER`."""
    return f"l-{label}" if label in LABELS else "l-OTHER"


def describe(label: str) -> str:
    """The legend's line: "GPE — countries, cities, states"."""
    return f"{label} — {label_of(label).meaning}"


def label_css() -> str:
    """One rule per label colour; served as a stylesheet so pages need no inline style."""
    rules = [
        f".{css_class(name)} {{ background: {spec.colour}; }}" for name, spec in LABELS.items()
    ]
    rules.append(f".l-OTHER {{ background: {OTHER_LABEL.colour}; }}")
    rules.append(f".l-DATE {{ background: {DATE_LABEL.colour}; }}")
    return "\n".join(rules) + "\n"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
