"""Between models and rows: offsets survive, an enrichment becomes the rows queries read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from shared.models import DateMention, Enrichment, Entity, EntitySummary
from shared.store.rows import enrichment_rows, utc_offset, with_offset


def test_a_publishers_offset_survives_the_round_trip_through_utc() -> None:
    beijing = datetime(2016, 9, 23, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    offset = utc_offset(beijing)
    assert offset == 8 * 3600
    back = with_offset(beijing.astimezone(UTC), offset)
    assert back is not None and back.isoformat() == "2016-09-23T08:30:00+08:00"
    assert with_offset(beijing.astimezone(UTC), 0) == beijing
    assert utc_offset(None) is None and with_offset(None, None) is None


def test_an_enrichment_becomes_mentions_entities_labels_and_day_ranges() -> None:
    enrichment = Enrichment(
        entities=[
            Entity(text="Sergei Lavrov", label="PERSON", start=0, end=13),
            Entity(text="Lavrov", label="PERSON", start=30, end=36),
            Entity(text="Geneva", label="GPE", start=40, end=46),
        ],
        dates=[
            DateMention(text="September", type="DATE", value="2016-09", start=50, end=59),
            DateMention(text="a day", type="DURATION", value="P1D", start=60, end=65),
        ],
        entity_summary=[
            EntitySummary(entity_id="person:sergei-lavrov", name="Sergei Lavrov",
                          label="PERSON", mentions=2, salience=0.9),
            EntitySummary(entity_id="place:geneva", name="Geneva", label="GPE", mentions=1,
                          salience=0.2),
        ],
    )  # fmt: skip
    rows = enrichment_rows(enrichment)
    assert rows.mentions == [
        ("person:sergei-lavrov", "PERSON", 0, 13),
        ("person:sergei-lavrov", "PERSON", 30, 36),  # the surname belongs to the full name
        ("place:geneva", "GPE", 40, 46),
    ]
    assert rows.labels == ["GPE", "PERSON"]
    assert [e.entity_id for e in rows.entities] == ["person:sergei-lavrov", "place:geneva"]
    assert rows.day_ranges == [("2016-09-01", "2016-09-30")]  # durations are not days
    assert '"entity_id":"person:sergei-lavrov"' in rows.top_entities
