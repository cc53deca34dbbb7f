"""The archive in PostgreSQL: the one owner of its SQL. `Store` (sync) for workers and writes,
`Reader` (async) for the API's reads, `FeedStore` for feeds; `migrate` brings the schema up."""

from shared.store.archive import Store
from shared.store.feeds import FeedStore, feed_id_for
from shared.store.reader import Reader

__all__ = ["FeedStore", "Reader", "Store", "feed_id_for"]
