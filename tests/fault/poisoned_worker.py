"""`gazette worker enrich` with a pipeline that kills its own process on a poison marker.

Test-only: production code has no crash hook a user could trigger. This module wraps the real
`enrich` before the task module imports it, then runs the ordinary worker, so the prefork pool
children inherit the wrapper. SIGKILL is what a segfault or the OOM killer looks like to Celery.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime

from spacy.language import Language

import services.enrich.pipeline as pipeline
from shared.models import Enrichment

POISON = "<<poison: this text kills the enrich worker>>"
_real_enrich = pipeline.enrich


def enrich_or_die(
    nlp: Language, title: str, text: str, published_at: datetime | None
) -> Enrichment:
    if POISON in text:
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_enrich(nlp, title, text, published_at)


def enrich_many_or_die(nlp: Language, sources: Iterable[pipeline.Source]) -> Iterator[Enrichment]:
    sources = list(sources)
    if any(POISON in source.text for source in sources):
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_enrich_many(nlp, sources)


_real_enrich_many = pipeline.enrich_many
pipeline.enrich = enrich_or_die  # type: ignore[assignment]
pipeline.enrich_many = enrich_many_or_die

if __name__ == "__main__":
    from services.cli import main

    sys.exit(main(["worker", "enrich"]))
