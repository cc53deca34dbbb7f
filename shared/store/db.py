"""Connection pools: a sync one for workers and writes, an async one for the API's reads.

Every way the database can be away (refused, killed mid-query, every connection busy past the
pool's timeout) comes out of here as `StoreUnavailable`, which the API answers as 503; a read
cancelled at the read pool's statement time limit as `QueryTimedOut`, a 503 that says so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from typing import Any, Protocol

import psycopg
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool, PoolTimeout

from shared.errors import InvalidQuery, QueryTimedOut, StoreUnavailable
from shared.settings import Settings

# A connection attempt gives up after this many seconds, so that a dead server is noticed fast.
CONNECT_TIMEOUT_SECONDS = 2
UNAVAILABLE = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)

Connection = psycopg.Connection[DictRow]
AsyncConnection = psycopg.AsyncConnection[DictRow]


def _kwargs() -> dict[str, Any]:
    # UTF-8 on the wire whatever the server's default: a cluster created without a UTF-8
    # locale (SQL_ASCII) would otherwise hand psycopg bytes where the code expects text.
    return {
        "row_factory": dict_row,
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "client_encoding": "utf8",
    }


# Every statement Gazette sends is short: a page, an article by id, a batch of writes. Parallel
# workers pay off for a lone large scan; under the API's concurrent requests they only start
# processes that compete with the other requests for the same cores. At 1,000,000 articles
# PostgreSQL planned them for 5 % of two-word queries (the GIN bitmap of older matches); with
# them off, two-word queries went from 266-296 to 300-350 a second over HTTP, p50 26-28 ->
# 21-25 ms (bench/api_compare.py, docs/scaling.md). Set per session, not per server, so that
# it holds on any server.
SESSION_SETUP = "SET max_parallel_workers_per_gather = 0"


def _configure(conn: Connection) -> None:
    conn.execute(SESSION_SETUP)
    conn.commit()  # the sync pool's connections run transactions; a new one is handed out idle


def _configure_reads(
    statement_timeout: float | None,
) -> Callable[[AsyncConnection], Awaitable[None]]:
    """The read pool's set-up of a new connection: the session setting, and the time limit of
    each statement (none when None)."""

    async def configure(conn: AsyncConnection) -> None:
        await conn.execute(SESSION_SETUP)  # the read pool's connections are in autocommit
        if statement_timeout is not None:
            milliseconds = max(1, round(statement_timeout * 1000))
            await conn.execute(f"SET statement_timeout = {milliseconds}")

    return configure


def _invalid(exc: Exception) -> InvalidQuery:
    # A value PostgreSQL cannot hold (a NUL character, a lone surrogate) in a query parameter.
    return InvalidQuery(f"The request holds a value the archive cannot hold: {exc}")


def _unavailable(exc: Exception) -> StoreUnavailable:
    return StoreUnavailable(f"The database is unavailable ({type(exc).__name__}); try again.")


@contextmanager
def _translated(
    on_unavailable: Callable[[], None] | None = None, statement_timeout: float | None = None
) -> Iterator[None]:
    """psycopg's and the pool's errors as the store's: a statement cancelled as QueryTimedOut
    (its limit `statement_timeout`), the database away as StoreUnavailable (after
    `on_unavailable`), a value it cannot hold as InvalidQuery."""
    try:
        yield
    except psycopg.errors.QueryCanceled as exc:  # an OperationalError, but not an outage
        raise QueryTimedOut(statement_timeout) from exc
    except UNAVAILABLE as exc:
        if on_unavailable is not None:
            on_unavailable()
        raise _unavailable(exc) from exc
    except (psycopg.DataError, UnicodeEncodeError) as exc:
        raise _invalid(exc) from exc


class Transactions(Protocol):
    """Where the sync store gets its transactions: a pool, or one connection."""

    def connection(self) -> AbstractContextManager[Connection]: ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...


def _ping(connection: Callable[[], AbstractContextManager[Connection]]) -> bool:
    """Whether the database answers a trivial query through `connection()`."""
    try:
        with connection() as conn:
            conn.execute("SELECT 1")
        return True
    except StoreUnavailable:
        return False


class Database:
    """A sync pool; `connection()` is one transaction, committed when the block ends."""

    def __init__(self, url: str, min_size: int = 1, max_size: int = 10, timeout: float = 2.0):
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=min(min_size, max_size),
            max_size=max_size,
            timeout=timeout,
            kwargs=_kwargs(),
            configure=_configure,
            open=False,
            name="gazette",
        )
        # Not waiting: a worker starting before the database still starts, and retries.
        self.pool.open(wait=False)

    @classmethod
    def from_settings(cls, settings: Settings, max_size: int | None = None) -> Database:
        return cls(
            settings.require_database_url(),
            settings.database_pool_min,
            max_size or settings.database_pool_max,
            settings.database_pool_timeout,
        )

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A pooled connection in a transaction (committed on success, rolled back on error)."""
        with _translated(), self.pool.connection() as conn:
            yield conn

    def ping(self) -> bool:
        return _ping(self.connection)

    def close(self) -> None:
        self.pool.close()


class OneConnection:
    """One connection, opened on first use and again after it breaks; no pool, so no threads.

    For the enrich worker's processes, which run one task at a time. In a process that has
    ever started a second thread (a pool's workers), glibc clears `__libc_single_threaded`
    for good and the C and C++ runtimes take their thread-safe paths: spaCy then runs ~20 %
    slower (measured: 48 -> 58 ms of CPU per 656-word article, the same with jemalloc).
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: Connection | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OneConnection:
        return cls(settings.require_database_url())

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """The connection in a transaction (committed on success, rolled back on error)."""
        with _translated(on_unavailable=self.close):  # closed: reconnect next time
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self._url, **_kwargs())
            conn = self._conn
            try:
                yield conn
            except BaseException:
                if not conn.closed:
                    conn.rollback()
                raise
            conn.commit()

    def ping(self) -> bool:
        return _ping(self.connection)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class AsyncDatabase:
    """The async pool the API reads through; open it in the app's lifespan."""

    def __init__(
        self,
        url: str,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 2.0,
        statement_timeout: float | None = None,
    ):
        self.statement_timeout = statement_timeout
        self.pool: AsyncConnectionPool[AsyncConnection] = AsyncConnectionPool(
            url,
            min_size=min(min_size, max_size),
            max_size=max_size,
            timeout=timeout,
            kwargs={**_kwargs(), "autocommit": True},
            configure=_configure_reads(statement_timeout),
            open=False,
            name="gazette-read",
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> AsyncDatabase:
        return cls(
            settings.database_read_url or settings.require_database_url(),
            settings.database_pool_min,
            settings.database_pool_max,
            settings.database_pool_timeout,
            settings.database_read_timeout,
        )

    async def open(self) -> None:
        await self.pool.open(wait=False)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        with _translated(statement_timeout=self.statement_timeout):
            async with self.pool.connection() as conn:
                yield conn

    async def ping(self) -> bool:
        try:
            async with self.connection() as conn:
                await conn.execute("SELECT 1")
            return True
        except StoreUnavailable:
            return False

    async def close(self) -> None:
        await self.pool.close()
