"""Bringing a database to the newest schema: Alembic's upgrade, under an advisory lock so that
replicas starting together take turns (the second finds nothing left to do)."""

from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

# Any constant both sides agree on; the letters of "gazette" so that it is easy to spot in
# pg_locks.
MIGRATION_LOCK = 0x67617A65747465

log = logging.getLogger(__name__)


def sqlalchemy_url(url: str) -> str:
    """A libpq URL as SQLAlchemy spells it for psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "shared.store:migrations")
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Upgrade the database at `url` to `revision` (holding the migration lock meanwhile)."""
    engine = create_engine(
        sqlalchemy_url(url), poolclass=NullPool, connect_args={"client_encoding": "utf8"}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
            try:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
    finally:
        engine.dispose()
    log.info("database schema at %s", revision)
