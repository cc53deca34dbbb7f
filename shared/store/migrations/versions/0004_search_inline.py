"""Keep an article's tsvector in its row and move the text out instead.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

A row over ~2 KB is toasted: its largest values are compressed and, if still too big, moved to
the TOAST table, read back through its index. The tsvector does not compress, so it was the
first to go; every article a word query checks (the newest-first walk, a phrase's recheck)
then cost a TOAST index lookup and two chunk reads. With the tsvector kept in the row as a
last resort only (`STORAGE MAIN`) and a row target of 4 KB, the text (compressed) moves out
and the tsvector stays: reading it is a pointer into the heap page. Nothing is bigger on disk;
the text, read only for the page's rows, pays the TOAST read instead. Applies to rows written
from now on (a `VACUUM FULL` rewrites the others).
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE articles ALTER COLUMN search SET STORAGE MAIN")
    op.execute("ALTER TABLE articles SET (toast_tuple_target = 4080)")


def downgrade() -> None:
    op.execute("ALTER TABLE articles RESET (toast_tuple_target)")
    op.execute("ALTER TABLE articles ALTER COLUMN search SET STORAGE EXTENDED")
