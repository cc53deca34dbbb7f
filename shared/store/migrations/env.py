"""Alembic's environment: migrations run on the connection `shared.store.migrate` hands in,
inside the advisory lock it holds; there is no alembic.ini and no SQLAlchemy model (the
migrations are SQL)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
