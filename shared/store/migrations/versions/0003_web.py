"""The web view's suggestions: a trigram index on the words of entity names.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29

`/entities?q=Lavr` suggests "Sergei Lavrov" while a name is being typed: a LIKE on the key
part of the entity id (`sergei-lavrov`) for a word that starts with the typed text. A btree
(`text_pattern_ops`) serves only the first word; pg_trgm's GIN index serves a match anywhere
in the name. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, so the
database's owner may create it.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX entities_name_words ON entities "
        "USING gin ((split_part(id, ':', 2)) gin_trgm_ops)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX entities_name_words")
